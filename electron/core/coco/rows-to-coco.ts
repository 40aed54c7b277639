// Project rows → COCO text, for export: the same bytes as
// serializeCoco(buildCocoDocument(...)) (test/unit/coco-rows.test.ts holds the
// two side by side), built straight from the store's raw rows. On 100k
// annotations the intermediate Annotation objects, all alive at once, cost
// more CPU than the rest of the export together. Records are made as lean
// COCO objects and stringified a batch at a time (JSON.stringify's fast path;
// a hand-built string per record measured ~2.5x slower), so each batch dies
// young instead of 100k objects being promoted and traced by the GC (whole
// section at once measured ~1.35x the CPU of 4096-record batches).
import type { Category } from '../types';
import { cocoText, recordLines } from './serialize';
import { parsePhrases } from './phrases';
import { parseAttributes, passesImageEdge } from '../attributes';
import { COCO_INFO, cocoImage, nextFreeId, roundCoord, type ExportImage } from './to-coco';
import {
  DEFAULT_CATEGORY_NAME,
  type AnnotationExportRow,
  type CocoAnnotation,
  type CocoAttributes,
  type CocoBox,
  type CocoCategory,
  type CocoImage,
} from './types';

const BATCH = 4096;

export interface CocoRowsInput {
  /** Every image of the project (any order; COCO ids follow project ids). */
  images: readonly ExportImage[];
  categories: readonly Category[];
  /** Every annotation, ordered by project image id then annotation id (the store's export order). */
  annotations: Iterable<AnnotationExportRow>;
}

export interface CocoRowsText {
  text: string;
  images: number;
  annotations: number;
  categories: number;
  /** "Not in this image" phrases written (images' neg_phrases). */
  negatives: number;
}

/** boxToCoco for a box given as corners. */
function bbox(x1: number, y1: number, x2: number, y2: number): CocoBox {
  return [roundCoord(x1 < x2 ? x1 : x2), roundCoord(y1 < y2 ? y1 : y2), roundCoord(Math.abs(x2 - x1)), roundCoord(Math.abs(y2 - y1))];
}

export function cocoTextFromRows(input: CocoRowsInput): CocoRowsText {
  const images = isSortedById(input.images) ? input.images : [...input.images].sort((a, b) => a.id - b.id);
  const cocoImages = new Array<CocoImage>(images.length);
  let negatives = 0;
  for (let i = 0; i < images.length; i++) {
    const image = images[i]!;
    cocoImages[i] = cocoImage(image, image.id);
    negatives += image.negPhrases?.length ?? 0;
  }

  // COCO ids are the project's ids (an import keeps a file's ids; see to-coco.ts).
  const categoryIds = new Set<number>();
  const categories: CocoCategory[] = [...input.categories]
    .sort((a, b) => a.id - b.id)
    .map((c) => {
      categoryIds.add(c.id);
      return { id: c.id, name: c.name };
    });
  const existingDefault = categories.find((c) => c.name === DEFAULT_CATEGORY_NAME)?.id;
  // Appended after the others, under the next free id, only when some annotation has no category (as layoutCoco does).
  const defaultCategoryId = existingDefault ?? nextFreeId(categories);
  let defaultUsed = false;
  const used = new Set<number>();

  const batches: string[] = [];
  let batch: CocoAnnotation[] = [];
  let count = 0;
  // Rows arrive in image order, so the COCO image id is found by walking the
  // sorted images alongside them (no map lookup, and the order is checked).
  let imageIndex = -1;
  let projectImageId = Number.NEGATIVE_INFINITY;
  let lastId = Number.NEGATIVE_INFINITY;
  for (const row of input.annotations) {
    const id = row[0];
    const imageId = row[1];
    if (imageId !== projectImageId) {
      if (imageId < projectImageId) throw new Error(`export rows out of order: annotation ${id} (image ${imageId}) after image ${projectImageId}`);
      while (imageIndex + 1 < images.length && images[imageIndex + 1]!.id <= imageId) imageIndex++;
      if (imageIndex < 0 || images[imageIndex]!.id !== imageId) throw new Error(`annotation ${id} refers to image ${imageId}, which is not in the project`);
      projectImageId = imageId;
    } else if (id <= lastId) {
      throw new Error(`export rows out of order: annotation ${id} after annotation ${lastId} on image ${imageId}`);
    }
    lastId = id;

    let categoryId: number;
    const projectCategory = row[2];
    if (projectCategory === null) {
      categoryId = defaultCategoryId;
      defaultUsed = true;
    } else {
      if (!categoryIds.has(projectCategory)) throw new Error(`annotation ${id} refers to category ${projectCategory}, which is not in the project`);
      categoryId = projectCategory;
    }

    used.add(categoryId);
    const box = bbox(row[4], row[5], row[6], row[7]);
    // Key order is the byte order of the file: the same as toCocoAnnotation's.
    count++;
    const out = { id, image_id: imageId, category_id: categoryId, bbox: box, area: roundCoord(box[2] * box[3]), iscrowd: 0 } as CocoAnnotation;
    const ax1 = row[8], ay1 = row[9], ax2 = row[10], ay2 = row[11];
    if (ax1 !== null && ay1 !== null && ax2 !== null && ay2 !== null) out.amodal_bbox = bbox(ax1, ay1, ax2, ay2);
    out.phrase = row[3];
    if (row[17] !== '[]') out.phrases = [row[3], ...parsePhrases(row[17])];
    const attributes = { occluded: row[12] !== 0, source: row[13] } as CocoAttributes;
    if (row[14] !== null) attributes.model = row[14];
    if (row[15] !== null) attributes.score = row[15];
    attributes.reviewed = row[16] !== 0;
    // Issue 18: truncated as it holds (the user's, else the amodal box past the image edge), difficult, the free ones (stored in key order).
    const image = images[imageIndex]!;
    attributes.truncated = row[18] === null ? passesImageEdge(out.amodal_bbox ? [ax1!, ay1!, ax2!, ay2!] : null, image.width, image.height) : row[18] !== 0;
    attributes.difficult = row[19] !== 0;
    if (row[20] !== '{}') Object.assign(attributes, parseAttributes(row[20]));
    out.attributes = attributes;
    batch.push(out);
    if (batch.length === BATCH) {
      batches.push(recordLines(batch));
      batch = [];
    }
  }
  if (batch.length > 0) batches.push(recordLines(batch));
  if (defaultUsed && existingDefault === undefined) categories.push({ id: defaultCategoryId, name: DEFAULT_CATEGORY_NAME });
  // Only categories some annotation uses (as layoutCoco).
  const written = categories.filter((c) => used.has(c.id));

  const text = cocoText(COCO_INFO, { images: recordLines(cocoImages), annotations: batches.join(',\n'), categories: recordLines(written) });
  return { text, images: cocoImages.length, annotations: count, categories: written.length, negatives };
}

function isSortedById(items: readonly { id: number }[]): boolean {
  for (let i = 1; i < items.length; i++) if (items[i - 1]!.id >= items[i]!.id) return false;
  return true;
}
