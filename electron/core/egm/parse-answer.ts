// Reads an EGM answer: reasoning, then `</think>`, then (usually) a fenced JSON
// list with "bbox_2d". Box extraction follows the authors' scoring order
// (EGM.md, "How the authors score an answer"), applied to the answer part:
//   1. every `"bbox_2d": [a, b, c, d]`;
//   2. else every `[a, b, c, d]` list of exactly four numbers;
//   3. else the last four numbers in the text;
//   4. else no box.
// All boxes of the winning rule are returned; the first is the answer.
// Values stay on the model's 0–1000 grid, unclamped: mapping to pixels
// (coordinates.ts) clamps, exactly as the authors do.
//
// One deliberate difference from a bare `\d+` scan: a number glued to a word
// ("bbox_2d", "Qwen3", "3D", "100px") is not a number here, so a cut answer such
// as `"bbox_2d": [1, 2, 3` does not pick up the "2" of "bbox_2d".

const NUM = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`;
const LOOSE_NUMBER = new RegExp(String.raw`(?<![\w.])${NUM}(?![\w.])`, 'g');
const LIST4 = String.raw`\[\s*(${NUM})\s*,\s*(${NUM})\s*,\s*(${NUM})\s*,\s*(${NUM})\s*\]`;
const BBOX_2D = new RegExp(String.raw`["']bbox_2d["']\s*:\s*${LIST4}`, 'g');
const FOUR_LIST = new RegExp(LIST4, 'g');

const THINK_OPEN = '<think>';
const THINK_CLOSE = '</think>';

export interface ParsedAnswer {
  /** Text before the last `</think>` (leading `<think>` removed), trimmed. */
  reasoning: string;
  /** Text after the last `</think>`, trimmed; all of the text when there is no `</think>`. */
  answer: string;
  /** Every box found by the first rule that matched, on the 0–1000 grid. */
  boxes: number[][];
  /** boxes[0], or null when no rule matched. */
  box: number[] | null;
}

export function splitReasoning(text: string): { reasoning: string; answer: string; closed: boolean } {
  const body = stripThinkOpen(text);
  const close = body.lastIndexOf(THINK_CLOSE);
  if (close < 0) return { reasoning: '', answer: body.trim(), closed: false };
  return {
    reasoning: body.slice(0, close).trim(),
    answer: body.slice(close + THINK_CLOSE.length).trim(),
    closed: true,
  };
}

export function parseAnswer(text: string): ParsedAnswer {
  const { reasoning, answer } = splitReasoning(text);
  const boxes = extractBoxes(answer);
  return { reasoning, answer, boxes, box: boxes[0] ?? null };
}

/** The authors' order on one piece of text (no reasoning split). */
export function extractBoxes(text: string): number[][] {
  const tagged = completeLists(text, BBOX_2D);
  if (tagged.length) return tagged;
  const lists = completeLists(text, FOUR_LIST);
  if (lists.length) return lists;
  const numbers = [...text.matchAll(LOOSE_NUMBER)].map((m) => Number(m[0])).filter(Number.isFinite);
  return numbers.length >= 4 ? [numbers.slice(-4)] : [];
}

export interface PartialAnswer {
  reasoning: string;
  answer: string;
  /** True once `</think>` has arrived (the answer part has started). */
  inAnswer: boolean;
  /** Complete boxes seen so far in the answer (rules 1 and 2 only). */
  boxes: number[][];
  box: number[] | null;
}

/**
 * For text still streaming in. Until `</think>` arrives everything is reasoning
 * (the thinking model always closes its reasoning first), unless the caller says
 * reasoning comes in a separate field (`thinking: false`). Only complete lists
 * count: the last-four-numbers rule would read a number that is half written.
 */
export function parsePartialAnswer(text: string, options: { thinking?: boolean } = {}): PartialAnswer {
  const split = splitReasoning(text);
  const thinking = options.thinking ?? true;
  if (!split.closed && thinking) {
    return { reasoning: stripThinkOpen(text).trim(), answer: '', inAnswer: false, boxes: [], box: null };
  }
  const tagged = completeLists(split.answer, BBOX_2D);
  const boxes = tagged.length ? tagged : completeLists(split.answer, FOUR_LIST);
  return { reasoning: split.reasoning, answer: split.answer, inAnswer: true, boxes, box: boxes[0] ?? null };
}

function completeLists(text: string, pattern: RegExp): number[][] {
  const out: number[][] = [];
  for (const m of text.matchAll(pattern)) {
    const values = [m[1], m[2], m[3], m[4]].map(Number);
    if (values.every(Number.isFinite)) out.push(values);
  }
  return out;
}

function stripThinkOpen(text: string): string {
  const start = text.search(/\S/);
  return start >= 0 && text.startsWith(THINK_OPEN, start) ? text.slice(start + THINK_OPEN.length) : text;
}
