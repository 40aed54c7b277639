// Adding images to a project: expand folders into image files, probe each file
// (upright size, EXIF orientation, and every way a file can be unusable) a few
// at a time, then add all good ones in one store transaction. Every input file
// ends up either added or in `skipped` with a one-line reason: nothing is lost.
import { readdir, realpath, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import type { ImageRecord, Skipped } from '@core/types';
import type { NewImage, ProjectStore } from '../store/api';
import { fromStoredPath, projectFolder } from '../store/paths';
import { probeMany } from './probe-many';

// .bmp/.dib are decoded by bmp.ts; .heic/.heif are collected so the probe
// says why an HEVC-coded one is not added, instead of it vanishing.
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['.jpg', '.jpeg', '.jpe', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif', '.heic', '.heif', '.bmp', '.dib']);

export interface AddProgress {
  done: number;
  total: number;
  current: string;
}

export interface AddImagesOptions {
  onProgress?: (progress: AddProgress) => void;
  /** Files probed at once (sharp reads headers on libuv's thread pool). Default: CPU count, 2..8. */
  concurrency?: number;
}

// Natural order ("img2" before "img10") with a fixed locale so the order is the
// same on every machine; the plain comparison breaks ties, keeping it total.
const collator = new Intl.Collator('en', { numeric: true });
function compareNames(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Absolute paths of the image files in `pathsOrDirs`: folders are walked
 * recursively (hidden entries such as .DS_Store or ._x.jpg skipped, only image
 * extensions kept); a file named explicitly is kept whatever its extension, as
 * is a path that does not exist, so the probe reports it instead of it
 * vanishing. Sorted, duplicates removed. Every other file found in a folder
 * is pushed to `notImages` with why it was passed over (issue 9: every file of
 * a chosen folder is added or listed).
 */
export async function collectImageFiles(pathsOrDirs: string[], notImages: Skipped[] = []): Promise<string[]> {
  const found = new Set<string>();
  const visitedDirs = new Set<string>();
  for (const input of pathsOrDirs) {
    const absolute = resolve(input);
    const info = await stat(absolute).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw new Error(`${absolute}: cannot read (${err.code ?? err.message})`);
    });
    if (info?.isDirectory()) await walk(absolute, found, visitedDirs, notImages);
    else found.add(absolute);
  }
  return [...found].sort(compareNames);
}

async function walk(dir: string, found: Set<string>, visitedDirs: Set<string>, notImages: Skipped[]): Promise<void> {
  // Symbolic links are followed; the real path guards against a link loop.
  const real = await realpath(dir);
  if (visitedDirs.has(real)) return;
  visitedDirs.add(real);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new Error(`${dir}: cannot list folder (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.name.startsWith('.')) {
      if (entry.isFile()) notImages.push({ path, reason: 'hidden file (name starts with a dot); not added' });
      continue;
    }
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await stat(path).catch(() => undefined); // a dangling link is not an image
      isDir = Boolean(target?.isDirectory());
      isFile = Boolean(target?.isFile());
    }
    if (isDir) await walk(path, found, visitedDirs, notImages);
    else if (isFile && IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) found.add(path);
    else if (isFile) notImages.push({ path, reason: `not an image file (${extname(entry.name) ? `extension ${extname(entry.name)}` : 'no extension'}); not added` });
    else if (entry.isSymbolicLink() && !isDir) notImages.push({ path, reason: 'link to nothing readable; not added' });
  }
}

/**
 * Collects, probes and adds images. Probing runs `concurrency` files at a time;
 * the store write is one transaction, in collected (sorted) order.
 */
export async function addImagesToStore(
  store: ProjectStore,
  pathsOrDirs: string[],
  options: AddImagesOptions = {},
): Promise<{ added: ImageRecord[]; skipped: Skipped[] }> {
  const notImages: Skipped[] = [];
  const files = await collectImageFiles(pathsOrDirs, notImages);
  const dirs = await foldersAmong(pathsOrDirs);
  // One SELECT of the stored paths (not listImages' counts plus a query per image): ~3x faster on 20k images.
  const folder = projectFolder(store.path);
  const known = new Set(store.exportImageRows().map(([, stored]) => fromStoredPath(folder, stored)));
  const skippedAt = new Map<number, Skipped>();
  const probed = new Map<number, NewImage>();
  const toProbe: number[] = [];
  files.forEach((file, index) => {
    // Files already in the project are not probed again (re-adding a folder is common).
    if (known.has(file)) skippedAt.set(index, { path: file, reason: 'already in the project' });
    else toProbe.push(index);
  });

  const outcomes = await probeMany(
    toProbe.map((index) => files[index]!),
    { onProgress: options.onProgress, concurrency: options.concurrency, doneBefore: skippedAt.size, total: files.length },
  );
  toProbe.forEach((index, i) => {
    const outcome = outcomes[i]!;
    const file = files[index]!;
    // An unexpected failure is reported for that file like a bad image, not thrown: the rest still get added.
    if ('reason' in outcome) skippedAt.set(index, { path: file, reason: outcome.reason });
    else probed.set(index, { absolutePath: file, width: outcome.width, height: outcome.height, orientation: outcome.orientation, present: true });
  });

  const good = toProbe.filter((index) => probed.has(index)).map((index) => probed.get(index)!);
  const result = good.length > 0 ? store.transaction(() => {
    const result = store.addImages(good);
    // The first folder images came from becomes the project's images root (export's default file_name base).
    if (result.added.length > 0 && store.imagesRoot() === null) store.setImagesRoot(dirs[0] ?? dirname(good[0]!.absolutePath));
    return result;
  }) : { added: [], skipped: [] };
  const skipped = [...[...skippedAt.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s), ...result.skipped, ...notImages];
  return { added: result.added, skipped };
}

/** The inputs that are folders, resolved, in order. */
async function foldersAmong(pathsOrDirs: string[]): Promise<string[]> {
  const dirs: string[] = [];
  for (const input of pathsOrDirs) if ((await stat(resolve(input)).catch(() => undefined))?.isDirectory()) dirs.push(resolve(input));
  return dirs;
}

/** Files probed at once by default: the CPU count, kept within 2..8 (sharp reads headers on libuv's thread pool). */
export function probeConcurrency(): number {
  return Math.min(8, Math.max(2, availableParallelism()));
}

/** Runs fn over items with at most `limit` in flight. */
export async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
