// Pure: what the reasoning view and the no-box line show from a model's
// transcript. The stream of one kind is the reasoning, then (when the server
// sends reasoning apart) "</think>", then the answer; a stored proposal keeps
// the reasoning only, except a "no box" answer, which keeps the whole
// transcript (its answer sentence). See ../shared/EGM.md for the answer format.
import { parsePartialAnswer } from '@core/egm/parse-answer';

export interface TranscriptParts {
  reasoning: string;
  /** The answer after `</think>` (a fenced bbox_2d list, or the model's sentence when it found nothing); '' while unknown. */
  answer: string;
}

const MAX_SENTENCE = 300;

/**
 * Text without `</think>` is all reasoning: a stream still thinking, or a
 * stored proposal's reasoning. The split is the engine's own streaming parser,
 * so the panel and the answer reader never disagree on where reasoning ends.
 */
export function transcriptParts(text: string): TranscriptParts {
  const { reasoning, answer } = parsePartialAnswer(text);
  return { reasoning, answer };
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > MAX_SENTENCE ? `${one.slice(0, MAX_SENTENCE - 1)}…` : one;
}

/**
 * The model's own words for finding no box: its answer without code fences,
 * else the last sentence of its reasoning, else null.
 */
export function noBoxSentence(answer: string, reasoning: string): string | null {
  const plain = answer.replace(/```[a-z]*\n?/gi, '').trim();
  if (plain) return clip(plain);
  const sentences = reasoning.split(/(?<=[.!?])\s+/).map((s) => s.trim()).filter(Boolean);
  const last = sentences[sentences.length - 1];
  return last ? clip(last) : null;
}

/** The proposal panel's line for a missing box: the model's sentence for 'no-box', the failure in words otherwise. */
export function missingBoxLine(reason: string, answer: string, reasoning: string): string {
  // 'visible: no-box' when only one of the two boxes is missing.
  const m = reason.match(/^(visible|amodal): (.*)$/);
  const kind = m ? `${m[1]} box` : 'box';
  const why = m ? m[2]! : reason;
  if (why === 'no-box') {
    const said = noBoxSentence(answer, reasoning);
    return said ? `No ${kind}. The model said: “${said}”` : `No ${kind}: the model's answer held none.`;
  }
  if (why === 'timeout') return `No ${kind}: the answer took longer than the time limit.`;
  if (why.startsWith('timeout: ')) return `No ${kind}: ${why.slice('timeout: '.length)}.`;
  return `No ${kind}: ${why.replace(/^error: /, '')}`;
}
