// The import aliases (@core/*, @ipc/*) for every tool that is not tsc: Vite,
// Vitest and esbuild take them from here, and here reads them from
// tsconfig.base.json's `paths`, so the list lives in one place. (tsx reads the
// same `paths` itself through tsconfig.json, which extends tsconfig.base.json.)
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tsconfigPath = resolve(root, 'tsconfig.base.json');

/** `{ '@core': '/abs/electron/core', ... }`: an alias prefix and the folder it stands for. */
export const pathAliases = aliasesFromPaths(JSON.parse(readFileSync(tsconfigPath, 'utf8')).compilerOptions?.paths ?? {});

function aliasesFromPaths(paths) {
  const aliases = {};
  for (const [pattern, targets] of Object.entries(paths)) {
    // Only the folder form ("@x/*": ["dir/*"]) maps onto a prefix alias; anything else would be silently half-supported.
    if (!pattern.endsWith('/*') || targets.length !== 1 || !targets[0].endsWith('/*')) {
      throw new Error(`${tsconfigPath}: paths entry "${pattern}" must have the form "@name/*": ["folder/*"]`);
    }
    aliases[pattern.slice(0, -2)] = resolve(root, targets[0].slice(0, -2));
  }
  return aliases;
}
