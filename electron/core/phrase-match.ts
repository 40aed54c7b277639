// Which existing object a grounding answer is about (issue 9: the review queue
// can add a proposal's phrase to an object already labelled instead of making
// a second box): the annotation on the same image whose visible box overlaps
// the proposal's most, if that overlap is an IoU above 0.5 (the authors' hit
// threshold). Pure.
import { ACC_THRESHOLD, iou } from './egm/iou';
import type { Annotation, Box } from './types';

export function matchingAnnotation<A extends Pick<Annotation, 'id' | 'visible'>>(box: Box | null, annotations: readonly A[]): A | null {
  if (!box) return null;
  let best: A | null = null;
  let bestIou = ACC_THRESHOLD;
  for (const a of annotations) {
    const value = iou(box, a.visible);
    if (value > bestIou) {
      best = a;
      bestIou = value;
    }
  }
  return best;
}

/** The object's phrases after adding `phrase`: unchanged when it already has it (as its phrase or another). */
export function withPhrase(a: Pick<Annotation, 'phrase' | 'morePhrases'>, phrase: string): string[] {
  const clean = phrase.trim();
  if (clean === '' || clean === a.phrase.trim() || a.morePhrases.includes(clean)) return a.morePhrases;
  if (a.phrase.trim() === '') return a.morePhrases; // the caller sets it as the main phrase instead
  return [...a.morePhrases, clean];
}
