// Prompt text for EGM grounding queries (EGM.md, "Prompts"). The two templates
// are the authors' exact wording: the model was fine-tuned on them, so any
// rewording risks accuracy. The optional point hint is our own addition and is
// appended after the template, never woven into it, so a query without a hint
// is byte-identical to the authors' prompt.
import type { BoxKind } from '../types';

export const VISIBLE_TEMPLATE = 'Locate {phrase}, output its bbox coordinates using JSON format';
export const AMODAL_TEMPLATE = 'Locate {phrase} amodally, output its bbox coordinates using JSON format';

/**
 * Wording of the point hint, with {x} {y} on the model's 0–1000 grid (Qwen3-VL
 * convention: the same grid it answers in, so no pixel sizes leak into the prompt).
 */
export const POINT_HINT_TEMPLATE = ' The object contains the point ({x}, {y}), given on the same 0-1000 grid as the bbox.';

export interface PromptInput {
  phrase: string;
  kind: BoxKind;
  /** Optional click hint, already converted to the 0–1000 grid (see toGrid). */
  point0to1000?: readonly [number, number] | readonly number[];
}

/** Trims and folds whitespace runs (newlines, tabs) into single spaces. */
export function normalizePhrase(phrase: string): string {
  return phrase.replace(/\s+/g, ' ').trim();
}

/** Throws on an empty phrase: a caller bug, which backends turn into an 'error: ...' result. */
export function buildPrompt(input: PromptInput): string {
  const phrase = normalizePhrase(input.phrase);
  if (!phrase) throw new Error('buildPrompt: phrase is empty');
  const template = input.kind === 'amodal' ? AMODAL_TEMPLATE : VISIBLE_TEMPLATE;
  const base = template.replace('{phrase}', () => phrase);
  const point = input.point0to1000;
  if (!point) return base;
  const [x, y] = point;
  if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) {
    throw new Error(`buildPrompt: point hint must be two finite numbers, got ${JSON.stringify(point)}`);
  }
  const clamp = (v: number) => Math.min(1000, Math.max(0, Math.round(v)));
  return base + POINT_HINT_TEMPLATE.replace('{x}', String(clamp(x))).replace('{y}', String(clamp(y)));
}
