#!/usr/bin/env node
// Makes sure node_modules/better-sqlite3 loads in plain Node (tests, the CLI).
// Run by `npm test`'s pretest.
//
// The native-module ABI scheme (scripts/start.mjs has the other half):
// better-sqlite3 is compiled against one runtime's V8 ABI, and plain Node and
// Electron have different ones (NODE_MODULE_VERSION), so one build cannot serve
// both. onnxruntime-node and sharp use Node-API, which is ABI-stable, and need
// nothing. So:
//   - node_modules/better-sqlite3 always holds the NODE build (what npm ci makes);
//   - the ELECTRON build lives apart, in node_modules/.cache/egm-electron-sqlite/,
//     made by start.mjs and handed to the store as `nativeBinding` through the
//     EGM_SQLITE_BINDING environment variable;
//   - a packaged app gets its own Electron build from electron-builder.
// Nothing in that scheme swaps node_modules to Electron's ABI, but tools do
// (`electron-builder install-app-deps`, `npm run dist`, a hand-run electron-rebuild
// rebuild in place). This script repairs that: it tries to load the module in a
// child Node process and runs `npm rebuild better-sqlite3` only when that fails,
// so switching between `npm start` and `npm test` always works.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const probe = "const D = require('better-sqlite3'); const db = new D(':memory:'); db.prepare('select 1').get(); db.close();";

function loadsInNode() {
  const run = spawnSync(process.execPath, ['-e', probe], { cwd: root, encoding: 'utf8' });
  return { ok: run.status === 0, reason: (run.stderr || run.error?.message || '').split('\n').find((line) => /Error|error/.test(line)) ?? `exit ${run.status}` };
}

const first = loadsInNode();
if (first.ok) {
  console.error(`ensure-node-abi: better-sqlite3 loads in Node ${process.version} (ABI ${process.versions.modules})`);
  process.exit(0);
}
console.error(`ensure-node-abi: better-sqlite3 does not load in Node ${process.version} (${first.reason.trim()}); running npm rebuild better-sqlite3`);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const rebuild = spawnSync(npm, ['rebuild', 'better-sqlite3'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (rebuild.status !== 0) {
  console.error(`ensure-node-abi: npm rebuild better-sqlite3 failed (exit ${rebuild.status}); run it by hand to see why`);
  process.exit(1);
}
const second = loadsInNode();
if (!second.ok) {
  console.error(`ensure-node-abi: better-sqlite3 still does not load after the rebuild (${second.reason.trim()})`);
  process.exit(1);
}
console.error(`ensure-node-abi: rebuilt better-sqlite3 for Node ${process.version} (ABI ${process.versions.modules})`);
