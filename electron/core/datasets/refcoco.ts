// A RefCOCO-style dataset as the `refer` API (lichengunc/refer) loads it:
// REFER(data_root, dataset, splitBy) reads <data_root>/<dataset>/instances.json
// (COCO: images, annotations, categories) and refs(<splitBy>).p (a pickle of a
// list of refs). One ref per object that has a phrase; its sentences are all
// of the object's phrases. Ids: ann_id, image_id and category_id are the COCO
// ids of instances.json (the project's, kept from import); ref_id and sent_id
// count from 0 as RefCOCO's do. Pure.
import { buildCocoDocument, roundCoord } from '../coco/to-coco';
import type { CocoAnnotation, CocoDocument } from '../coco/types';
import { phrasesOf } from '../types';
import { refSentence, type RefSentence } from './tokens';
import type { DatasetInput } from './types';

/** What `egm export --refcoco` and the export dialog take when not told (one place, so the two give the same dataset). */
export const REFCOCO_DEFAULTS = { dataset: 'egm', splitBy: 'egm', seed: 0 } as const;

/** A dataset or split-by name: a folder / file name part on every OS. */
export const REFCOCO_NAME = /^[\w.+-]+$/;

/** Why a dataset or split-by name cannot be used (the caller names the field), or null. */
export function refcocoNameProblem(name: string): string | null {
  return REFCOCO_NAME.test(name) && name !== '.' && name !== '..' ? null : "use letters, digits, '.', '_', '+' or '-'";
}

export interface Ref {
  ref_id: number;
  ann_id: number;
  image_id: number;
  category_id: number;
  split: string;
  file_name: string;
  sent_ids: number[];
  sentences: RefSentence[];
}

export type RefcocoAnnotation = CocoAnnotation & { segmentation: number[][] };

export interface RefcocoDataset {
  refs: Ref[];
  /** COCO with a box polygon as `segmentation` (REFER's getMask and showRef read one). */
  instances: Omit<CocoDocument, 'annotations'> & { annotations: RefcocoAnnotation[] };
}

export function buildRefcoco(input: DatasetInput, splitOf: (imageId: number) => string): RefcocoDataset {
  // "Not in this image" phrases have no ref form: left out (the export reports how many), not written as neg_phrases.
  const coco = buildCocoDocument({ ...input, images: input.images.map(({ negPhrases: _, ...image }) => image) });
  const fileNames = new Map(coco.images.map((image) => [image.id, image.file_name]));
  const byId = new Map(input.annotations.map((a) => [a.id, a]));
  const refs: Ref[] = [];
  let sentId = 0;
  const annotations = coco.annotations.map((ann): RefcocoAnnotation => {
    const [x, y, w, h] = ann.bbox;
    const [x2, y2] = [roundCoord(x + w), roundCoord(y + h)];
    const phrases = phrasesOf(byId.get(ann.id)!);
    if (phrases.length > 0) {
      const sentences = phrases.map((phrase) => refSentence(phrase, sentId++));
      refs.push({
        ref_id: refs.length,
        ann_id: ann.id,
        image_id: ann.image_id,
        category_id: ann.category_id,
        split: splitOf(ann.image_id),
        file_name: fileNames.get(ann.image_id)!,
        sent_ids: sentences.map((s) => s.sent_id),
        sentences,
      });
    }
    return { ...ann, segmentation: [[x, y, x2, y, x2, y2, x, y2]] };
  });
  return { refs, instances: { ...coco, annotations } };
}
