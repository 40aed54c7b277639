// How image paths are kept in a project file. An image inside the project's
// folder (or below it) is stored relative to that folder with '/' separators,
// so moving or copying the whole folder — to another machine or OS — keeps it
// working. An image elsewhere is stored absolute: a relative '../..' path would
// break as soon as the project file alone is moved, which users do more often
// than moving a tree of unrelated folders together.
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';

export function projectFolder(projectFile: string): string {
  return dirname(resolve(projectFile));
}

/** The form stored in images.path for an absolute file path. */
export function toStoredPath(folder: string, absolutePath: string): string {
  const absolute = resolve(absolutePath);
  const rel = relative(folder, absolute);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return absolute;
  return rel.split(sep).join('/');
}

/** The absolute path of a stored images.path. */
export function fromStoredPath(folder: string, stored: string): string {
  return isAbsolute(stored) ? stored : resolve(folder, ...stored.split('/'));
}

export function fileNameOf(absolutePath: string): string {
  return basename(absolutePath);
}
