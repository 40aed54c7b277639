// Canonical paths and lexical containment, shared by the path grants
// (handlers/path-grants.ts) and the COCO import's images-folder confinement.
//
// Canonical form: absolute, `..` resolved, symlinks resolved (realpath) as far
// as the path exists; the rest, which does not exist yet, cannot be a link.
// Resolving touches the file system — on Windows a UNC path (\\host\share)
// opens a network connection — so callers decide on the lexical form first
// (insideLexically) and only then resolve a path they were going to admit.
import { realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import nodePath, { type PlatformPath } from 'node:path';

/** The path flavour and the realpath calls; tests pass path.win32 and fakes. */
export interface PathOps {
  path: PlatformPath;
  realpath(path: string): Promise<string>;
  realpathSync(path: string): string;
}

export const nodePathOps: PathOps = {
  path: nodePath,
  realpath: (path) => realpath(path),
  realpathSync: (path) => realpathSync.native(path),
};

/**
 * The canonical form of a path: realpath of its longest existing ancestor plus
 * the rest. An ancestor that cannot be resolved (missing, unreadable) is kept
 * by name and its parent resolved instead.
 */
export function canonicalPathSync(path: string, ops: PathOps = nodePathOps): string {
  const { resolve, dirname, basename, join } = ops.path;
  const absolute = resolve(path);
  const tail: string[] = [];
  for (let current = absolute; ; current = dirname(current)) {
    try {
      return join(ops.realpathSync(current), ...tail.reverse());
    } catch {
      // Not resolvable here (typically: does not exist yet): keep the name, resolve the parent.
      if (dirname(current) === current) return absolute;
      tail.push(basename(current));
    }
  }
}

/** canonicalPathSync without blocking the thread. */
export async function canonicalPath(path: string, ops: PathOps = nodePathOps): Promise<string> {
  const { resolve, dirname, basename, join } = ops.path;
  const absolute = resolve(path);
  const tail: string[] = [];
  for (let current = absolute; ; current = dirname(current)) {
    try {
      return join(await ops.realpath(current), ...tail.reverse());
    } catch {
      // As above: an unresolvable level is kept by name and its parent resolved.
      if (dirname(current) === current) return absolute;
      tail.push(basename(current));
    }
  }
}

/** Whether the file system compares names without case (Windows, macOS by default). */
function caseInsensitive(path: PlatformPath): boolean {
  return path === nodePath.win32 || (path === nodePath && (process.platform === 'win32' || process.platform === 'darwin'));
}

/** A path as compared: lower-cased where the file system ignores case. */
export function foldCase(p: string, path: PlatformPath = nodePath): string {
  return caseInsensitive(path) ? p.toLowerCase() : p;
}

/**
 * Whether `child` is `folder` or lies inside it, by name only (both already
 * resolved): no file-system access, so no link is followed and no network
 * share is contacted.
 */
export function insideLexically(child: string, folder: string, path: PlatformPath = nodePath): boolean {
  const fold = caseInsensitive(path) ? (s: string) => s.toLowerCase() : (s: string) => s;
  const c = fold(child);
  const f = fold(folder);
  if (c === f) return true;
  const prefix = f.endsWith(path.sep) ? f : f + path.sep;
  return c.startsWith(prefix);
}

/** The same path by name (case folded where the file system does). */
export function samePathLexically(a: string, b: string, path: PlatformPath = nodePath): boolean {
  return caseInsensitive(path) ? a.toLowerCase() === b.toLowerCase() : a === b;
}
