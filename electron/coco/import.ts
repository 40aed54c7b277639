// Imports a COCO detection file (ours or plain COCO) into a project.
// Order matters for "never half-written": read → parse → validate structure →
// probe every referenced image → plan (skips with reasons) → write. Any failure
// before the write leaves the project exactly as it was.
//
// The file is someone else's (issue 16): it is size- and count-capped, its
// fields held to the limits the app edits them under (core/coco/limits.ts),
// and a large one is read and parsed in a worker_thread (read-structure.ts).
// The write goes in slices of WRITE_SLICE boxes, one transaction each, yielding to the
// event loop between them, so a 100,000-box import never holds Electron main
// for its whole length; a slice that fails has the slices before it taken
// back (its images, boxes and new categories removed), and if even that
// fails the error says how much was written — importing the file again adds
// the rest, as boxes already there count as duplicates. `onStage` reports
// each stage's progress (the app sends it as the `coco:progress` event).
//
// Image files are confined to the images folder: a file_name that leads out of
// it (`../`, an absolute path, a link inside it that points out) is skipped
// with the reason, unless the caller allows outside paths (the CLI's
// --allow-outside-images, the app's confirmation dialog); those read anyway are
// listed in the report's `outside`. Images already in the project are matched
// wherever they are: using them reads no new file.
import { dirname, isAbsolute, resolve } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { CocoImportProgress, CocoImportReport } from '@ipc/contract';
import { CocoFormatError, planImport, type ImageAvailability } from '@core/coco';
import { oneLine } from '@core/errors';
import { type AddProgress } from '../images/collect';
import { probeMany } from '../images/probe-many';
import { canonicalPaths } from '../paths/canonical-many';
import type { ImportedAnnotation, NewImage, ProjectStore } from '../store/api';
import { DuplicateFinder } from './duplicates';
import { readCocoFile } from './read-structure';
import { deleteCategory } from '../store/categories';
import { importNegatives } from '../store/negatives';
import { removeImages } from '../store/remove-images';
import { fromStoredPath, projectFolder } from '../store/paths';
import { untouchablePathReason } from '../paths/untouchable';
import { canonicalPath, insideLexically } from '../paths/canonical';

export interface CocoImportOptions {
  /** Folder that file_name values are relative to; default: the COCO file's folder. */
  imagesDir?: string;
  /** Called as images are probed (the slow part of an import). */
  onProgress?: (progress: AddProgress) => void;
  /** Called as each stage goes: reading the file, checking its images, writing (boxes). */
  onStage?: (progress: CocoImportProgress) => void;
  /** Files larger than this are read and parsed in a worker_thread (default read-structure.ts READ_OFF_THREAD_BYTES). */
  readOffThreadBytes?: number;
  /**
   * Whether image files outside imagesDir may be read: true/false, or asked
   * once with those files (the app's confirmation dialog) before any is read.
   * Default false: they are skipped with the reason.
   */
  allowOutside?: boolean | ((paths: string[]) => Promise<boolean>);
}

export interface CocoImportResult extends CocoImportReport {
  /** COCO images that were already in the project: their annotations were added to them. */
  existingImages: number;
  /** Reported but not skipped, e.g. a width/height that differs from the displayed size. */
  warnings: string[];
}

export async function importCocoFile(store: ProjectStore, cocoPath: string, options: CocoImportOptions = {}): Promise<CocoImportResult> {
  const file = resolve(cocoPath);
  const imagesDir = resolve(options.imagesDir ?? dirname(file));
  const stage = options.onStage ?? (() => undefined);
  stage({ stage: 'reading', done: 0, total: 1 });
  const structure = await readCocoFile(file, options.readOffThreadBytes);
  stage({ stage: 'reading', done: 1, total: 1 });
  const imagesRoot = await canonicalPath(imagesDir);

  // Images the project already has are matched by resolved path and not probed again.
  const folder = projectFolder(store.path);
  const existing = new Map(store.listImages().map((image) => [fromStoredPath(folder, image.path), image]));
  // Relative names may use '\\' (COCO files written on Windows); both separators are accepted.
  const resolved = new Map<string, string>();
  const pathOf = (fileName: string) => {
    let path = resolved.get(fileName);
    if (path === undefined) {
      path = isAbsolute(fileName) ? resolve(fileName) : resolve(imagesDir, ...fileName.split(/[\\/]/));
      resolved.set(fileName, path);
    }
    return path;
  };

  const availability = new Map<number, ImageAvailability>();
  const toAdd = new Map<number, NewImage>();
  const seen = new Map<string, number>();
  for (const entry of structure.images) {
    const path = pathOf(entry.fileName);
    const first = seen.get(path);
    if (first !== undefined) throw new CocoFormatError(`${file}: images[${entry.index}].file_name: '${entry.fileName}' is the same file as images[${first}] (${path})`);
    seen.set(path, entry.index);
  }
  const candidates = structure.images.filter((entry) => {
    const known = existing.get(pathOf(entry.fileName));
    if (known) availability.set(entry.id, { width: known.width, height: known.height });
    return !known;
  });

  // Confinement: by name first, then by canonical path (a link inside the folder that leads out of it).
  const outsideEntries = new Set<number>();
  const named = candidates.filter((entry) => {
    if (untouchablePathReason(pathOf(entry.fileName))) return false; // refused below, never resolved
    if (insideLexically(pathOf(entry.fileName), imagesDir)) return true;
    outsideEntries.add(entry.id);
    return false;
  });
  const canonical = await canonicalPaths(named.map((entry) => pathOf(entry.fileName)));
  named.forEach((entry, i) => {
    if (!insideLexically(canonical[i]!, imagesRoot)) outsideEntries.add(entry.id);
  });
  const outsidePaths = candidates.filter((entry) => outsideEntries.has(entry.id)).map((entry) => pathOf(entry.fileName));
  const allowOutside = outsidePaths.length === 0 ? false : typeof options.allowOutside === 'function' ? await options.allowOutside(outsidePaths) : Boolean(options.allowOutside);
  const toProbe = candidates.filter((entry) => {
    // A network or device path is never probed, allowed or not: that would contact its host.
    const untouchable = untouchablePathReason(pathOf(entry.fileName));
    if (untouchable) {
      availability.set(entry.id, { reason: `resolves to ${pathOf(entry.fileName)}, ${untouchable}; not read (copy the images to a local folder or a mapped drive)` });
      return false;
    }
    if (allowOutside || !outsideEntries.has(entry.id)) return true;
    availability.set(entry.id, {
      reason: `resolves to ${pathOf(entry.fileName)}, outside the images folder ${imagesDir}; not read (import with an images folder that contains it, or allow paths outside it)`,
    });
    return false;
  });
  const paths = toProbe.map((entry) => pathOf(entry.fileName));
  stage({ stage: 'checking images', done: 0, total: paths.length });
  const probes = await probeMany(paths, {
    onProgress: (p) => {
      options.onProgress?.(p);
      stage({ stage: 'checking images', done: p.done, total: p.total });
    },
  });
  toProbe.forEach((entry, i) => {
    const path = paths[i]!;
    const probe = probes[i]!;
    if ('reason' in probe) {
      // One unreadable file is that image's problem, not the whole import's.
      availability.set(entry.id, { reason: probe.reason === 'file not found' ? `file not found at ${path}` : probe.reason });
    } else {
      availability.set(entry.id, { width: probe.width, height: probe.height });
      toAdd.set(entry.id, { absolutePath: path, width: probe.width, height: probe.height, orientation: probe.orientation, present: true });
    }
  });

  const plan = planImport(structure, availability);
  const before = new Set(store.listCategories().map((c) => c.name));
  // 1. Images and categories, in one transaction. importAnnotations checks every image and
  // category it names, so SQLite's per-row checks are redundant in these bulk writes.
  const base = store.bulkTransaction(() => {
    // Each new image, category and annotation asks for its COCO id (kept where free: see core/coco/to-coco.ts).
    const newImages = plan.images.flatMap((entry) => {
      const image = toAdd.get(entry.id);
      return image ? [{ ...image, id: entry.id }] : [];
    });
    const added = newImages.length > 0 ? store.addImages(newImages) : { added: [], skipped: [] };
    const refused = added.skipped.find((skip) => skip.reason !== 'already in the project');
    if (refused) throw new Error(`${refused.path}: the project refused the image (${refused.reason}); nothing imported`);
    const imageIdByPath = new Map([...existing].map(([path, image]) => [path, image.id]));
    for (const image of added.added) imageIdByPath.set(fromStoredPath(folder, image.path), image.id);
    // Another writer (`egm add-images` beside this import) added some of these
    // images since they were probed: they are in the project now, so use them.
    if (added.skipped.length > 0) for (const image of store.listImages()) imageIdByPath.set(fromStoredPath(folder, image.path), image.id);
    const imageIds = new Map(plan.images.map((entry) => [entry.id, imageIdByPath.get(pathOf(entry.fileName))!]));
    // Every category of the file, in file order, even unused ones: a re-export then lists the same categories.
    const categories = structure.categories.map((c) => store.ensureCategory(c.name, c.id));
    return { added: added.added, imageIds, categories };
  });
  const createdImages = base.added.map((image) => image.id);
  const createdCategories = base.categories.filter((c) => !before.has(c.name)).map((c) => c.id);
  const categoryIds = new Map(base.categories.map((c) => [c.name, c.id]));

  // 2. Which boxes are new, decided before any is written (a file listing one box twice keeps both).
  const newIds = new Set(createdImages);
  const duplicates = new DuplicateFinder(store, (id) => !newIds.has(id));
  const rows: ImportedAnnotation[] = [];
  let duplicateCount = 0;
  for (const a of plan.annotations) {
    const row: ImportedAnnotation = {
      id: a.cocoId,
      imageId: base.imageIds.get(a.cocoImageId)!,
      categoryId: a.categoryName === null ? null : categoryIds.get(a.categoryName)!,
      phrase: a.phrase,
      morePhrases: a.morePhrases,
      visible: a.visible,
      amodal: a.amodal,
      occluded: a.occluded,
      source: a.source,
      model: a.model,
      score: a.score,
      reviewed: a.reviewed,
      truncated: a.truncated,
      difficult: a.difficult,
      attributes: a.attributes,
    };
    if (duplicates.isDuplicate(row)) duplicateCount++;
    else rows.push(row);
  }

  // 3. The boxes, a slice per transaction, the event loop served between slices; then negatives and the images root.
  // Written as one call would: the rows whose COCO id is free first, keeping it, then the others, which take
  // the next free ids. Image by image within each, so an image's boxes share a slice (its colours are read once).
  const keep = store.freeAnnotationIds(rows.map((row) => row.id));
  const byImage = (a: ImportedAnnotation, b: ImportedAnnotation) => a.imageId - b.imageId;
  const ordered = [
    ...rows.filter((_, i) => keep[i] !== null).sort(byImage),
    ...rows.filter((_, i) => keep[i] === null).map((row) => ({ ...row, id: undefined })).sort(byImage),
  ];
  const written: number[] = [];
  let negatives: number;
  try {
    stage({ stage: 'writing', done: 0, total: rows.length });
    for (let start = 0; start < ordered.length; start += WRITE_SLICE) {
      await nextTurn();
      written.push(...store.bulkTransaction(() => store.importAnnotations(ordered.slice(start, start + WRITE_SLICE))));
      stage({ stage: 'writing', done: written.length, total: rows.length });
    }
    await nextTurn();
    negatives = store.transaction(() => {
      const added = importNegatives(store, plan.negatives.map((n) => ({ imageId: base.imageIds.get(n.cocoImageId)!, phrase: n.phrase })));
      if (store.imagesRoot() === null && plan.images.length > 0) store.setImagesRoot(imagesDir);
      return added;
    });
  } catch (err) {
    throw new Error(takeBack(store, { annotations: written, images: createdImages, categories: createdCategories }, err, rows.length));
  }

  const imported = new Set(plan.images.map((entry) => entry.id));
  return {
    images: createdImages.length,
    existingImages: plan.images.length - createdImages.length,
    annotations: written.length,
    duplicates: duplicateCount,
    negatives,
    categories: structure.categories.filter((c) => !before.has(c.name)).length,
    skipped: plan.skipped,
    outside: allowOutside ? candidates.filter((entry) => outsideEntries.has(entry.id) && imported.has(entry.id)).map((entry) => pathOf(entry.fileName)) : [],
    warnings: plan.warnings,
  };
}

/** Boxes written per transaction: about 0.1 s of work (and one fsync), after which the app's other work gets its turn. */
const WRITE_SLICE = 10_000;

/**
 * After a failed write: removes what the import wrote before it (its boxes,
 * its new images with what they carry, its new categories) in one
 * transaction, and returns the one-line error, saying what is left if even
 * that fails.
 */
function takeBack(store: ProjectStore, wrote: { annotations: number[]; images: number[]; categories: number[] }, err: unknown, boxes: number): string {
  const reason = oneLine(err);
  if (wrote.annotations.length === 0 && wrote.images.length === 0 && wrote.categories.length === 0) return `${reason}; nothing imported`;
  try {
    store.transaction(() => {
      store.deleteAnnotations(wrote.annotations);
      if (wrote.images.length > 0) removeImages(store, wrote.images);
      for (const id of wrote.categories) deleteCategory(store, id, 'keep');
    });
    return `${reason}; nothing imported (what was written before it was taken back)`;
  } catch (undo) {
    return `${reason}; ${wrote.annotations.length} of ${boxes} boxes and ${wrote.images.length} images were written before it and could not be taken back (${oneLine(undo)}): import the file again to add the rest (boxes already there are skipped)`;
  }
}
