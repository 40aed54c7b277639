// The project store's public surface. The SQLite implementation lives in
// project-store.ts; handlers, the CLI and COCO code depend on this interface only.
import type {
  Annotation,
  AnnotationInput,
  AnnotationPatch,
  Category,
  ImageRecord,
  ImageStatus,
  ProjectInfo,
  Skipped,
} from '@core/types';
import type { AnnotationExportRow } from '@core/coco/types';

/** An image as the export reads it: [id, stored path (see paths.ts), width, height]. */
export type ExportImageRow = [id: number, path: string, width: number, height: number];

export interface NewImage {
  /** Absolute path of the file. The store keeps it relative to the project folder where possible. */
  absolutePath: string;
  width: number;
  height: number;
  orientation: number;
  /** The caller has just read the file (a probe): it is not checked for again. */
  present?: boolean;
  /** Id wanted (a COCO image id on import): used when it is ≥ 1 and free, else the next free id is taken. */
  id?: number;
}

/** An annotation as an import writes it: an id wanted (its COCO id), kept when ≥ 1 and free. */
export type ImportedAnnotation = AnnotationInput & { id?: number };

/** Filters of the image list (issue 11); given ones all apply (AND). */
export interface ImageFilter {
  /**
   * Only images waiting for review: an annotation whose reviewed flag is
   * false, or a pending proposal (except for a phrase marked absent there).
   */
  unreviewed?: boolean;
  /** Only file names containing this text, case-insensitively ('' keeps all). */
  search?: string;
  status?: ImageStatus;
  /** Only images with (true) or without (false) pending proposals. */
  hasProposals?: boolean;
  /** Only images with at least one box of this category. */
  categoryId?: number;
}

export interface ProjectStore {
  readonly path: string;
  /** This opening of the project (ProjectInfo.token): new for every store opened. */
  readonly token: string;
  info(): ProjectInfo;
  close(): void;

  /** Adds images in one transaction; an image already in the project (same resolved path) is skipped with a reason. */
  addImages(images: NewImage[]): { added: ImageRecord[]; skipped: Skipped[] };
  listImages(filter?: ImageFilter): ImageRecord[];
  getImage(id: number): ImageRecord | undefined;
  /**
   * Absolute path of an image's file, resolved against the project folder;
   * undefined for an unknown id. Throws a one-line error for a network (UNC)
   * or device path, which is never opened (paths/untouchable.ts).
   */
  imageFilePath(id: number): string | undefined;
  setImageStatus(id: number, status: ImageStatus): void;
  /** Re-checks which image files exist; returns the ids now missing. */
  refreshMissing(): number[];

  listAnnotations(imageId: number): Annotation[];
  /** Every annotation, ordered by image then id. */
  allAnnotations(): Annotation[];
  /**
   * Every annotation as a raw export row, ordered by image then id, streamed
   * (COCO export: no Annotation objects, rows collectable as they are used).
   * The store runs nothing else until the iteration ends or is abandoned.
   */
  exportAnnotationRows(): IterableIterator<AnnotationExportRow>;
  /** Every image as [id, stored path, width, height], by id (COCO export). */
  exportImageRows(): ExportImageRow[];
  createAnnotation(input: AnnotationInput): Annotation;
  updateAnnotation(id: number, patch: AnnotationPatch): Annotation;
  deleteAnnotations(ids: number[]): void;
  /** Re-inserts deleted annotations with their original ids (undo of delete). */
  restoreAnnotations(annotations: Annotation[]): Annotation[];
  /**
   * Bulk insert for imports, in one transaction: each keeps its wanted id when
   * free (else the next free id), colours are chosen per image as
   * createAnnotation does, in time linear in the boxes. Returns the ids given.
   */
  importAnnotations(annotations: ImportedAnnotation[]): number[];
  /**
   * Which of these wanted annotation ids are free now (the id), and which are
   * taken or wanted twice (null): what importAnnotations would decide for them
   * in one call, for an import written over several.
   */
  freeAnnotationIds(wanted: (number | undefined)[]): (number | null)[];

  listCategories(): Category[];
  /** Returns the category with this name, creating it when absent (under `preferredId` when that is ≥ 1 and free). */
  ensureCategory(name: string, preferredId?: number): Category;
  renameCategory(id: number, name: string): Category;

  /** The folder the project's images were imported or added from (absolute), or null: the default base of an export's file_name. */
  imagesRoot(): string | null;
  setImagesRoot(dir: string): void;

  /**
   * transaction(fn) for a bulk import whose writes check their own references
   * (addImages has none; importAnnotations checks each image and category it
   * names): SQLite's per-row foreign-key checks are off while it runs (~15% of
   * a 100k-box import). Inside another transaction it is transaction(fn).
   */
  bulkTransaction<T>(fn: () => T): T;
  /** Runs fn in one transaction (import: all or nothing). */
  transaction<T>(fn: () => T): T;
}
