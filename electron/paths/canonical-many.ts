// canonicalPath (canonical.ts) of many files at once, for a COCO import's
// confinement check of thousands of images: a file that is not a link has its
// folder's canonical path plus its own name, so only each folder is resolved
// (once). Which names are links is read from the folder's listing where many
// files share a folder (one readdir instead of an lstat each), else by lstat.
// Links, and paths that cannot be checked, take canonicalPath itself.
import { lstatSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { canonicalPath } from './canonical';

const SLICE = 1024;
/** Files of one folder from which its listing is read instead of an lstat each. */
const LIST_FROM = 64;

export async function canonicalPaths(paths: readonly string[]): Promise<string[]> {
  const perFolder = new Map<string, number>();
  for (const path of paths) perFolder.set(dirname(path), (perFolder.get(dirname(path)) ?? 0) + 1);
  const listings = new Map<string, Map<string, boolean> | null>();
  const isLink = (path: string): boolean => {
    const dir = dirname(path);
    if ((perFolder.get(dir) ?? 0) >= LIST_FROM) {
      let links = listings.get(dir);
      if (links === undefined) {
        try {
          links = new Map(readdirSync(dir, { withFileTypes: true }).map((entry) => [entry.name, entry.isSymbolicLink()]));
        } catch {
          links = null; // cannot list: each file is asked
        }
        listings.set(dir, links);
      }
      // A name not listed as written (missing, or another case on a case-insensitive disk) is asked by lstat.
      const listed = links?.get(basename(path));
      if (listed !== undefined) return listed;
    }
    try {
      return lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
    } catch {
      return true; // cannot tell (permissions): the slow way says
    }
  };
  const folders = new Map<string, Promise<string>>();
  const folderOf = (dir: string) => {
    let canonical = folders.get(dir);
    if (!canonical) folders.set(dir, (canonical = canonicalPath(dir)));
    return canonical;
  };
  const out = new Array<string>(paths.length);
  for (let start = 0; start < paths.length; start += SLICE) {
    if (start > 0) await nextTurn();
    for (let i = start; i < Math.min(paths.length, start + SLICE); i++) {
      const path = paths[i]!;
      out[i] = isLink(path) ? await canonicalPath(path) : join(await folderOf(dirname(path)), basename(path));
    }
  }
  return out;
}
