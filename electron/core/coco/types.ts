// The COCO detection file as EGM Annotator writes it (DESIGN.md, "COCO export"),
// and the shapes the import planner passes between its pure and I/O halves.
// Pure: no Node, Electron or React imports.
import type { Annotation, AnnotationSource } from '../types';
import type { AttributeValue } from '../attributes';

/** [x, y, width, height] in pixels of the upright (EXIF-applied) image. */
export type CocoBox = [number, number, number, number];

/** Name given to annotations that have no category: COCO requires one on every annotation. */
export const DEFAULT_CATEGORY_NAME = 'object';

/** Boxes, areas are written with this many decimals so x + w - x gives back w exactly. */
export const COCO_DECIMALS = 2;

/** A visible bbox may stick out of its image by this much (pixels) before the annotation is skipped. */
export const BBOX_TOLERANCE_PX = 1;

export interface CocoInfo {
  description: string;
  version: string;
  contributor: string;
}

export interface CocoImage {
  id: number;
  width: number;
  height: number;
  /** Relative to the images folder, '/' separators. */
  file_name: string;
  /**
   * Referring phrases a reviewer marked "not in this image" (issue 11),
   * written only when there are some. The name follows LVIS, whose image
   * entries list `neg_category_ids`: categories verified absent. COCO tools
   * ignore the key; this app's import reads it back.
   */
  neg_phrases?: string[];
}

/**
 * An annotation's `attributes`: its own fields, then (issue 18) truncated (as
 * it holds: the user's, else derived from the amodal box), difficult, and the
 * object's free attributes in key order.
 */
export interface CocoAttributes {
  occluded: boolean;
  source: AnnotationSource;
  model?: string;
  score?: number;
  reviewed: boolean;
  truncated: boolean;
  difficult: boolean;
  [free: string]: AttributeValue | undefined;
}

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  /** The VISIBLE box. */
  bbox: CocoBox;
  area: number;
  iscrowd: 0;
  /** The amodal box; absent when the annotation has none. */
  amodal_bbox?: CocoBox;
  phrase: string;
  /** Every referring phrase of the object (phrase first), written only when it has more than one. */
  phrases?: string[];
  attributes: CocoAttributes;
}

export interface CocoCategory {
  id: number;
  name: string;
}

export interface CocoDocument {
  info: CocoInfo;
  licenses: never[];
  images: CocoImage[];
  annotations: CocoAnnotation[];
  categories: CocoCategory[];
}

/** An image entry that passed structural validation (import). */
export interface CocoImageEntry {
  /** Position in the file's `images` array, for messages. */
  index: number;
  id: number;
  fileName: string;
  width: number;
  height: number;
  /** The entry's `neg_phrases` as found (an extension: the planner checks it, skipping a bad one). */
  negPhrases?: unknown;
}

export interface CocoCategoryEntry {
  index: number;
  id: number;
  name: string;
}

export interface CocoAnnotationEntry {
  index: number;
  id: number;
  /** The raw object: its fields are checked by the planner, which skips (not fails) bad ones. */
  raw: Record<string, unknown>;
}

/** A COCO file whose structure is sound: ids unique, keys present, names usable. */
export interface CocoStructure {
  images: CocoImageEntry[];
  categories: CocoCategoryEntry[];
  annotations: CocoAnnotationEntry[];
}

/** What the I/O side learned about one COCO image's file. */
export type ImageAvailability = { width: number; height: number } | { reason: string };

/**
 * One annotation ready for the store, in file order: the Annotation fields an
 * import carries, with the COCO image id and category name still to be mapped
 * to the project's ids (derived, so a new Annotation field shows up here).
 */
export type PlannedAnnotation = Pick<
  Annotation,
  'phrase' | 'morePhrases' | 'visible' | 'amodal' | 'occluded' | 'source' | 'model' | 'score' | 'reviewed' | 'truncated' | 'difficult' | 'attributes'
> & {
  /** The annotation's COCO id, kept as its project id where free. */
  cocoId: number;
  cocoImageId: number;
  categoryName: string | null;
};

/**
 * One annotation as the export reads it straight from the store: the columns
 * it needs, in this order, as SQLite returns them (booleans 0/1, the amodal
 * box as four nullable corners). No Annotation objects are built for export.
 */
export type AnnotationExportRow = [
  id: number,
  imageId: number,
  categoryId: number | null,
  phrase: string,
  x1: number, y1: number, x2: number, y2: number,
  ax1: number | null, ay1: number | null, ax2: number | null, ay2: number | null,
  occluded: number,
  source: AnnotationSource,
  model: string | null,
  score: number | null,
  reviewed: number,
  /** JSON array of the other phrases ('[]' for none). */
  morePhrases: string,
  /** NULL: follows the amodal box; 0/1: set by the user. */
  truncated: number | null,
  difficult: number,
  /** JSON object of the free attributes ('{}' for none). */
  attributes: string,
];
