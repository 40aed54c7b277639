// Builds everything the app and the CLI run from:
//   dist/renderer/  the React UI (Vite)
//   dist/main/      Electron main (ESM) and the sandboxed preload (one CJS file: a sandboxed preload cannot require local files)
//   dist/host/      the model host process (utilityProcess in the app, child process in the CLI)
//                   and the worker_threads: the model builder's (model-build-worker.mjs), its tensor
//                   conversion workers (model-convert-worker.mjs), the BMP decoder's (bmp-decode-worker.mjs),
//                   the local engine's image worker (vision-worker.mjs), the COCO reader's (coco-read-worker.mjs)
//   dist/cli/       the `egm` command
// Node-side bundles keep node_modules external: native modules load from there.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { pathAliases } from './path-aliases.mjs';

const only = process.argv[2]; // optional: 'renderer' | 'node'
// Optional `--out-dir <dir>` (Node bundles only): a private copy of dist/'s bundles, for a test that must not race dist/.
const outDirAt = process.argv.indexOf('--out-dir');
const outDir = outDirAt > 0 ? process.argv[outDirAt + 1] : 'dist';
const nodeEntries = [
  { in: 'electron/app/main.ts', out: 'dist/main/main.mjs', format: 'esm' },
  { in: 'electron/app/preload.ts', out: 'dist/main/preload.cjs', format: 'cjs' },
  { in: 'electron/engine/host/host-entry.ts', out: 'dist/host/model-host.mjs', format: 'esm' },
  // Self-contained (zod bundled) and unpacked from the asar (electron-builder.yml), so a worker_thread can load it as a plain file.
  { in: 'electron/models/build-worker.ts', out: 'dist/host/model-build-worker.mjs', format: 'esm', selfContained: true },
  // The image protocol's BMP decoder (main process): self-contained and unpacked like the builder's.
  { in: 'electron/images/bmp-worker.ts', out: 'dist/host/bmp-decode-worker.mjs', format: 'esm', selfContained: true },
  // The local engine's image worker (decode, RGB conversion, resize, patching), started by the model host;
  // sharp stays external (native, unpacked beside the asar), loaded by the worker when it resolves.
  { in: 'electron/engine/local/vision-worker.ts', out: 'dist/host/vision-worker.mjs', format: 'esm', selfContained: true, external: ['sharp'] },
  // The COCO import's reader (parse and structure check of a large file), self-contained and unpacked likewise.
  { in: 'electron/coco/read-worker.ts', out: 'dist/host/coco-read-worker.mjs', format: 'esm', selfContained: true },
  // The builder's tensor conversion workers (started by the build, in whatever process runs it).
  { in: 'electron/models/onnx-builder/convert-worker.ts', out: 'dist/host/model-convert-worker.mjs', format: 'esm', selfContained: true },
  { in: 'electron/cli/egm.ts', out: 'dist/cli/egm.mjs', format: 'esm', banner: '#!/usr/bin/env node' },
];

if (only !== 'renderer') {
  for (const entry of nodeEntries) {
    if (!existsSync(entry.in)) throw new Error(`build: entry ${entry.in} is missing`);
    const outfile = entry.out.replace(/^dist\//, `${outDir}/`);
    await esbuild({
      entryPoints: [entry.in],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: entry.format,
      packages: entry.format === 'cjs' || entry.selfContained ? undefined : 'external',
      external: ['electron', ...(entry.external ?? [])],
      alias: pathAliases,
      sourcemap: true,
      logLevel: 'warning',
      banner: entry.banner ? { js: entry.banner } : undefined,
    });
    if (entry.banner) await chmod(outfile, 0o755);
  }
}
if (only !== 'node') {
  await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
}
console.error('build: done');
