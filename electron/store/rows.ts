// Row <-> domain mapping and the checks every write goes through, kept apart
// from the statements so project-store.ts stays about transactions.
import type { Annotation, AnnotationSource, Box, ImageRecord, ImageStatus } from '@core/types';
import type { NewImage } from './api';
import { parsePhrases } from '@core/coco/phrases';
import { amodalBounds, amodalWithinBounds } from '@core/geometry';
import { attributesProblem, parseAttributes, sortedAttributes } from '@core/attributes';

export interface AnnotationRow {
  id: number;
  image_id: number;
  category_id: number | null;
  phrase: string;
  /** JSON array of strings (schema version 5). */
  more_phrases: string;
  x1: number; y1: number; x2: number; y2: number;
  ax1: number | null; ay1: number | null; ax2: number | null; ay2: number | null;
  occluded: number;
  source: AnnotationSource;
  model: string | null;
  score: number | null;
  reviewed: number;
  color: string;
  created_at: number;
  updated_at: number;
  /** NULL: follows the amodal box; 0/1: set by the user (schema version 8). */
  truncated: number | null;
  difficult: number;
  /** JSON object of free attributes (schema version 8). */
  attributes: string;
}

export interface ImageRow {
  id: number;
  path: string;
  file_name: string;
  width: number;
  height: number;
  orientation: number;
  status: ImageStatus;
  missing: number;
  annotation_count: number;
  unreviewed_count: number;
  /** Pending model proposals on the image (schema version 3). */
  proposal_count?: number;
}

export function toImage(row: ImageRow): ImageRecord {
  return {
    id: row.id,
    path: row.path,
    fileName: row.file_name,
    width: row.width,
    height: row.height,
    orientation: row.orientation,
    status: row.status,
    missing: row.missing !== 0,
    annotationCount: row.annotation_count,
    unreviewedCount: row.unreviewed_count,
    proposalCount: row.proposal_count ?? 0,
  };
}

export function toAnnotation(row: AnnotationRow): Annotation {
  const amodal: Box | null = row.ax1 === null || row.ay1 === null || row.ax2 === null || row.ay2 === null
    ? null
    : [row.ax1, row.ay1, row.ax2, row.ay2];
  return {
    id: row.id,
    imageId: row.image_id,
    categoryId: row.category_id,
    phrase: row.phrase,
    morePhrases: parsePhrases(row.more_phrases),
    visible: [row.x1, row.y1, row.x2, row.y2],
    amodal,
    occluded: row.occluded !== 0,
    source: row.source,
    model: row.model,
    score: row.score,
    reviewed: row.reviewed !== 0,
    color: row.color,
    truncated: row.truncated === null ? null : row.truncated !== 0,
    difficult: row.difficult !== 0,
    attributes: parseAttributes(row.attributes),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Named parameters for the insert/update statements (booleans as 0/1, amodal split). */
export function annotationParams(a: Annotation): Record<string, number | string | null> {
  return {
    id: a.id,
    image_id: a.imageId,
    category_id: a.categoryId,
    phrase: a.phrase,
    more_phrases: JSON.stringify(a.morePhrases ?? []),
    x1: a.visible[0], y1: a.visible[1], x2: a.visible[2], y2: a.visible[3],
    ax1: a.amodal?.[0] ?? null, ay1: a.amodal?.[1] ?? null, ax2: a.amodal?.[2] ?? null, ay2: a.amodal?.[3] ?? null,
    occluded: a.occluded ? 1 : 0,
    source: a.source,
    model: a.model,
    score: a.score,
    reviewed: a.reviewed ? 1 : 0,
    color: a.color,
    truncated: a.truncated === null ? null : a.truncated ? 1 : 0,
    difficult: a.difficult ? 1 : 0,
    attributes: JSON.stringify(sortedAttributes(a.attributes ?? {})),
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}

/** Throws a one-line error when an annotation cannot be stored as given. */
export function checkAnnotation(a: Pick<Annotation, 'visible' | 'amodal' | 'source' | 'score' | 'phrase'> & { morePhrases?: unknown; truncated?: unknown; difficult?: unknown; attributes?: unknown }, where: string): void {
  checkBox(a.visible, `${where}: visible box`);
  if (a.amodal !== null) checkBox(a.amodal, `${where}: amodal box`);
  if (a.source !== 'manual' && a.source !== 'model') throw new Error(`${where}: source must be 'manual' or 'model', got '${String(a.source)}'`);
  if (a.score !== null && !Number.isFinite(a.score)) throw new Error(`${where}: score must be a finite number or null`);
  if (typeof a.phrase !== 'string') throw new Error(`${where}: phrase must be a string`);
  if (a.morePhrases !== undefined && (!Array.isArray(a.morePhrases) || !a.morePhrases.every((p) => typeof p === 'string'))) {
    throw new Error(`${where}: morePhrases must be a list of strings`);
  }
  if (a.truncated !== undefined && a.truncated !== null && typeof a.truncated !== 'boolean') throw new Error(`${where}: truncated must be true, false or null`);
  if (a.difficult !== undefined && typeof a.difficult !== 'boolean') throw new Error(`${where}: difficult must be true or false`);
  if (a.attributes !== undefined) {
    const problem = attributesProblem(a.attributes);
    if (problem) throw new Error(`${where}: ${problem}`);
  }
}

/**
 * Throws when an amodal box reaches further past its image than the one bound
 * (core/geometry.ts amodalBounds: one image size beyond each edge); 0.01 px of
 * slack for boxes rounded to COCO's two decimals. Called where boxes come in
 * (IPC handlers, accepting a proposal; the COCO import skips instead): the
 * store itself checks a box's shape, not where it lies, as for visible boxes.
 */
export function checkAmodalBound(amodal: Box | null, size: { width: number; height: number }, where: string): void {
  if (amodal === null || amodalWithinBounds(amodal, size.width, size.height, 0.01)) return;
  const [x1, y1, x2, y2] = amodalBounds(size.width, size.height);
  throw new Error(`${where}: amodal box ${JSON.stringify(amodal)} reaches more than one image size past the ${size.width}×${size.height} image (allowed: x ${x1}…${x2}, y ${y1}…${y2})`);
}

function checkBox(box: Box, what: string): void {
  if (!Array.isArray(box) || box.length !== 4 || !box.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new Error(`${what} must be four finite numbers [x1, y1, x2, y2], got ${JSON.stringify(box)}`);
  }
  if (box[2] < box[0] || box[3] < box[1]) throw new Error(`${what} has x2 < x1 or y2 < y1: ${JSON.stringify(box)}`);
}

export { IMAGE_STATUSES } from '@core/schemas';

/** Why a new image cannot be stored, or undefined when it can. */
export function checkNewImage(image: NewImage): string | undefined {
  if (!Number.isInteger(image.width) || !Number.isInteger(image.height) || image.width <= 0 || image.height <= 0) {
    return `invalid size ${image.width}x${image.height}`;
  }
  if (!Number.isInteger(image.orientation) || image.orientation < 1 || image.orientation > 8) {
    return `invalid EXIF orientation ${image.orientation}`;
  }
  return undefined;
}

/** The trimmed name; throws when it is empty. */
export function checkCategoryName(name: string): string {
  const clean = typeof name === 'string' ? name.trim() : '';
  if (clean === '') throw new Error('category name must not be empty');
  return clean;
}
