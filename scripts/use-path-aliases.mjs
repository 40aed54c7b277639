// Rewrites relative imports that reach into an aliased folder (electron/core,
// electron/ipc: see path-aliases.mjs) into the alias: '../../electron/core/types'
// becomes '@core/types'. Imports between files of the same aliased folder stay
// relative: they are neighbours, and the folder stays movable as a whole.
// Usage: node scripts/use-path-aliases.mjs [--check] <file or folder>...
// Prints each file it changed; with --check it changes nothing, prints the
// files it would change and exits 1 if there are any.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathAliases } from './path-aliases.mjs';

const sourceFile = /\.(ts|tsx|mts|cts)$/;
// `from '…'`, `import '…'`, `import('…')`, `vi.mock('…')`, `vi.importActual('…')`: every place a module path is written.
const specifier = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bvi\.(?:mock|doMock|importActual)\s*\(\s*)(['"])(\.\.?\/[^'"]*)\2/g;

function aliasFor(importer, spec) {
  const target = resolve(dirname(importer), spec);
  for (const [alias, folder] of Object.entries(pathAliases)) {
    const inside = (path) => path === folder || path.startsWith(folder + sep);
    if (inside(target) && !inside(importer)) return [alias, ...relative(folder, target).split(sep).filter(Boolean)].join('/');
  }
  return undefined;
}

function rewrite(file) {
  const before = readFileSync(file, 'utf8');
  const after = before.replace(specifier, (whole, lead, quote, spec) => {
    const aliased = aliasFor(file, spec);
    return aliased ? `${lead}${quote}${aliased}${quote}` : whole;
  });
  if (after !== before) {
    if (!check) writeFileSync(file, after);
    console.log(relative(process.cwd(), file));
    changed++;
  }
}

function walk(path) {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path)) if (name !== 'node_modules') walk(join(path, name));
  } else if (sourceFile.test(path)) {
    rewrite(path);
  }
}

const check = process.argv[2] === '--check';
const targets = process.argv.slice(check ? 3 : 2);
let changed = 0;
if (targets.length === 0) throw new Error('use-path-aliases: name the files or folders to rewrite');
for (const target of targets) walk(resolve(target));
if (check && changed > 0) {
  console.error(`use-path-aliases: ${changed} file(s) reach into an aliased folder by a relative path`);
  process.exitCode = 1;
}
