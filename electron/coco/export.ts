// Exports a project to a COCO detection file (DESIGN.md, "COCO export").
// file_name is relative to the images folder (default: the COCO file's own
// folder, the same default import uses), with '/' separators on every OS, so a
// dataset folder holding the JSON and its images can be moved as one.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { CocoExportReport } from '../ipc/contract';
import { buildCocoDocument, serializeCoco, type ExportImage, type ExportInput } from '../core/coco';
import type { ProjectStore } from '../store/api';
import { fromStoredPath, projectFolder } from '../store/paths';
import { writeFileAtomic } from './atomic-write';

export interface CocoExportOptions {
  /** Folder file_name is relative to; default: the folder of `outPath`. */
  imagesDir?: string;
}

export interface CocoExportTimings {
  readMs: number;
  buildMs: number;
  serializeMs: number;
  writeMs: number;
}

/** The file name COCO records for an image: relative to `imagesDir`, '/' separated. */
export function cocoFileName(imagesDir: string, absolutePath: string): string {
  const rel = relative(imagesDir, absolutePath);
  // Another drive on Windows: no relative form exists, keep the absolute path.
  if (isAbsolute(rel)) return absolutePath.split(sep).join('/');
  return rel.split(sep).join('/');
}

/** What the export reads from the project, with file names made relative to `imagesDir`. */
export function readExportInput(store: ProjectStore, imagesDir: string): ExportInput {
  const folder = projectFolder(store.path);
  const images: ExportImage[] = store.listImages().map((image) => ({
    id: image.id,
    fileName: cocoFileName(imagesDir, fromStoredPath(folder, image.path)),
    width: image.width,
    height: image.height,
  }));
  return { images, categories: store.listCategories(), annotations: store.allAnnotations() };
}

export async function exportCocoFile(
  store: ProjectStore,
  outPath: string,
  options: CocoExportOptions = {},
): Promise<CocoExportReport & { timings: CocoExportTimings }> {
  const out = resolve(outPath);
  const imagesDir = resolve(options.imagesDir ?? resolve(out, '..'));
  const t0 = performance.now();
  const input = readExportInput(store, imagesDir);
  const t1 = performance.now();
  const doc = buildCocoDocument(input);
  const t2 = performance.now();
  const text = serializeCoco(doc);
  const t3 = performance.now();
  await writeFileAtomic(out, text);
  const t4 = performance.now();
  return {
    path: out,
    images: doc.images.length,
    annotations: doc.annotations.length,
    categories: doc.categories.length,
    timings: { readMs: t1 - t0, buildMs: t2 - t1, serializeMs: t3 - t2, writeMs: t4 - t3 },
  };
}
