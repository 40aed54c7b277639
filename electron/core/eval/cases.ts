// What `egm eval` asks: every phrase of every reviewed object, for the visible
// box, and for the amodal box where the object has one (EGM.md: the authors'
// protocol, one query per referring phrase). Unreviewed boxes are not ground
// truth. Pure.
import { normalizePhrase } from '../egm/prompt';
import { phrasesOf, type Annotation, type Box, type BoxKind } from '../types';

export interface EvalCase {
  imageId: number;
  annotationId: number;
  phrase: string;
  kind: BoxKind;
  /** Ground truth in upright original-image pixels. */
  truth: Box;
}

export function evalCases(annotations: readonly Annotation[], kinds: readonly BoxKind[]): EvalCase[] {
  const sorted = [...annotations].sort((a, b) => a.imageId - b.imageId || a.id - b.id);
  const cases: EvalCase[] = [];
  for (const kind of kinds) {
    for (const a of sorted) {
      if (!a.reviewed) continue;
      const truth = kind === 'visible' ? a.visible : a.amodal;
      if (!truth) continue;
      for (const phrase of phrasesOf(a)) cases.push({ imageId: a.imageId, annotationId: a.id, phrase: normalizePhrase(phrase), kind, truth });
    }
  }
  return cases;
}
