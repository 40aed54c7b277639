// Whether an image's file is there now (issue 16, item 4): the project learns
// which files are missing when it opens, but a file deleted or moved while it
// is open must be noticed too — when the image is selected (checkImageFile,
// one stat), and when the project is exported (missingImageFiles: the export
// still writes every image, and names those without a file).
// A network or device path is never touched (paths/untouchable.ts): it counts
// as missing by its form.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { oneLine } from '@core/errors';
import type { ImageFileCheck, MissingImageFile } from '@core/types';
import type { ExportImageRow, ProjectStore } from '../store/api';
import { fromStoredPath, projectFolder } from '../store/paths';
import { untouchablePathReason } from '../paths/untouchable';
import { probeFailure, probeImage } from './probe';

/**
 * The image's file as it is now: its path, and why it cannot be shown (not
 * found, not a file, not readable), or null. `deep` also reads its header
 * (a browser that could not decode it asks why).
 */
export async function checkImageFile(store: ProjectStore, id: number, deep = false): Promise<ImageFileCheck> {
  const image = store.getImage(id);
  if (!image) throw new Error(`no image with id ${id} in this project`);
  let file: string | undefined;
  try {
    file = store.imageFilePath(id);
  } catch (err) {
    return { id, path: image.path, problem: oneLine(err), version: null }; // a network or device path: never opened
  }
  if (!file) throw new Error(`no image with id ${id} in this project`);
  let version: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) return { id, path: file, problem: 'not a regular file', version: null };
    await access(file, constants.R_OK);
    version = Math.round(info.mtimeMs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { id, path: file, problem: code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? oneLine(err)})`, version: null };
  }
  if (deep) {
    try {
      await probeImage(file);
    } catch (err) {
      return { id, path: file, problem: probeFailure(err), version };
    }
  }
  return { id, path: file, problem: null, version };
}

/**
 * Of the image rows an export takes (store.exportImageRows, filtered to its
 * scope by the caller: one read of the table for both), those whose files
 * are not there now, by id. The existence
 * checks run on libuv's threads, so an export that starts them first and
 * awaits them after writing pays little for them (20,000 checks cost ~0.1 s
 * of system calls). Network paths are not checked: missing by their form.
 */
export async function missingImageFiles(storePath: string, rows: readonly ExportImageRow[]): Promise<MissingImageFile[]> {
  const folder = projectFolder(storePath);
  const checks = rows.map(([id, stored]): Promise<MissingImageFile | null> => {
    if (untouchablePathReason(stored) !== null) return Promise.resolve({ id, path: stored });
    const file = fromStoredPath(folder, stored);
    return access(file).then(
      () => null,
      () => ({ id, path: file }),
    );
  });
  return (await Promise.all(checks)).filter((m): m is MissingImageFile => m !== null);
}

/** " (2 image files are missing: /a/x.jpg, /a/y.jpg; exported all the same)", or '' when none is. */
export function missingFilesNote(missing: readonly MissingImageFile[]): string {
  if (missing.length === 0) return '';
  const shown = missing.slice(0, 3).map((m) => m.path).join(', ');
  const more = missing.length > 3 ? ` and ${missing.length - 3} more` : '';
  return ` (${missing.length === 1 ? '1 image file is' : `${missing.length} image files are`} missing: ${shown}${more}; exported all the same)`;
}
