// Domain types shared by every process. Pure: no Node, Electron or React imports.

/** [x1, y1, x2, y2] in pixels of the upright (EXIF-applied) original image. */
export type Box = [number, number, number, number];
export type Point = [number, number];

export type ImageStatus = 'todo' | 'in-progress' | 'done';
export type AnnotationSource = 'manual' | 'model';
export type BoxKind = 'visible' | 'amodal';

export interface ImageRecord {
  id: number;
  /** As stored: relative to the project file's folder where possible, else absolute. */
  path: string;
  fileName: string;
  /** Displayed (upright) size, after EXIF orientation. */
  width: number;
  height: number;
  /** EXIF orientation 1..8 of the file (1 when absent). */
  orientation: number;
  status: ImageStatus;
  /** True when the file was not found the last time the project was opened. */
  missing: boolean;
  annotationCount: number;
  unreviewedCount: number;
  proposalCount: number;
}

export interface Category {
  id: number;
  name: string;
}

export interface Annotation {
  id: number;
  imageId: number;
  categoryId: number | null;
  phrase: string;
  visible: Box;
  amodal: Box | null;
  occluded: boolean;
  source: AnnotationSource;
  model: string | null;
  score: number | null;
  reviewed: boolean;
  /** CSS colour linking the visible and amodal boxes of one object. */
  color: string;
  createdAt: number;
  updatedAt: number;
}

/** Fields a caller may set when creating an annotation. */
export type AnnotationInput = Omit<Annotation, 'id' | 'createdAt' | 'updatedAt' | 'color'> & { color?: string };
/** Fields a caller may change. */
export type AnnotationPatch = Partial<Omit<Annotation, 'id' | 'imageId' | 'createdAt' | 'updatedAt'>>;

export interface ProjectInfo {
  path: string;
  name: string;
  imageCount: number;
  annotationCount: number;
  missingCount: number;
  schemaVersion: number;
}

/** One image or file that an operation passed over, and why (one line). */
export interface Skipped {
  path: string;
  reason: string;
}

/** The grounding result contract (DESIGN.md, "Grounding result"). */
export interface GroundingResult {
  phrase: string;
  kind: BoxKind;
  box: Box | null;
  raw: string;
  reasoning: string;
  tokens: number;
  timings: { preprocessMs: number; modelMs: number; totalMs: number };
  model: string;
  point?: Point;
  /** Always set when box is null: 'no-box' | 'cancelled' | 'timeout' | 'error: ...'. */
  reason?: string;
}
