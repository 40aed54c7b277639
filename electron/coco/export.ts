// Exports a project to a COCO detection file (DESIGN.md, "COCO export").
// file_name is relative to the images folder (default: the COCO file's own
// folder, the same default import uses), with '/' separators on every OS, so a
// dataset folder holding the JSON and its images can be moved as one.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { CocoExportReport } from '../ipc/contract';
import { cocoTextFromRows, type ExportImage, type ExportInput } from '../core/coco';
import type { ProjectStore } from '../store/api';
import { fromStoredPath, projectFolder } from '../store/paths';
import { writeFileAtomic } from './atomic-write';

export interface CocoExportOptions {
  /** Folder file_name is relative to; default: the folder of `outPath`. */
  imagesDir?: string;
}

export interface CocoExportTimings {
  /** Images and categories. */
  readMs: number;
  /** Annotations streamed from the store straight into text (read, build and stringify are one pass). */
  textMs: number;
  writeMs: number;
}

/** The file name COCO records for an image: relative to `imagesDir`, '/' separated. */
export function cocoFileName(imagesDir: string, absolutePath: string): string {
  const rel = relative(imagesDir, absolutePath);
  // Another drive on Windows: no relative form exists, keep the absolute path.
  if (isAbsolute(rel)) return absolutePath.split(sep).join('/');
  return rel.split(sep).join('/');
}

/** The project's images for export, by id, with file names relative to `imagesDir`. */
export function readExportImages(store: ProjectStore, imagesDir: string): ExportImage[] {
  const folder = projectFolder(store.path);
  return store.exportImageRows().map(([id, path, width, height]) => ({
    id,
    fileName: cocoFileName(imagesDir, fromStoredPath(folder, path)),
    width,
    height,
  }));
}

/**
 * What the export reads from the project as domain objects; the reference
 * path (serializeCoco(buildCocoDocument(...))) that cocoTextFromRows must match.
 */
export function readExportInput(store: ProjectStore, imagesDir: string): ExportInput {
  return { images: readExportImages(store, imagesDir), categories: store.listCategories(), annotations: store.allAnnotations() };
}

export async function exportCocoFile(
  store: ProjectStore,
  outPath: string,
  options: CocoExportOptions = {},
): Promise<CocoExportReport & { timings: CocoExportTimings }> {
  const out = resolve(outPath);
  const imagesDir = resolve(options.imagesDir ?? resolve(out, '..'));
  const t0 = performance.now();
  const images = readExportImages(store, imagesDir);
  const categories = store.listCategories();
  const t1 = performance.now();
  // Synchronous to the end: the store's row iterator holds the connection until done.
  const coco = cocoTextFromRows({ images, categories, annotations: store.exportAnnotationRows() });
  const t2 = performance.now();
  await writeFileAtomic(out, coco.text);
  const t3 = performance.now();
  return {
    path: out,
    images: coco.images,
    annotations: coco.annotations,
    categories: coco.categories,
    timings: { readMs: t1 - t0, textMs: t2 - t1, writeMs: t3 - t2 },
  };
}
