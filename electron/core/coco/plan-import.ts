// Decides, before anything is written, which annotations of a structurally
// sound COCO file go into the project and why each other one does not.
// Boxes are checked against the DISPLAYED (EXIF-applied) size the I/O side
// probed, not the file's width/height; a disagreement between the two is
// reported as a warning. Plain COCO (no phrase/amodal_bbox/attributes) gets:
// phrase '', amodal null, source 'manual', reviewed true, occluded false,
// truncated following the amodal box, difficult false, no free attributes.
import type { Box, Skipped } from '../types';
import { attributeKeyProblem, attributeValueProblem, MAX_ATTRIBUTES, RESERVED_ATTRIBUTE_KEYS, storedTruncated, type AttributeValue } from '../attributes';
import { describeValue } from './errors';
import { splitPhrases } from './phrases';
import { COCO_LIMITS } from './limits';
import { cocoToBox } from './to-coco';
import { amodalWithinBounds } from '../geometry';
import {
  BBOX_TOLERANCE_PX,
  type CocoAnnotationEntry,
  type CocoBox,
  type CocoImageEntry,
  type CocoStructure,
  type ImageAvailability,
  type PlannedAnnotation,
} from './types';

export interface ImportPlan {
  /** COCO images whose file can be added, in file order. */
  images: CocoImageEntry[];
  annotations: PlannedAnnotation[];
  /** Phrases marked "not in this image" (images' neg_phrases), of the images above, in file order. */
  negatives: { cocoImageId: number; phrase: string }[];
  skipped: Skipped[];
  warnings: string[];
}

/** A reason an annotation is skipped: where (e.g. `annotations[17].bbox`) and why. */
class Skip {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {}
}

type Size = { width: number; height: number };

export function planImport(structure: CocoStructure, availability: ReadonlyMap<number, ImageAvailability>): ImportPlan {
  const skipped: Skipped[] = [];
  const warnings: string[] = [];
  const images: CocoImageEntry[] = [];
  const negatives: ImportPlan['negatives'] = [];
  const byId = new Map<number, { entry: CocoImageEntry; size: Size | null }>();
  for (const entry of structure.images) {
    const found = availability.get(entry.id) ?? { reason: 'not checked' };
    const size = 'reason' in found ? null : found;
    byId.set(entry.id, { entry, size });
    if (!size) continue;
    images.push(entry);
    if (entry.negPhrases !== undefined) {
      const phrases = negPhrasesOf(entry);
      if (typeof phrases === 'string') skipped.push({ path: `images[${entry.index}].neg_phrases`, reason: phrases });
      else for (const phrase of phrases) negatives.push({ cocoImageId: entry.id, phrase });
    }
    if (size.width !== entry.width || size.height !== entry.height) {
      warnings.push(
        `images[${entry.index}] '${entry.fileName}': COCO size ${entry.width}×${entry.height} differs from the displayed size ` +
          `${size.width}×${size.height} (EXIF orientation applied); boxes are checked against the displayed size`,
      );
    }
  }
  const categories = new Map(structure.categories.map((c) => [c.id, c.name]));

  const annotations: PlannedAnnotation[] = [];
  const lostWithImage = new Map<number, number>();
  const dropped = new DroppedAttributes();
  for (const entry of structure.annotations) {
    try {
      const imageId = entry.raw.image_id;
      const image = typeof imageId === 'number' ? byId.get(imageId) : undefined;
      if (!image) throw new Skip(at(entry, 'image_id'), `unknown image id ${describeValue(imageId)}`);
      if (!image.size) {
        lostWithImage.set(image.entry.id, (lostWithImage.get(image.entry.id) ?? 0) + 1);
        continue;
      }
      annotations.push(planAnnotation(entry, image.entry, image.size, categories, dropped));
    } catch (err) {
      if (!(err instanceof Skip)) throw err;
      skipped.push({ path: err.path, reason: err.reason });
    }
  }

  const imageSkips: Skipped[] = [];
  for (const { entry, size } of byId.values()) {
    if (size) continue;
    const reason = (availability.get(entry.id) as { reason: string } | undefined)?.reason ?? 'not checked';
    const lost = lostWithImage.get(entry.id) ?? 0;
    imageSkips.push({ path: `images[${entry.index}]`, reason: `'${entry.fileName}': ${reason}${lost ? ` (its ${lost} annotation${lost === 1 ? '' : 's'} skipped too)` : ''}` });
  }
  return { images, annotations, negatives, skipped: [...imageSkips, ...skipped], warnings: [...warnings, ...dropped.warnings()] };
}

/**
 * Free attributes that cannot be kept (a list or object as value, a name too
 * long, too many): the annotation is imported without them; one warning per
 * attribute name says where first, how many more, and why.
 */
class DroppedAttributes {
  readonly #byKey = new Map<string, { path: string; reason: string; more: number }>();

  add(path: string, key: string, reason: string): void {
    const seen = this.#byKey.get(key);
    if (seen) seen.more++;
    else this.#byKey.set(key, { path, reason, more: 0 });
  }

  warnings(): string[] {
    return [...this.#byKey.values()].map((d) => `${d.path}${d.more ? ` (and ${d.more} more)` : ''}: ${d.reason}; not imported`);
  }
}

const at = (entry: CocoAnnotationEntry, key: string) => `annotations[${entry.index}].${key}`;

/** An image's neg_phrases as a list of non-blank strings, or why they are skipped (all of them: a bad list is not half read). */
function negPhrasesOf(entry: CocoImageEntry): string[] | string {
  const raw = entry.negPhrases;
  if (!Array.isArray(raw) || !raw.every((p) => typeof p === 'string')) return `expected a list of strings, got ${describeValue(raw)}; not imported`;
  if (raw.some((p) => p.trim() === '')) return 'a phrase is empty; not imported';
  if (raw.length > COCO_LIMITS.negPhrases) return `${raw.length} phrases, over the ${COCO_LIMITS.negPhrases} one image takes; not imported`;
  const long = raw.find((p) => p.trim().length > COCO_LIMITS.phraseChars);
  if (long !== undefined) return `a phrase of ${long.trim().length} characters, over the ${COCO_LIMITS.phraseChars} a phrase may have; not imported`;
  return raw;
}

function planAnnotation(entry: CocoAnnotationEntry, image: CocoImageEntry, size: Size, categories: Map<number, string>, dropped: DroppedAttributes): PlannedAnnotation {
  const raw = entry.raw;
  if (raw.iscrowd !== undefined && raw.iscrowd !== 0 && raw.iscrowd !== false) {
    throw new Skip(at(entry, 'iscrowd'), `crowd region (iscrowd ${describeValue(raw.iscrowd)}) is not an object box; not imported`);
  }
  let categoryName: string | null = null;
  if (raw.category_id !== undefined && raw.category_id !== null) {
    const name = typeof raw.category_id === 'number' ? categories.get(raw.category_id) : undefined;
    if (name === undefined) throw new Skip(at(entry, 'category_id'), `unknown category id ${describeValue(raw.category_id)}`);
    categoryName = name;
  }
  if (raw.bbox === undefined || raw.bbox === null) throw new Skip(at(entry, 'bbox'), 'missing');
  const bbox = checkBox(raw.bbox, at(entry, 'bbox'));
  const t = BBOX_TOLERANCE_PX;
  if (bbox[0] < -t || bbox[1] < -t || bbox[0] + bbox[2] > size.width + t || bbox[1] + bbox[3] > size.height + t) {
    throw new Skip(at(entry, 'bbox'), `${describeValue(bbox)} lies outside image ${image.id} '${image.fileName}' (${size.width}×${size.height})`);
  }
  // Amodal boxes may extend past the image edge: that is what a cut-off object's full extent looks like;
  // up to one image size past each edge (core/geometry.ts amodalBounds), which no real object needs to exceed.
  const amodal = raw.amodal_bbox === undefined || raw.amodal_bbox === null ? null : checkBox(raw.amodal_bbox, at(entry, 'amodal_bbox'));
  if (amodal && !amodalWithinBounds(cocoToBox(amodal), size.width, size.height, t)) {
    throw new Skip(at(entry, 'amodal_bbox'), `${describeValue(amodal)} reaches more than one image size past image ${image.id} '${image.fileName}' (${size.width}×${size.height})`);
  }
  if (raw.phrase !== undefined && raw.phrase !== null && typeof raw.phrase !== 'string') throw new Skip(at(entry, 'phrase'), `expected a string, got ${describeValue(raw.phrase)}`);
  // `phrases` (every phrase of the object, an extension this app writes) is optional.
  if (raw.phrases !== undefined && raw.phrases !== null && (!Array.isArray(raw.phrases) || !raw.phrases.every((p) => typeof p === 'string'))) {
    throw new Skip(at(entry, 'phrases'), `expected a list of strings, got ${describeValue(raw.phrases)}`);
  }
  const { phrase, morePhrases } = splitPhrases(raw.phrase ?? undefined, raw.phrases ?? undefined);
  // The limits the app edits them under (IPC schemas): an annotation over them could not be undone or changed later.
  const tooLong = [phrase, ...morePhrases].find((p) => p.length > COCO_LIMITS.phraseChars);
  if (tooLong !== undefined) {
    throw new Skip(at(entry, tooLong === phrase && raw.phrase !== undefined && raw.phrase !== null ? 'phrase' : 'phrases'), `a phrase of ${tooLong.length} characters, over the ${COCO_LIMITS.phraseChars} a phrase may have`);
  }
  if (morePhrases.length > COCO_LIMITS.morePhrases) {
    throw new Skip(at(entry, 'phrases'), `${morePhrases.length + 1} phrases, over the ${COCO_LIMITS.morePhrases + 1} one object may have`);
  }
  const amodalBox = amodal && cocoToBox(amodal);
  return { cocoId: entry.id, cocoImageId: image.id, categoryName, phrase, morePhrases, visible: cocoToBox(bbox), amodal: amodalBox, ...attributes(entry, amodalBox, size, dropped) };
}

function checkBox(value: unknown, where: string): CocoBox {
  if (!Array.isArray(value) || value.length !== 4 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new Skip(where, `expected [x, y, width, height] of 4 finite numbers, got ${describeValue(value)}`);
  }
  const box = value as CocoBox;
  if (box[2] < 0 || box[3] < 0) throw new Skip(where, `negative size ${box[2]}×${box[3]}`);
  if (box[2] === 0 || box[3] === 0) throw new Skip(where, `empty box (size ${box[2]}×${box[3]})`);
  // x + width must stay a finite number: the store keeps corners, not sizes.
  if (!Number.isFinite(box[0] + box[2]) || !Number.isFinite(box[1] + box[3])) throw new Skip(where, `coordinates too large ${describeValue(box)}`);
  return box;
}

type PlannedAttributes = Pick<PlannedAnnotation, 'occluded' | 'source' | 'model' | 'score' | 'reviewed' | 'truncated' | 'difficult' | 'attributes'>;

function attributes(entry: CocoAnnotationEntry, amodal: Box | null, size: Size, dropped: DroppedAttributes): PlannedAttributes {
  const raw = entry.raw.attributes;
  const out: PlannedAttributes = { occluded: false, source: 'manual', model: null, score: null, reviewed: true, truncated: null, difficult: false, attributes: {} };
  if (raw === undefined || raw === null) return out;
  const where = at(entry, 'attributes');
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new Skip(where, `expected an object, got ${describeValue(raw)}`);
  // Other keys are the object's free attributes (issue 18; other tools put theirs here too, CVAT: rotation).
  const a = raw as Record<string, unknown>;
  const bad = (key: string, expected: string) => new Skip(`${where}.${key}`, `expected ${expected}, got ${describeValue(a[key])}`);
  if (a.occluded !== undefined) {
    if (typeof a.occluded !== 'boolean') throw bad('occluded', 'true or false');
    out.occluded = a.occluded;
  }
  if (a.source !== undefined) {
    if (a.source !== 'manual' && a.source !== 'model') throw bad('source', '"manual" or "model"');
    out.source = a.source;
  }
  if (a.model !== undefined && a.model !== null) {
    if (typeof a.model !== 'string') throw bad('model', 'a string');
    if (a.model.length > COCO_LIMITS.modelChars) throw new Skip(`${where}.model`, `${a.model.length} characters, over the ${COCO_LIMITS.modelChars} a model name may have`);
    out.model = a.model;
  }
  if (a.score !== undefined && a.score !== null) {
    if (typeof a.score !== 'number' || !Number.isFinite(a.score)) throw bad('score', 'a finite number');
    out.score = a.score;
  }
  if (a.reviewed !== undefined) {
    if (typeof a.reviewed !== 'boolean') throw bad('reviewed', 'true or false');
    out.reviewed = a.reviewed;
  }
  if (a.truncated !== undefined && a.truncated !== null) {
    if (typeof a.truncated !== 'boolean') throw bad('truncated', 'true or false');
    // What the frame says anyway is stored as "follows the frame", so a re-export writes the same.
    out.truncated = storedTruncated(a.truncated, amodal, size);
  }
  if (a.difficult !== undefined && a.difficult !== null) {
    if (typeof a.difficult !== 'boolean') throw bad('difficult', 'true or false');
    out.difficult = a.difficult;
  }
  for (const [key, value] of Object.entries(a)) {
    if (RESERVED_ATTRIBUTE_KEYS.includes(key) || value === null || value === undefined) continue;
    const problem = attributeKeyProblem(key) ?? attributeValueProblem(key, value) ?? (Object.keys(out.attributes).length >= MAX_ATTRIBUTES ? `more than ${MAX_ATTRIBUTES} attributes` : null);
    if (problem) dropped.add(`${where}.${key}`, key, problem);
    else out.attributes[key] = value as AttributeValue;
  }
  return out;
}
