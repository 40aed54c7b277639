// The image worker's bundle (dist/host/vision-worker.mjs) as a packaged app
// lays it out: unpacked beside the asar with the node_modules that
// electron-builder.yml's asarUnpack lists, and nothing else. From there it
// must load sharp (external in the bundle) and decode; with no sharp beside
// it, it must say so at start, with the reason, so the main side decodes
// instead (vision-off-thread.ts). Plain Node stands in for Electron here
// (no Electron binary): it checks the unpacked tree resolves on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { REPO_ROOT } from '../helpers/tiny-model';

const cfg = { patchSize: 16, mergeSize: 2, temporalPatchSize: 2, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], rescale: 1 / 255, minPixels: 65_536, maxPixels: 1_003_520 };

type Reply = { type: string; available?: boolean; reason?: string; length?: number; gridH?: number; gridW?: number; message?: string };

/** Starts the bundle at `file`, loads `image` through it, and gives the replies in order. */
function run(file: string, image: string): Promise<Reply[]> {
  return new Promise((done, fail) => {
    const replies: Reply[] = [];
    const worker = new Worker(file);
    worker.on('error', fail);
    worker.on('message', (m: Reply) => {
      replies.push(m);
      if (m.type === 'decoder') worker.postMessage({ type: 'load', id: 1, path: image, cfg, maxPixels: cfg.maxPixels });
      if (m.type === 'need') worker.postMessage({ type: 'buffer', id: 1, buffer: new ArrayBuffer(m.length! * 4) });
      if (m.type === 'done' || m.type === 'error') void worker.terminate().then(() => done(replies));
    });
  });
}

describe('the image worker bundle, unpacked as in a packaged app', () => {
  let dir: string;
  let bundle: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'egm-unpacked-'));
    // Built into the test's own folder: other tests and the e2e harness read dist/.
    execFileSync(process.execPath, ['scripts/build.mjs', 'node', '--out-dir', join(dir, 'dist')], { cwd: REPO_ROOT, stdio: 'pipe' });
    bundle = join(dir, 'dist/host/vision-worker.mjs');
  }, 120_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads sharp from the node_modules asarUnpack lists, and decodes', async () => {
    const unpacked = join(dir, 'app.asar.unpacked');
    mkdirSync(join(unpacked, 'dist/host'), { recursive: true });
    cpSync(bundle, join(unpacked, 'dist/host/vision-worker.mjs'));
    const modules = [...readFileSync(resolve(REPO_ROOT, 'electron-builder.yml'), 'utf8').matchAll(/^\s*-\s*node_modules\/(.+?)\/\*\*\s*$/gm)].map((m) => m[1]!);
    expect(modules).toEqual(expect.arrayContaining(['sharp', '@img']));
    for (const m of modules) cpSync(resolve(REPO_ROOT, 'node_modules', m), join(unpacked, 'node_modules', m), { recursive: true, dereference: true });
    const replies = await run(join(unpacked, 'dist/host/vision-worker.mjs'), resolve(REPO_ROOT, 'assets/samples/fruits.jpg'));
    expect(replies[0]).toEqual({ type: 'decoder', available: true });
    expect(replies.at(-1)).toMatchObject({ type: 'done', gridH: 30, gridW: 32 });
  }, 120_000);

  it('says at start, with the reason, when it cannot load sharp', async () => {
    const alone = join(dir, 'alone');
    mkdirSync(alone);
    cpSync(bundle, join(alone, 'vision-worker.mjs'));
    const replies = await run(join(alone, 'vision-worker.mjs'), resolve(REPO_ROOT, 'assets/samples/fruits.jpg'));
    expect(replies[0]).toMatchObject({ type: 'decoder', available: false });
    expect(replies[0]!.reason).toMatch(/sharp/);
    // A load without samples is refused in one line (the main side never sends one after this report).
    expect(replies[1]).toMatchObject({ type: 'error', message: 'the image worker cannot decode (sharp did not load)' });
  }, 60_000);
});
