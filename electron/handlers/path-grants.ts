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
//
// A path from the renderer is first compared by name (no file-system access)
// with the grants as handed out and in canonical form; only one that matches
// by name is then resolved and compared canonically. A path nobody granted is
// refused without being touched: on Windows, resolving a UNC path
// (\\host\share\...) would already connect to that host.
import { canonicalPath, canonicalPathSync, foldCase, insideLexically, nodePathOps, samePathLexically, type PathOps } from '../paths/canonical';

export { canonicalPath, canonicalPathSync } from '../paths/canonical';

export type GrantPurpose = 'project' | 'images' | 'coco-export' | 'coco-import' | 'model-folder' | 'dataset-export';

/** Realpath calls in flight at once when checking many paths (images:add may send thousands). */
const CHECK_CONCURRENCY = 64;

export class PathGrants {
  readonly #files = new Map<GrantPurpose, Set<string>>();
  readonly #trees = new Map<GrantPurpose, Set<string>>();
  /** Each grant as handed out (resolved by name only) and in canonical form: what a path may match by name. */
  readonly #namedFiles = new Map<GrantPurpose, Set<string>>();
  readonly #namedTrees = new Map<GrantPurpose, Set<string>>();

  /** ops: the path flavour and realpath (tests check Windows paths on any OS). */
  constructor(private readonly ops: PathOps = nodePathOps) {}

  /** Admits exactly this path for the purpose. */
  grantFile(purpose: GrantPurpose, path: string): void {
    const canonical = canonicalPathSync(path, this.ops);
    setOf(this.#files, purpose).add(foldCase(canonical, this.ops.path));
    setOf(this.#namedFiles, purpose).add(this.ops.path.resolve(path)).add(canonical);
  }

  /** Admits this path and every path inside it for the purpose. */
  grantTree(purpose: GrantPurpose, path: string): void {
    const canonical = canonicalPathSync(path, this.ops);
    setOf(this.#trees, purpose).add(foldCase(canonical, this.ops.path));
    setOf(this.#namedTrees, purpose).add(this.ops.path.resolve(path)).add(canonical);
  }

  /**
   * Whether the path was granted for the purpose: it must match a grant by
   * name (without touching the file system), and its canonical form must
   * match too (a link inside a granted folder that points out of it does not).
   */
  async allows(purpose: GrantPurpose, path: string): Promise<boolean> {
    if (!this.#admitsByName(purpose, this.ops.path.resolve(path))) return false;
    return this.#admits(purpose, foldCase(await canonicalPath(path, this.ops), this.ops.path));
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

  #admitsByName(purpose: GrantPurpose, resolved: string): boolean {
    const { path } = this.ops;
    for (const file of this.#namedFiles.get(purpose) ?? []) if (samePathLexically(resolved, file, path)) return true;
    for (const tree of this.#namedTrees.get(purpose) ?? []) if (insideLexically(resolved, tree, path)) return true;
    return false;
  }

  /** canonical: case-folded where the file system ignores case, as the grants are stored. */
  #admits(purpose: GrantPurpose, canonical: string): boolean {
    const { dirname } = this.ops.path;
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
