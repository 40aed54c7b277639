// The project store's class: every read and write of a project file, each
// write one BEGIN IMMEDIATE transaction (see project-store.ts for opening).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import Database from 'better-sqlite3';
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
import type { ExportImageRow, ImageFilter, ImportedAnnotation, NewImage, ProjectStore } from './api';
import { SCHEMA_VERSION } from './migrations';
import { busyError, type WriterNote } from './write-lock';
import { freeId, freeIds } from './free-ids';
import { fileNameOf, fromStoredPath, projectFolder, toStoredPath } from './paths';
import { untouchableImageMessage, untouchablePathReason } from '../paths/untouchable';
import { pickColor } from '@core/annotation-rules';
import { sortedAttributes } from '@core/attributes';
import {
  IMAGE_STATUSES,
  annotationParams,
  checkAnnotation,
  checkCategoryName,
  checkNewImage,
  toAnnotation,
  toImage,
  type AnnotationRow,
  type ImageRow,
} from './rows';
import { prepareStatements, type Statements } from './statements';
import { filteredImageRows } from './image-filter';

export interface StoreMode {
  /** Why the project is read-only, or null. */
  readOnly: string | null;
  /** The writer note (null when read-only: nothing is ever written). */
  note: WriterNote | null;
  busyTimeoutMs: number;
}

export class SqliteProjectStore implements ProjectStore {
  readonly #db: Database.Database;
  readonly #sql: Statements;
  readonly #folder: string;
  readonly #mode: StoreMode;
  /** Read-only projects cannot store missing flags: the ones found at open are kept here. */
  #missingNow: Set<number> | null = null;
  /** Random, so a token never repeats across openings, even of the same file (URL-safe: image URLs carry it). */
  readonly token = randomBytes(12).toString('base64url');

  constructor(
    db: Database.Database,
    readonly path: string,
    mode: StoreMode,
  ) {
    this.#db = db;
    this.#sql = prepareStatements(db);
    this.#folder = projectFolder(path);
    this.#mode = mode;
  }

  info(): ProjectInfo {
    const counts = this.#sql.counts.get() as { images: number; annotations: number; missing: number };
    return {
      path: this.path,
      token: this.token,
      name: basename(this.path, extname(this.path)),
      imageCount: counts.images,
      annotationCount: counts.annotations,
      missingCount: this.#missingNow ? this.#missingNow.size : counts.missing,
      schemaVersion: SCHEMA_VERSION,
      imagesRoot: this.imagesRoot(),
      readOnly: this.#mode.readOnly,
    };
  }

  close(): void {
    if (!this.#db.open) return;
    this.#db.close();
    this.#mode.note?.release();
  }

  addImages(images: NewImage[]): { added: ImageRecord[]; skipped: Skipped[] } {
    return this.transaction(() => {
      const skipped: Skipped[] = [];
      // Images whose wanted id is free go first, so an image given a new id
      // (max + 1) never takes an id another one of this batch wants.
      const keep = freeIds(images.map((image) => image.id), this.#sql.imageExists, this.#sql.maxImageId);
      const order = [...images.keys()].sort((a, b) => Number(keep[b] !== null) - Number(keep[a] !== null));
      const added = new Map<number, ImageRecord>();
      for (const index of order) {
        const image = images[index]!;
        const absolute = resolve(image.absolutePath);
        const stored = toStoredPath(this.#folder, absolute);
        const untouchable = untouchablePathReason(image.absolutePath) ?? untouchablePathReason(absolute);
        const problem = untouchable ? `${untouchable}: not added (a network path would be contacted each time the project opens); copy the image to a local folder or a mapped drive` : checkNewImage(image);
        if (problem) {
          skipped.push({ path: absolute, reason: problem });
          continue;
        }
        const missing = image.present || existsSync(absolute) ? 0 : 1;
        const fileName = fileNameOf(absolute);
        const result = this.#sql.insertImage.run(keep[index] ?? null, stored, fileName, image.width, image.height, image.orientation, missing);
        if (result.changes === 0) {
          skipped.push({ path: absolute, reason: 'already in the project' });
          continue;
        }
        const id = Number(result.lastInsertRowid);
        // The new row as getImage would read it, without reading it (an import adds 20,000).
        added.set(index, {
          id, path: stored, fileName, width: image.width, height: image.height, orientation: image.orientation,
          status: 'todo', missing: missing === 1, annotationCount: 0, unreviewedCount: 0, proposalCount: 0,
        });
      }
      return { added: [...images.keys()].flatMap((index) => added.get(index) ?? []), skipped };
    });
  }

  listImages(filter: ImageFilter = {}): ImageRecord[] {
    return filteredImageRows(this.#db, filter).map((row) => this.#toImage(row));
  }

  getImage(id: number): ImageRecord | undefined {
    const row = this.#sql.getImage.get(id) as ImageRow | undefined;
    return row && this.#toImage(row);
  }

  #toImage(row: ImageRow): ImageRecord {
    const image = toImage(row);
    return this.#missingNow ? { ...image, missing: this.#missingNow.has(image.id) } : image;
  }

  imageFilePath(id: number): string | undefined {
    const stored = this.#sql.imagePath.get(id) as string | undefined;
    if (stored === undefined) return undefined;
    // Every reader of an image file asks here first: a network or device path is never handed out.
    const untouchable = untouchablePathReason(stored);
    if (untouchable) throw new Error(untouchableImageMessage(id, stored, untouchable));
    return fromStoredPath(this.#folder, stored);
  }

  setImageStatus(id: number, status: ImageStatus): void {
    if (!IMAGE_STATUSES.includes(status)) throw new Error(`image status must be one of ${IMAGE_STATUSES.join(', ')}, got '${String(status)}'`);
    const result = this.transaction(() => this.#sql.setImageStatus.run(status, id));
    if (result.changes === 0) throw new Error(`image ${id} not found in ${this.path}`);
  }

  refreshMissing(): number[] {
    const rows = this.#sql.imagePathsAndMissing.all() as { id: number; path: string; missing: number }[];
    const missing: number[] = [];
    const changed: { id: number; missing: number }[] = [];
    for (const row of rows) {
      // A network or device path is missing by its form: asking whether it exists would contact the host.
      const gone = untouchablePathReason(row.path) !== null || !existsSync(fromStoredPath(this.#folder, row.path)) ? 1 : 0;
      if (gone) missing.push(row.id);
      if (gone !== row.missing) changed.push({ id: row.id, missing: gone });
    }
    if (this.#mode.readOnly) {
      this.#missingNow = new Set(missing);
      return missing;
    }
    // Only flags that changed are written, so reopening an intact project writes nothing.
    if (changed.length > 0) {
      this.transaction(() => {
        for (const change of changed) this.#sql.setImageMissing.run(change.missing, change.id);
      });
    }
    return missing;
  }

  listAnnotations(imageId: number): Annotation[] {
    return (this.#sql.annotationsOfImage.all(imageId) as AnnotationRow[]).map(toAnnotation);
  }

  allAnnotations(): Annotation[] {
    return (this.#sql.allAnnotations.all() as AnnotationRow[]).map(toAnnotation);
  }

  exportAnnotationRows(): IterableIterator<AnnotationExportRow> {
    // iterate(), not all(): each row can be dropped once written, so 100k rows
    // never sit in memory at once (measured ~35% less CPU, mostly GC).
    return this.#sql.exportAnnotations.iterate() as IterableIterator<AnnotationExportRow>;
  }

  exportImageRows(): ExportImageRow[] {
    return this.#sql.exportImages.all() as ExportImageRow[];
  }

  createAnnotation(input: AnnotationInput): Annotation {
    return this.transaction(() => {
      this.#requireImage(input.imageId);
      this.#requireCategory(input.categoryId);
      const now = Date.now();
      const annotation: Annotation = {
        imageId: input.imageId,
        categoryId: input.categoryId ?? null,
        phrase: input.phrase ?? '',
        morePhrases: input.morePhrases ?? [],
        visible: input.visible,
        amodal: input.amodal ?? null,
        occluded: Boolean(input.occluded),
        source: input.source,
        model: input.model ?? null,
        score: input.score ?? null,
        reviewed: Boolean(input.reviewed),
        color: input.color || this.#nextColor(input.imageId),
        truncated: input.truncated ?? null,
        difficult: Boolean(input.difficult),
        attributes: input.attributes ?? {},
        id: 0,
        createdAt: now,
        updatedAt: now,
      };
      checkAnnotation(annotation, `new annotation on image ${input.imageId}`);
      const { id: _unused, ...params } = annotationParams(annotation);
      const result = this.#sql.insertAnnotation.run(params);
      return this.#annotation(Number(result.lastInsertRowid));
    });
  }

  updateAnnotation(id: number, patch: AnnotationPatch): Annotation {
    return this.transaction(() => {
      const current = this.#annotation(id);
      const next: Annotation = { ...current };
      for (const [key, value] of Object.entries(patch) as [keyof AnnotationPatch, unknown][]) {
        // The type already forbids these; a payload from outside could still carry them.
        if (value === undefined || (key as string) === 'id' || (key as string) === 'imageId' || (key as string) === 'createdAt' || (key as string) === 'updatedAt') continue;
        (next as unknown as Record<string, unknown>)[key] = value;
      }
      if (next.categoryId !== current.categoryId) this.#requireCategory(next.categoryId);
      next.updatedAt = Math.max(Date.now(), current.updatedAt);
      checkAnnotation(next, `annotation ${id}`);
      const { image_id: _image, created_at: _created, ...params } = annotationParams(next);
      this.#sql.updateAnnotation.run(params);
      return next;
    });
  }

  deleteAnnotations(ids: number[]): void {
    // Ids already gone are ignored: deleting twice (a repeated undo/redo step) is not an error.
    this.transaction(() => {
      for (const id of ids) this.#sql.deleteAnnotation.run(id);
    });
  }

  restoreAnnotations(annotations: Annotation[]): Annotation[] {
    return this.transaction(() => {
      for (const annotation of annotations) {
        if (this.#sql.annotationExists.get(annotation.id) !== undefined) {
          throw new Error(`cannot restore annotation ${annotation.id}: an annotation with this id already exists in ${this.path}`);
        }
        this.#requireImage(annotation.imageId);
        this.#requireCategory(annotation.categoryId);
        checkAnnotation(annotation, `annotation ${annotation.id}`);
        this.#sql.insertAnnotationWithId.run(annotationParams(annotation));
      }
      return annotations.map((annotation) => this.#annotation(annotation.id));
    });
  }

  freeAnnotationIds(wanted: (number | undefined)[]): (number | null)[] {
    return freeIds(wanted, this.#sql.annotationExists, this.#sql.maxAnnotationId);
  }

  importAnnotations(annotations: ImportedAnnotation[]): number[] {
    return this.transaction(() => {
      const images = new Set<number>();
      const categories = new Set<number>();
      // Colour use per image, read once per image and then kept up to date here:
      // asking SQLite again for every box made a 5,000-box image quadratic.
      const colors = new Map<number, Map<string, number>>();
      const now = Date.now();
      // As in addImages: wanted ids that are free first, then the others take max + 1.
      const keep = freeIds(annotations.map((a) => a.id), this.#sql.annotationExists, this.#sql.maxAnnotationId);
      const order = [...annotations.keys()].sort((a, b) => Number(keep[b] !== null) - Number(keep[a] !== null));
      const ids = new Array<number>(annotations.length);
      for (const index of order) {
        const input = annotations[index]!;
        if (!images.has(input.imageId)) {
          this.#requireImage(input.imageId);
          images.add(input.imageId);
        }
        const categoryId = input.categoryId ?? null;
        if (categoryId !== null && !categories.has(categoryId)) {
          this.#requireCategory(categoryId);
          categories.add(categoryId);
        }
        let used = colors.get(input.imageId);
        if (!used) {
          used = this.#colorCounts(input.imageId);
          colors.set(input.imageId, used);
        }
        const color = input.color || pickColor(used);
        used.set(color, (used.get(color) ?? 0) + 1);
        const amodal = input.amodal ?? null;
        const annotation = {
          visible: input.visible, amodal, source: input.source, score: input.score ?? null, phrase: input.phrase ?? '', morePhrases: input.morePhrases ?? [],
          truncated: input.truncated ?? null, difficult: Boolean(input.difficult), attributes: input.attributes ?? {},
        };
        checkAnnotation(annotation, `imported annotation on image ${input.imageId}`);
        const v = input.visible;
        // In importAnnotation's column order (statements.ts: id, then ANNOTATION_COLUMNS).
        const row = [
          keep[index] ?? null, input.imageId, categoryId, annotation.phrase, JSON.stringify(annotation.morePhrases), v[0], v[1], v[2], v[3],
          amodal?.[0] ?? null, amodal?.[1] ?? null, amodal?.[2] ?? null, amodal?.[3] ?? null,
          input.occluded ? 1 : 0, input.source, input.model ?? null, annotation.score, input.reviewed ? 1 : 0, color, now, now,
          annotation.truncated === null ? null : annotation.truncated ? 1 : 0, annotation.difficult ? 1 : 0, JSON.stringify(sortedAttributes(annotation.attributes)),
        ];
        ids[index] = Number(this.#sql.importAnnotation.run(row).lastInsertRowid);
      }
      return ids;
    });
  }

  imagesRoot(): string | null {
    const stored = this.#sql.getMeta.get('images_root') as string | undefined;
    return stored === undefined ? null : fromStoredPath(this.#folder, stored);
  }

  setImagesRoot(dir: string): void {
    this.transaction(() => this.#sql.setMeta.run('images_root', toStoredPath(this.#folder, resolve(dir))));
  }

  listCategories(): Category[] {
    return this.#sql.listCategories.all() as Category[];
  }

  ensureCategory(name: string, preferredId?: number): Category {
    const clean = checkCategoryName(name);
    return this.transaction(() => {
      const existing = this.#sql.categoryByName.get(clean) as Category | undefined;
      if (existing) return existing;
      const result = this.#sql.insertCategory.run(freeId(preferredId, this.#sql.categoryById), clean);
      return { id: Number(result.lastInsertRowid), name: clean };
    });
  }

  renameCategory(id: number, name: string): Category {
    const clean = checkCategoryName(name);
    return this.transaction(() => {
      const current = this.#sql.categoryById.get(id) as Category | undefined;
      if (!current) throw new Error(`category ${id} not found in ${this.path}`);
      const other = this.#sql.categoryByName.get(clean) as Category | undefined;
      // Named, not numbered: the user sees names (the app offers to merge instead).
      if (other && other.id !== id) throw new Error(`cannot rename '${current.name}' to '${clean}': a category of that name exists (merge them instead)`);
      this.#sql.renameCategory.run(clean, id);
      return { id, name: clean };
    });
  }

  bulkTransaction<T>(fn: () => T): T {
    // PRAGMA foreign_keys is a no-op inside a transaction: only the outermost call can turn the checks off.
    if (this.#db.inTransaction || this.#mode.readOnly) return this.transaction(fn);
    this.#db.pragma('foreign_keys = OFF');
    try {
      return this.transaction(fn);
    } finally {
      this.#db.pragma('foreign_keys = ON');
    }
  }

  transaction<T>(fn: () => T): T {
    if (this.#mode.readOnly) throw new Error(`${this.path}: project is open read-only (${this.#mode.readOnly}); nothing was changed`);
    // better-sqlite3 nests a transaction inside another as a SAVEPOINT, so the
    // edit methods can be called inside an import's all-or-nothing transaction.
    // The outermost one is BEGIN IMMEDIATE: it takes the write lock before
    // reading, so the busy timeout applies (a deferred BEGIN that has read
    // fails at once when another process writes), and then names this process
    // as the holder for anyone kept waiting.
    const note = this.#db.inTransaction ? null : this.#mode.note;
    const run = this.#db.transaction(() => {
      note?.claim();
      return fn();
    });
    let result: T;
    try {
      result = run.immediate();
    } catch (err) {
      throw busyError(this.path, err, this.#mode.note, this.#mode.busyTimeoutMs) ?? err;
    }
    if (result instanceof Promise) throw new Error('store.transaction needs a synchronous function (it committed before the promise settled)');
    return result;
  }

  #image(id: number): ImageRecord {
    const image = this.getImage(id);
    if (!image) throw new Error(`image ${id} not found in ${this.path}`);
    return image;
  }

  #annotation(id: number): Annotation {
    const row = this.#sql.getAnnotation.get(id) as AnnotationRow | undefined;
    if (!row) throw new Error(`annotation ${id} not found in ${this.path}`);
    return toAnnotation(row);
  }

  #requireImage(id: number): void {
    if (this.#sql.imageExists.get(id) === undefined) throw new Error(`image ${id} not found in ${this.path}`);
  }

  #requireCategory(id: number | null | undefined): void {
    if (id !== null && id !== undefined && this.#sql.categoryById.get(id) === undefined) {
      throw new Error(`category ${id} not found in ${this.path}`);
    }
  }

  #nextColor(imageId: number): string {
    return pickColor(this.#colorCounts(imageId));
  }

  #colorCounts(imageId: number): Map<string, number> {
    const rows = this.#sql.colorsOfImage.all(imageId) as { color: string; n: number }[];
    return new Map(rows.map((row) => [row.color, row.n]));
  }
}
