// What every grounding export reads from a project: images with file names
// already relative to the images root, categories, and annotations. Pure.
import type { ExportImage } from '../coco/to-coco';
import type { Annotation, Category } from '../types';

export interface DatasetInput {
  images: ExportImage[];
  categories: Category[];
  annotations: Annotation[];
}

/** Phrases marked "not in this image" among the input's images (what a format without a form for them leaves out). */
export function negativeCount(input: Pick<DatasetInput, 'images'>): number {
  return input.images.reduce((n, image) => n + (image.negPhrases?.length ?? 0), 0);
}

/** One referring phrase of one object, in (image id, annotation id, phrase) order: the unit of REC datasets. */
export interface PhraseItem {
  image: ExportImage;
  annotation: Annotation;
  phrase: string;
}
