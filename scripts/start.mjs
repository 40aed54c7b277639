#!/usr/bin/env node
// `npm start` (after `npm run build`): runs the app from this checkout.
//
// The native-module ABI scheme (scripts/ensure-node-abi.mjs has the other half):
// better-sqlite3 is compiled against one runtime's V8 ABI; plain Node (tests,
// CLI) and Electron differ, so one build cannot serve both. Instead of
// rebuilding node_modules in place for Electron (which breaks `npm test` until
// someone rebuilds it back), this script keeps a second, Electron-ABI build in
//   node_modules/.cache/egm-electron-sqlite/<electron>-<platform>-<arch>/node_modules/better-sqlite3
// made once per Electron and better-sqlite3 version with @electron/rebuild
// (a prebuilt binary when one can be downloaded, else a local compile), checks
// that Electron can load it, and passes its path to the app in
// EGM_SQLITE_BINDING; main hands it to better-sqlite3 as `nativeBinding`.
// node_modules/better-sqlite3 keeps the Node build. onnxruntime-node and sharp
// use Node-API (ABI-stable) and need nothing. A packaged app needs none of this:
// electron-builder bundles an Electron build of better-sqlite3 itself.
//
// The electron npm package downloads its binary on first use (internet needed once).
// `node scripts/start.mjs --prepare-only` does the build step only and prints
// {electronBinary, sqliteBinding} as JSON (the Electron e2e test uses it).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const fail = (message) => {
  console.error(`start: ${message}`);
  process.exit(1);
};

if (!process.argv.includes('--prepare-only') && !existsSync(join(root, 'dist', 'main', 'main.mjs'))) fail('dist/main/main.mjs is missing; run `npm run build` first');

const electronVersion = require('electron/package.json').version;
const sqliteVersion = require('better-sqlite3/package.json').version;
let electronBinary;
try {
  // The electron package's main export is the binary's path; it downloads the binary when absent.
  electronBinary = require('electron');
} catch (err) {
  fail(`the Electron ${electronVersion} binary is not installed and could not be downloaded (${String(err.message).split('\n')[0]})`);
}

const binding = await ensureElectronSqlite();
console.error(`start: Electron ${electronVersion}, better-sqlite3 ${sqliteVersion} built for it at ${binding}`);
if (process.argv.includes('--prepare-only')) {
  // Used by test/e2e/electron-launch.test.ts: build what the app needs, print it as JSON, do not launch.
  console.log(JSON.stringify({ electronBinary, sqliteBinding: binding }));
  process.exit(0);
}
const child = spawn(electronBinary, ['.', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, EGM_SQLITE_BINDING: binding },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

/** Path of a better_sqlite3.node that Electron loads, building it first when needed. */
async function ensureElectronSqlite() {
  const buildRoot = join(root, 'node_modules', '.cache', 'egm-electron-sqlite', `${electronVersion}-${process.platform}-${process.arch}`);
  const moduleDir = join(buildRoot, 'node_modules', 'better-sqlite3');
  const binary = join(moduleDir, 'build', 'Release', 'better_sqlite3.node');
  const stamp = join(buildRoot, 'built-from.json');
  const wanted = JSON.stringify({ electronVersion, sqliteVersion });
  if (existsSync(binary) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted && loadsInElectron(binary)) return binary;

  console.error(`start: building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (once; this can take a few minutes)`);
  rmSync(buildRoot, { recursive: true, force: true });
  mkdirSync(moduleDir, { recursive: true });
  // Sources only: the copied Node build must not be mistaken for an Electron one.
  const source = dirname(require.resolve('better-sqlite3/package.json'));
  for (const entry of ['package.json', 'binding.gyp', 'lib', 'src', 'deps']) cpSync(join(source, entry), join(moduleDir, entry), { recursive: true });
  writeFileSync(join(buildRoot, 'package.json'), JSON.stringify({ name: 'egm-electron-sqlite', private: true, dependencies: { 'better-sqlite3': sqliteVersion } }));
  // Resolved from the project (electron-builder depends on it), imported only when a build is needed.
  const { rebuild } = await import('@electron/rebuild');
  try {
    await rebuild({ buildPath: buildRoot, electronVersion, arch: process.arch, onlyModules: ['better-sqlite3'], force: true, mode: 'sequential' });
  } catch (err) {
    fail(`could not build better-sqlite3 for Electron ${electronVersion} (${String(err?.message ?? err).split('\n')[0]}); a C++ toolchain or internet access for prebuilt binaries is needed once`);
  }
  if (!existsSync(binary)) fail(`the Electron build finished but ${binary} is missing`);
  if (!loadsInElectron(binary)) fail(`Electron ${electronVersion} cannot load ${binary}`);
  writeFileSync(stamp, wanted);
  return binary;
}

/** Loads the binding in Electron's own Node (ELECTRON_RUN_AS_NODE), the only real proof of the ABI. */
function loadsInElectron(binary) {
  const probe = `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))}); new D(':memory:', { nativeBinding: ${JSON.stringify(binary)} }).close();`;
  const run = spawnSync(electronBinary, ['-e', probe], { cwd: root, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8' });
  if (run.status !== 0) console.error(`start: Electron cannot load ${binary}: ${(run.stderr || run.error?.message || '').split('\n')[0]}`);
  return run.status === 0;
}
