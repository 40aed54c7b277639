// Every (object, phrase) pair of a project in a fixed order: images by id,
// their annotations by id, phrases in the object's order; objects without a
// phrase are left out (a referring-expression dataset has nothing to say of
// them). Pure.
import { normalizePhrase } from '../egm/prompt';
import { phrasesOf } from '../types';
import type { DatasetInput, PhraseItem } from './types';

export function phraseItems(input: DatasetInput): PhraseItem[] {
  const images = new Map(input.images.map((image) => [image.id, image]));
  const annotations = [...input.annotations].sort((a, b) => a.imageId - b.imageId || a.id - b.id);
  const items: PhraseItem[] = [];
  for (const annotation of annotations) {
    const image = images.get(annotation.imageId);
    if (!image) throw new Error(`annotation ${annotation.id} refers to image ${annotation.imageId}, which is not in the project`);
    for (const phrase of phrasesOf(annotation)) items.push({ image, annotation, phrase: normalizePhrase(phrase) });
  }
  return items;
}
