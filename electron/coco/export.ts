// Exports a project to a COCO detection file (DESIGN.md, "COCO export").
// file_name is relative to the images folder (default: the images root the
// project remembers from its import or first added folder, else the COCO
// file's own folder, the default import uses), with '/' separators on every
// OS, so a dataset folder holding the JSON and its images can be moved as one.
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { CocoExportReport } from '@ipc/contract';
import { cocoTextFromRows, type AnnotationExportRow, type ExportImage, type ExportInput } from '@core/coco';
import type { ExportImageRow, ProjectStore } from '../store/api';
import type { MissingImageFile } from '@core/types';
import { fromStoredPath, projectFolder } from '../store/paths';
import { negativeExportRows } from '../store/negatives';
import { exportedImageIds } from '../store/export-scope';
import { writeFileAtomic } from './atomic-write';
import { missingImageFiles } from '../images/file-check';

/** Which images an export takes (dialog and `egm export` alike). */
export interface ExportScope {
  /** Only the images marked done (issue 18): the others are left out with their boxes and marks. */
  onlyDone?: boolean;
}

export interface CocoExportOptions extends ExportScope {
  /** Folder file_name is relative to; default: the project's images root, else the folder of `outPath`. */
  imagesDir?: string;
}

export interface CocoExportTimings {
  /** Images and categories. */
  readMs: number;
  /** Annotations streamed from the store straight into text (read, build and stringify are one pass). */
  textMs: number;
  writeMs: number;
  /** Waiting, after the write, for the file checks still running (missingFiles). */
  missingMs: number;
}

/** The file name COCO records for an image: relative to `imagesDir`, '/' separated. */
export function cocoFileName(imagesDir: string, absolutePath: string): string {
  const rel = relative(imagesDir, absolutePath);
  // Another drive on Windows: no relative form exists, keep the absolute path.
  if (isAbsolute(rel)) return absolutePath.split(sep).join('/');
  return rel.split(sep).join('/');
}

/** Matches a relative path made only of '..' steps: the image's folder is imagesDir or one of its ancestors' parents. */
const ONLY_PARENT_STEPS = /^\.\.(\/\.\.)*$/;

/**
 * cocoFileName(imagesDir, fromStoredPath(folder, stored)) for many stored
 * paths, with the path work (resolve, relative: ~3 µs an image, 60 ms of a
 * 20k-image export) done once per image folder: the name is the folder's
 * name + '/' + the file's. That holds whenever the file name is an ordinary
 * segment and the file cannot be imagesDir or one of its ancestors, which is
 * only possible when the folder's name is all '..' steps; such folders (and
 * odd names) take the per-image path.
 */
export function cocoFileNamer(folder: string, imagesDir: string): (stored: string) => string {
  const prefixes = new Map<string, string | null>();
  const slow = (stored: string) => cocoFileName(imagesDir, fromStoredPath(folder, stored));
  return (stored) => {
    // Relative stored paths use '/'; absolute ones the OS separator ('/' accepted on Windows too).
    const cut = sep === '/' ? stored.lastIndexOf('/') : Math.max(stored.lastIndexOf('/'), stored.lastIndexOf(sep));
    const name = stored.slice(cut + 1);
    if (name === '' || name === '.' || name === '..') return slow(stored);
    // The folder part with its separator, so 'a.jpg' and '/a.jpg' have different keys.
    const key = stored.slice(0, cut + 1);
    let prefix = prefixes.get(key);
    if (prefix === undefined) {
      const absolute = fromStoredPath(folder, stored);
      const dir = cocoFileName(imagesDir, dirname(absolute));
      prefix = ONLY_PARENT_STEPS.test(dir) ? null : dir === '' ? '' : dir.endsWith('/') ? dir : `${dir}/`;
      // The rule checked on the folder's first image; a folder where it fails goes the per-image way.
      if (prefix !== null && prefix + name !== cocoFileName(imagesDir, absolute)) prefix = null;
      prefixes.set(key, prefix);
    }
    return prefix === null ? slow(stored) : prefix + name;
  };
}

/**
 * What one export takes (store/export-scope.ts): the image rows in its scope,
 * read once; `only`, their ids when the scope is not every image (to filter
 * the boxes by); and the check of their files, started here and awaited once
 * the export is written, so it runs beside the text building (issue 16).
 */
export interface ExportSelection {
  rows: ExportImageRow[];
  only: ReadonlySet<number> | null;
  missing: Promise<MissingImageFile[]>;
}

export function selectExport(store: ProjectStore, scope: ExportScope = {}): ExportSelection {
  const only = exportedImageIds(store, scope);
  const all = store.exportImageRows();
  const rows = only ? all.filter(([id]) => only.has(id)) : all;
  return { rows, only, missing: missingImageFiles(store.path, rows) };
}

/**
 * The project's images for export (the selection's rows, default every
 * image), by id, with file names relative to `imagesDir` and the phrases
 * marked "not in this image" on each (negPhrases, only on images that have some).
 */
export function readExportImages(store: ProjectStore, imagesDir: string, rows: readonly ExportImageRow[] = store.exportImageRows()): ExportImage[] {
  const fileName = cocoFileNamer(projectFolder(store.path), imagesDir);
  const negatives = new Map<number, string[]>();
  for (const [imageId, phrase] of negativeExportRows(store)) {
    const list = negatives.get(imageId);
    if (list) list.push(phrase);
    else negatives.set(imageId, [phrase]);
  }
  return rows.map(([id, path, width, height]) => {
    const negPhrases = negatives.get(id);
    return negPhrases ? { id, fileName: fileName(path), width, height, negPhrases } : { id, fileName: fileName(path), width, height };
  });
}

/**
 * What the export reads from the project as domain objects (a selection's
 * images and their boxes, default every image); the reference path
 * (serializeCoco(buildCocoDocument(...))) that cocoTextFromRows must match.
 */
export function readExportInput(store: ProjectStore, imagesDir: string, selection?: Pick<ExportSelection, 'rows' | 'only'>): ExportInput {
  const annotations = store.allAnnotations();
  const only = selection?.only ?? null;
  return {
    images: readExportImages(store, imagesDir, selection?.rows),
    categories: store.listCategories(),
    annotations: only ? annotations.filter((a) => only.has(a.imageId)) : annotations,
  };
}

/** The store's export rows of the images in `only` (the iteration, and the store's, ends with the caller's). */
function* rowsOfImages(rows: Iterable<AnnotationExportRow>, only: ReadonlySet<number>): Generator<AnnotationExportRow> {
  for (const row of rows) if (only.has(row[1])) yield row;
}

export async function exportCocoFile(
  store: ProjectStore,
  outPath: string,
  options: CocoExportOptions = {},
): Promise<CocoExportReport & { timings: CocoExportTimings }> {
  const out = resolve(outPath);
  const imagesDir = resolve(options.imagesDir ?? store.imagesRoot() ?? dirname(out));
  const t0 = performance.now();
  const { rows: imageRows, only, missing } = selectExport(store, options);
  const images = readExportImages(store, imagesDir, imageRows);
  const categories = store.listCategories();
  const t1 = performance.now();
  // Synchronous to the end: the store's row iterator holds the connection until done.
  const rows = store.exportAnnotationRows();
  const coco = cocoTextFromRows({ images, categories, annotations: only ? rowsOfImages(rows, only) : rows });
  const t2 = performance.now();
  await writeFileAtomic(out, coco.text);
  const t3 = performance.now();
  const missingFiles = await missing;
  return {
    path: out,
    images: coco.images,
    annotations: coco.annotations,
    categories: coco.categories,
    negatives: coco.negatives,
    missingFiles,
    timings: { readMs: t1 - t0, textMs: t2 - t1, writeMs: t3 - t2, missingMs: performance.now() - t3 },
  };
}
