// Path grants: the file-system paths main handed to the renderer (dialog
// answers, the open project, the model folder in the saved settings or
// installed from the catalog). The renderer is untrusted (Electron's security
// guidance), so the handlers that take a path from it accept only a granted
// one: a compromised renderer cannot open, write or read files the user never
// chose. Pure Node; enforcement is wired in path-guard.ts.
//
// Grants are by purpose, so a path chosen for one thing is not accepted for
// another (a project file opened by the user is no target for a COCO export).
// A file grant admits that exact path; a tree grant (an images folder) admits
// it and everything inside it. Paths are compared in canonical form: absolute,
// `..` resolved, symlinks resolved (realpath) as far as the path exists, so
// `granted/../../etc/x` or a link inside a granted folder that points out of it
// does not match.
import { realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

export type GrantPurpose = 'project' | 'images' | 'coco-export' | 'coco-import' | 'model-folder';

/** Realpath calls in flight at once when checking many paths (images:add may send thousands). */
const CHECK_CONCURRENCY = 64;

/**
 * The canonical form of a path: realpath of its longest existing ancestor plus
 * the rest, which does not exist yet (a file a save dialog named) and so
 * cannot be a link. An ancestor that cannot be resolved (missing, unreadable)
 * is treated the same way, one level up.
 */
export function canonicalPathSync(path: string): string {
  const absolute = resolve(path);
  const tail: string[] = [];
  for (let current = absolute; ; current = dirname(current)) {
    try {
      return join(realpathSync.native(current), ...tail.reverse());
    } catch {
      // Not resolvable here: keep the name and resolve the parent instead.
      if (dirname(current) === current) return absolute;
      tail.push(basename(current));
    }
  }
}

/** canonicalPathSync without blocking the main process's thread. */
export async function canonicalPath(path: string): Promise<string> {
  const absolute = resolve(path);
  const tail: string[] = [];
  for (let current = absolute; ; current = dirname(current)) {
    try {
      return join(await realpath(current), ...tail.reverse());
    } catch {
      // As above: an unresolvable level is kept by name and its parent resolved.
      if (dirname(current) === current) return absolute;
      tail.push(basename(current));
    }
  }
}

export class PathGrants {
  readonly #files = new Map<GrantPurpose, Set<string>>();
  readonly #trees = new Map<GrantPurpose, Set<string>>();

  /** Admits exactly this path for the purpose. */
  grantFile(purpose: GrantPurpose, path: string): void {
    setOf(this.#files, purpose).add(canonicalPathSync(path));
  }

  /** Admits this path and every path inside it for the purpose. */
  grantTree(purpose: GrantPurpose, path: string): void {
    setOf(this.#trees, purpose).add(canonicalPathSync(path));
  }

  /** Whether the path (in any spelling of it) was granted for the purpose. */
  async allows(purpose: GrantPurpose, path: string): Promise<boolean> {
    return this.#admits(purpose, await canonicalPath(path));
  }

  /**
   * Throws `<field> was not chosen in a dialog: <path>` unless every path is
   * granted for the purpose; with several refused, the first is named and the
   * rest counted. `field` names the request field (for one path) or its array.
   */
  async check(purpose: GrantPurpose, field: string, paths: string | readonly string[]): Promise<void> {
    const list = typeof paths === 'string' ? [paths] : paths;
    const refused: number[] = [];
    for (let start = 0; start < list.length; start += CHECK_CONCURRENCY) {
      const chunk = list.slice(start, start + CHECK_CONCURRENCY);
      const admitted = await Promise.all(chunk.map((p) => this.allows(purpose, p)));
      admitted.forEach((ok, i) => ok || refused.push(start + i));
    }
    const first = refused[0];
    if (first === undefined) return;
    const name = typeof paths === 'string' ? field : `${field}[${first}]`;
    const more = refused.length > 1 ? ` (and ${refused.length - 1} more)` : '';
    // A path may hold any character; keep the message one line.
    throw new Error(`${name} was not chosen in a dialog: ${list[first]!.replace(/[\r\n]+/g, ' ')}${more}`);
  }

  #admits(purpose: GrantPurpose, canonical: string): boolean {
    if (this.#files.get(purpose)?.has(canonical)) return true;
    const trees = this.#trees.get(purpose);
    if (!trees) return false;
    for (let current = canonical; ; current = dirname(current)) {
      if (trees.has(current)) return true;
      if (dirname(current) === current) return false;
    }
  }
}

function setOf(map: Map<GrantPurpose, Set<string>>, purpose: GrantPurpose): Set<string> {
  let set = map.get(purpose);
  if (!set) map.set(purpose, (set = new Set()));
  return set;
}
