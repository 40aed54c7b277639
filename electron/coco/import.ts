// Imports a COCO detection file (ours or plain COCO) into a project.
// Order matters for "never half-written": read → parse → validate structure →
// probe every referenced image → plan (skips with reasons) → ONE store
// transaction that adds images, categories and annotations. Any failure before
// or inside that transaction leaves the project exactly as it was.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { CocoImportReport } from '../ipc/contract';
import {
  CocoFormatError,
  parseJsonWithPosition,
  planImport,
  validateCocoStructure,
  type CocoStructure,
  type ImageAvailability,
} from '../core/coco';
import { probeFailure, probeImage } from '../images/probe';
import { forEachLimited, probeConcurrency, type AddProgress } from '../images/collect';
import type { NewImage, ProjectStore } from '../store/api';
import { fromStoredPath, projectFolder } from '../store/paths';

export interface CocoImportOptions {
  /** Folder that file_name values are relative to; default: the COCO file's folder. */
  imagesDir?: string;
  /** Called as images are probed (the slow part of an import). */
  onProgress?: (progress: AddProgress) => void;
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

  // Images the project already has are matched by resolved path and not probed again.
  const folder = projectFolder(store.path);
  const existing = new Map(store.listImages().map((image) => [fromStoredPath(folder, image.path), image]));
  // Relative names may use '\\' (COCO files written on Windows); both separators are accepted.
  const pathOf = (fileName: string) => (isAbsolute(fileName) ? resolve(fileName) : resolve(imagesDir, ...fileName.split(/[\\/]/)));

  const availability = new Map<number, ImageAvailability>();
  const toAdd = new Map<number, NewImage>();
  const seen = new Map<string, number>();
  for (const entry of structure.images) {
    const path = pathOf(entry.fileName);
    const first = seen.get(path);
    if (first !== undefined) throw new CocoFormatError(`${file}: images[${entry.index}].file_name: '${entry.fileName}' is the same file as images[${first}] (${path})`);
    seen.set(path, entry.index);
  }
  const toProbe = structure.images.filter((entry) => {
    const known = existing.get(pathOf(entry.fileName));
    if (known) availability.set(entry.id, { width: known.width, height: known.height });
    return !known;
  });
  let done = 0;
  await forEachLimited(toProbe, probeConcurrency(), async (entry) => {
    const path = pathOf(entry.fileName);
    try {
      const probe = await probeImage(path);
      availability.set(entry.id, { width: probe.width, height: probe.height });
      toAdd.set(entry.id, { absolutePath: path, width: probe.width, height: probe.height, orientation: probe.orientation });
    } catch (err) {
      // One unreadable file is that image's problem, not the whole import's.
      const reason = probeFailure(err);
      availability.set(entry.id, { reason: reason === 'file not found' ? `file not found at ${path}` : reason });
    }
    options.onProgress?.({ done: ++done, total: toProbe.length, current: path });
  });

  const plan = planImport(structure, availability);
  const before = new Set(store.listCategories().map((c) => c.name));
  const written = store.transaction(() => {
    const newImages = plan.images.flatMap((entry) => toAdd.get(entry.id) ?? []);
    const added = newImages.length > 0 ? store.addImages(newImages) : { added: [], skipped: [] };
    if (added.skipped.length > 0) {
      const first = added.skipped[0]!;
      throw new Error(`${first.path}: the project refused the image (${first.reason}); nothing imported`);
    }
    const imageIdByPath = new Map([...existing].map(([path, image]) => [path, image.id]));
    newImages.forEach((image, i) => imageIdByPath.set(image.absolutePath, added.added[i]!.id));
    const imageIds = new Map(plan.images.map((entry) => [entry.id, imageIdByPath.get(pathOf(entry.fileName))!]));

    // Every category of the file, in file order, even unused ones: a re-export then lists the same categories.
    const categoryIds = new Map(structure.categories.map((c) => [c.name, store.ensureCategory(c.name).id]));
    for (const a of plan.annotations) {
      store.createAnnotation({
        imageId: imageIds.get(a.cocoImageId)!,
        categoryId: a.categoryName === null ? null : categoryIds.get(a.categoryName)!,
        phrase: a.phrase,
        visible: a.visible,
        amodal: a.amodal,
        occluded: a.occluded,
        source: a.source,
        model: a.model,
        score: a.score,
        reviewed: a.reviewed,
      });
    }
    return { images: added.added.length, existingImages: plan.images.length - newImages.length };
  });

  return {
    images: written.images,
    existingImages: written.existingImages,
    annotations: plan.annotations.length,
    categories: structure.categories.filter((c) => !before.has(c.name)).length,
    skipped: plan.skipped,
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
