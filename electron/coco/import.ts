// Imports a COCO detection file (ours or plain COCO) into a project.
// Order matters for "never half-written": read → parse → validate structure →
// probe every referenced image → plan (skips with reasons) → ONE store
// transaction that adds images, categories and annotations. Any failure before
// or inside that transaction leaves the project exactly as it was.
//
// Image files are confined to the images folder: a file_name that leads out of
// it (`../`, an absolute path, a link inside it that points out) is skipped
// with the reason, unless the caller allows outside paths (the CLI's
// --allow-outside-images, the app's confirmation dialog); those read anyway are
// listed in the report's `outside`. Images already in the project are matched
// wherever they are: using them reads no new file.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { CocoImportReport } from '@ipc/contract';
import {
  CocoFormatError,
  parseJsonWithPosition,
  planImport,
  validateCocoStructure,
  type CocoStructure,
  type ImageAvailability,
} from '@core/coco';
import { type AddProgress } from '../images/collect';
import { probeMany } from '../images/probe-many';
import { canonicalPaths } from '../paths/canonical-many';
import type { ImportedAnnotation, NewImage, ProjectStore } from '../store/api';
import { DuplicateFinder } from './duplicates';
import { importNegatives } from '../store/negatives';
import { fromStoredPath, projectFolder } from '../store/paths';
import { untouchablePathReason } from '../paths/untouchable';
import { canonicalPath, insideLexically } from '../paths/canonical';

export interface CocoImportOptions {
  /** Folder that file_name values are relative to; default: the COCO file's folder. */
  imagesDir?: string;
  /** Called as images are probed (the slow part of an import). */
  onProgress?: (progress: AddProgress) => void;
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
  const structure = await readStructure(file);
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
  const probes = await probeMany(paths, { onProgress: options.onProgress });
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
  // importAnnotations checks every image and category it names, so SQLite's per-row checks are redundant here.
  const written = store.bulkTransaction(() => {
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
    const categoryIds = new Map(structure.categories.map((c) => [c.name, store.ensureCategory(c.name, c.id).id]));
    const newIds = new Set(added.added.map((image) => image.id));
    const duplicates = new DuplicateFinder(store, (id) => !newIds.has(id));
    const rows: ImportedAnnotation[] = [];
    let duplicateCount = 0;
    for (const a of plan.annotations) {
      const row: ImportedAnnotation = {
        id: a.cocoId,
        imageId: imageIds.get(a.cocoImageId)!,
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
      };
      if (duplicates.isDuplicate(row)) duplicateCount++;
      else rows.push(row);
    }
    store.importAnnotations(rows);
    const negatives = importNegatives(store, plan.negatives.map((n) => ({ imageId: imageIds.get(n.cocoImageId)!, phrase: n.phrase })));
    if (store.imagesRoot() === null && plan.images.length > 0) store.setImagesRoot(imagesDir);
    return { images: added.added.length, existingImages: plan.images.length - added.added.length, annotations: rows.length, duplicates: duplicateCount, negatives };
  });

  const imported = new Set(plan.images.map((entry) => entry.id));
  return {
    images: written.images,
    existingImages: written.existingImages,
    annotations: written.annotations,
    duplicates: written.duplicates,
    negatives: written.negatives,
    categories: structure.categories.filter((c) => !before.has(c.name)).length,
    skipped: plan.skipped,
    outside: allowOutside ? candidates.filter((entry) => outsideEntries.has(entry.id) && imported.has(entry.id)).map((entry) => pathOf(entry.fileName)) : [],
    warnings: plan.warnings,
  };
}

async function readStructure(file: string): Promise<CocoStructure> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CocoFormatError(`${file}: cannot read COCO file (${code === 'ENOENT' ? 'not found' : (code ?? String(err))})`);
  }
  // A UTF-8 byte-order mark (some Windows editors add one) is not JSON.
  const json = parseJsonWithPosition(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, file);
  try {
    return validateCocoStructure(json);
  } catch (err) {
    if (err instanceof CocoFormatError) throw new CocoFormatError(`${file}: ${err.message}`);
    throw err;
  }
}
