// Builds GroundingResults (DESIGN.md, "Grounding result") from what a backend
// got back, so every backend maps answers to pixels and names failures the
// same way. Nothing here throws: a result with box null and a reason is the
// failure channel all the way to the UI and the CLI's stdout.
import type { BoxKind, GroundingResult, Point } from '../core/types';
import { parseAnswer, splitReasoning } from '../core/egm/parse-answer';
import { toPixelBox } from '../core/egm/coordinates';
import { oneLine } from '../core/errors';

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

// Re-exported: the engines fold errors into `reason: 'error: ...'` with it.
export { oneLine };

/** 'no-box' | 'cancelled' | 'timeout' stay as they are; anything else becomes 'error: <one line>'. */
export function normalizeReason(reason: unknown): string {
  if (reason === 'no-box' || reason === 'cancelled' || reason === 'timeout') return reason;
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
      raw,
      reasoning,
      tokens: output.tokens,
      timings: output.timings,
      model: context.model,
      ...(context.point ? { point: context.point } : {}),
    };
    if (!parsed.box) {
      return { ...base, box: null, reason: output.endedEarly ? 'error: stream ended early' : 'no-box' };
    }
    return { ...base, box: toPixelBox(parsed.box, output.width, output.height) };
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
    raw: partial.raw ?? '',
    reasoning: partial.reasoning ?? '',
    tokens: partial.tokens ?? 0,
    timings: partial.timings ?? { ...ZERO_TIMINGS },
    model: context.model,
    ...(context.point ? { point: context.point } : {}),
    reason: normalizeReason(reason),
  };
}
