// Builds GroundingResults (DESIGN.md, "Grounding result") from what a backend
// got back, so every backend maps answers to pixels and names failures the
// same way. Nothing here throws: a result with box null and a reason is the
// failure channel all the way to the UI and the CLI's stdout.
import type { BoxKind, GroundingResult, Point } from '@core/types';
import { parseAnswer, splitReasoning } from '@core/egm/parse-answer';
import { toAmodalPixelBox, toPixelBox } from '@core/egm/coordinates';
import { oneLine } from '@core/errors';

export interface ResultContext {
  phrase: string;
  kind: BoxKind;
  model: string;
  /** The hint as the caller gave it, in original-image pixels. */
  point?: Point;
}

export type Timings = GroundingResult['timings'];

export interface ModelOutput {
  /** Generated text (content): may hold inline reasoning before `</think>`. */
  text: string;
  /** Reasoning that arrived in a separate field (server reasoning parsers). */
  reasoning?: string;
  tokens: number;
  timings: Timings;
  /** Upright original image size: the 0–1000 answer is mapped onto it. */
  width: number;
  height: number;
  /** The generation stopped before it finished (stream cut, cancelled after the box). */
  endedEarly?: boolean;
}

const ZERO_TIMINGS: Timings = { preprocessMs: 0, modelMs: 0, totalMs: 0 };

/**
 * Longest reasoning or raw text a result carries (characters). Results are
 * stored with proposals and sent over IPC; an EGM answer is a few hundred
 * tokens, so this only ever cuts a runaway answer.
 */
export const MAX_RESULT_TEXT = 32_768;

/** The text, or its head and tail around a marker saying how much was cut. */
export function capText(text: string, max = MAX_RESULT_TEXT): string {
  if (text.length <= max) return text;
  let head = Math.floor((max - 60) / 2);
  let tail = text.length - head;
  // Never split a surrogate pair.
  if (/[\uD800-\uDBFF]/.test(text[head - 1] ?? '')) head -= 1;
  if (/[\uDC00-\uDFFF]/.test(text[tail] ?? '')) tail += 1;
  return `${text.slice(0, head)}\n[... ${tail - head} characters cut ...]\n${text.slice(tail)}`;
}

/**
 * Failures a later attempt may not meet: the server was down, busy, too slow,
 * or cut its answer short. Batches wait and ask again for these (and pause
 * when they last); the app marks the model red. Built with transientReason().
 */
const TRANSIENT_KINDS = ['server unreachable', 'server busy', 'stream cut'] as const;
export type TransientKind = (typeof TRANSIENT_KINDS)[number];

export function transientReason(kind: TransientKind, detail: string): string {
  return `error: ${kind}: ${detail}`;
}

export function isTransientReason(reason: string | null | undefined): boolean {
  if (!reason) return false;
  return isTimeout(reason) || TRANSIENT_KINDS.some((kind) => reason.startsWith(`error: ${kind}: `));
}

/** Seconds as people write them: "60 s", "0.5 s"; below 100 ms in ms. */
export function durationText(ms: number): string {
  return ms < 100 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
}

/** The reason of an answer stopped by its whole time limit (server and local host alike: the user set one limit). */
export function timeLimitReason(limitMs: number): string {
  return `timeout: no answer within the time limit of ${durationText(limitMs)} per answer`;
}

/** 'timeout', or 'timeout: <the deadline that passed>' (server/errors.ts timeoutReason). */
export function isTimeout(reason: string): boolean {
  return reason === 'timeout' || reason.startsWith('timeout: ');
}

// Re-exported: the engines fold errors into `reason: 'error: ...'` with it.
export { oneLine };

/** 'no-box' | 'cancelled' | 'timeout[: which deadline]' stay as they are; anything else becomes 'error: <one line>'. */
export function normalizeReason(reason: unknown): string {
  if (reason === 'no-box' || reason === 'cancelled' || (typeof reason === 'string' && isTimeout(reason))) return oneLine(reason);
  const line = oneLine(reason);
  return line.startsWith('error: ') ? line : `error: ${line}`;
}

export function makeResult(context: ResultContext, output: ModelOutput): GroundingResult {
  try {
    const inline = splitReasoning(output.text);
    const separate = output.reasoning?.trim() ?? '';
    const reasoning = [separate, inline.reasoning].filter(Boolean).join('\n');
    // raw is the whole transcript, so parseAnswer(raw) finds the same answer.
    const raw = separate ? `${separate}\n</think>\n\n${output.text}` : output.text;
    // Without `</think>` all of the content is answer (splitReasoning's rule).
    const parsed = parseAnswer(output.text);
    const base = {
      phrase: context.phrase,
      kind: context.kind,
      raw: capText(raw),
      reasoning: capText(reasoning),
      tokens: output.tokens,
      timings: output.timings,
      model: context.model,
      ...(context.point ? { point: context.point } : {}),
    };
    if (!parsed.box) {
      return { ...base, box: null, reason: output.endedEarly ? 'error: stream ended early' : 'no-box' };
    }
    // An amodal answer keeps what lies past the frame (EGM.md, point 5); scoring clamps it (core/egm/coordinates.ts scoringBox).
    const toPixels = context.kind === 'amodal' ? toAmodalPixelBox : toPixelBox;
    return { ...base, box: toPixels(parsed.box, output.width, output.height) };
  } catch (err) {
    return failedResult(context, err, { raw: output.text, reasoning: output.reasoning ?? '', tokens: output.tokens, timings: output.timings });
  }
}

export function failedResult(
  context: ResultContext,
  reason: unknown,
  partial: { raw?: string; reasoning?: string; tokens?: number; timings?: Timings } = {},
): GroundingResult {
  return {
    phrase: context.phrase,
    kind: context.kind,
    box: null,
    raw: capText(partial.raw ?? ''),
    reasoning: capText(partial.reasoning ?? ''),
    tokens: partial.tokens ?? 0,
    timings: partial.timings ?? { ...ZERO_TIMINGS },
    model: context.model,
    ...(context.point ? { point: context.point } : {}),
    reason: normalizeReason(reason),
  };
}
