// Project data → COCO document. Deterministic by construction, so that
// export → import → export gives the same bytes:
// - COCO ids are the project's ids: an import gives each image, category and
//   annotation its COCO id wherever that id is free in the project, and new
//   ones take the next free id, so a dataset keyed by COCO ids (RefCOCO refers
//   to image and annotation ids) stays valid; ids may have gaps;
// - images in id order, annotations in (image, id) order, categories by id;
// - annotations without a category go to DEFAULT_CATEGORY_NAME ('object'),
//   reusing a project category of that name or appending one after the others
//   under the next free category id; a category no annotation uses is not
//   written (issue 9);
// - numbers are rounded to COCO_DECIMALS, so a re-imported [x, y, w, h] stored
//   as [x, y, x + w, y + h] rounds back to the same w;
// - no timestamps: `info` holds only constants.
import type { Annotation, Box, Category } from '../types';
import { isTruncated, sortedAttributes } from '../attributes';
import {
  COCO_DECIMALS,
  DEFAULT_CATEGORY_NAME,
  type CocoAnnotation,
  type CocoBox,
  type CocoCategory,
  type CocoDocument,
  type CocoImage,
} from './types';

export interface ExportImage {
  id: number;
  /** Already relative to the images folder, '/' separators (the I/O side computes it). */
  fileName: string;
  width: number;
  height: number;
  /** Phrases marked "not in this image" (issue 11), in the order they were marked; absent or [] for none. */
  negPhrases?: string[];
}

export interface ExportInput {
  images: ExportImage[];
  categories: Category[];
  annotations: Annotation[];
}

export const COCO_INFO = { description: 'EGM Annotator export', version: '1.0', contributor: 'EGM Annotator' } as const;

const SCALE = 10 ** COCO_DECIMALS;

/** Rounds to COCO_DECIMALS; k / 100 is the double nearest the decimal, so JSON prints it short. */
export function roundCoord(value: number): number {
  const rounded = Math.round(value * SCALE) / SCALE;
  return rounded === 0 ? 0 : rounded; // no "-0" distinctions
}

export function boxToCoco(box: Box): CocoBox {
  const x = Math.min(box[0], box[2]);
  const y = Math.min(box[1], box[3]);
  return [roundCoord(x), roundCoord(y), roundCoord(Math.abs(box[2] - box[0])), roundCoord(Math.abs(box[3] - box[1]))];
}

export function cocoToBox(bbox: CocoBox): Box {
  return [bbox[0], bbox[1], bbox[0] + bbox[2], bbox[1] + bbox[3]];
}

/** One more than the largest id (1 for none). */
export function nextFreeId(items: readonly { id: number }[]): number {
  let max = 0;
  for (const item of items) if (item.id > max) max = item.id;
  return max + 1;
}

/**
 * Ids, order and category of everything exported, for buildCocoDocument.
 * The export's streamed path (rows-to-coco.ts) applies the same rules to raw
 * store rows; test/unit/coco-rows.test.ts holds the two to the same bytes.
 */
export interface CocoLayout {
  /** Images in COCO order (COCO id = project id). */
  images: ExportImage[];
  imageIds: Map<number, number>;
  categories: CocoCategory[];
  /** Annotations in COCO order (COCO id = project id). */
  annotations: Annotation[];
  /** COCO category id of each annotation, same order. */
  categoryIds: Int32Array;
  /** COCO image id of each annotation, same order. */
  annotationImageIds: Int32Array;
}

export function layoutCoco(input: ExportInput): CocoLayout {
  const images = [...input.images].sort((a, b) => a.id - b.id);
  const imageIds = new Map<number, number>();
  for (const image of images) imageIds.set(image.id, image.id);

  const categories: CocoCategory[] = [...input.categories].sort((a, b) => a.id - b.id).map((c) => ({ id: c.id, name: c.name }));
  const categoryIdOf = new Set(categories.map((c) => c.id));
  let defaultCategoryId = categories.find((c) => c.name === DEFAULT_CATEGORY_NAME)?.id;

  // Project image ids are looked up once per annotation, not once per comparison.
  const annotations = input.annotations.map((a) => {
    const imageId = imageIds.get(a.imageId);
    if (imageId === undefined) throw new Error(`annotation ${a.id} refers to image ${a.imageId}, which is not in the project`);
    return { a, imageId };
  });
  annotations.sort((p, q) => p.imageId - q.imageId || p.a.id - q.a.id);
  const categoryIds = new Int32Array(annotations.length);
  const annotationImageIds = new Int32Array(annotations.length);
  for (let i = 0; i < annotations.length; i++) {
    const { a, imageId } = annotations[i]!;
    annotationImageIds[i] = imageId;
    if (a.categoryId === null) {
      if (defaultCategoryId === undefined) {
        defaultCategoryId = nextFreeId(categories);
        categories.push({ id: defaultCategoryId, name: DEFAULT_CATEGORY_NAME });
      }
      categoryIds[i] = defaultCategoryId;
    } else {
      if (!categoryIdOf.has(a.categoryId)) throw new Error(`annotation ${a.id} refers to category ${a.categoryId}, which is not in the project`);
      categoryIds[i] = a.categoryId;
    }
  }
  const used = new Set(categoryIds);
  return { images, imageIds, categories: categories.filter((c) => used.has(c.id)), annotations: annotations.map((p) => p.a), categoryIds, annotationImageIds };
}

export function cocoImage(image: ExportImage, id: number): CocoImage {
  const out: CocoImage = { id, width: image.width, height: image.height, file_name: image.fileName };
  if (image.negPhrases && image.negPhrases.length > 0) out.neg_phrases = image.negPhrases;
  return out;
}

export function buildCocoDocument(input: ExportInput): CocoDocument {
  const layout = layoutCoco(input);
  const sizes = new Map(layout.images.map((image) => [image.id, image]));
  return {
    info: { ...COCO_INFO },
    licenses: [],
    images: layout.images.map((image) => cocoImage(image, image.id)),
    annotations: layout.annotations.map((a, i) => toCocoAnnotation(a, a.id, layout.annotationImageIds[i]!, layout.categoryIds[i]!, sizes.get(a.imageId)!)),
    categories: layout.categories,
  };
}

function toCocoAnnotation(a: Annotation, id: number, imageId: number, categoryId: number, size: { width: number; height: number }): CocoAnnotation {
  const bbox = boxToCoco(a.visible);
  // Key order is fixed here: it is the byte order of the file.
  const out: CocoAnnotation = {
    id,
    image_id: imageId,
    category_id: categoryId,
    bbox,
    area: roundCoord(bbox[2] * bbox[3]),
    iscrowd: 0,
  } as CocoAnnotation;
  if (a.amodal) out.amodal_bbox = boxToCoco(a.amodal);
  out.phrase = a.phrase;
  if (a.morePhrases.length > 0) out.phrases = [a.phrase, ...a.morePhrases];
  out.attributes = { occluded: a.occluded, source: a.source } as CocoAnnotation['attributes'];
  if (a.model !== null) out.attributes.model = a.model;
  if (a.score !== null) out.attributes.score = a.score;
  out.attributes.reviewed = a.reviewed;
  out.attributes.truncated = isTruncated(a, size);
  out.attributes.difficult = a.difficult;
  Object.assign(out.attributes, sortedAttributes(a.attributes));
  return out;
}
