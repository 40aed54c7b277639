// Batch auto-label throughput, the whole path, in two parts.
//
// Local engine (issue 17, item 4): a real project of ten 12 MP JPEGs (a photo
// enlarged to 4000×3000, each image its own file), the batch runner, and the
// local backend on the tiny model, whose passes are held to the time of a
// real model's (each onnxruntime run() blocks its thread for a fixed time
// after the real pass, as a model on a GPU holds it: 150 ms for the vision
// encoder, 10 ms per decoder pass, i.e. 100 tokens/s, about 1.9 s for the
// tiny model's 170-token answer; a 4B model on a current GPU). Ideal = items × the
// model's time alone (the time inside run(), measured in the same batch);
//   bench batch_throughput_vs_ideal = ideal / wall time (target ≥ 0.95)
// i.e. how much of the batch the model is busy: the image decode (libvips),
// Pillow's resize and patching must hide behind the model's passes (image
// worker + the runner prefetching the next image). The same batch with the
// images prepared on the model's thread and no look-ahead (as before) is
// printed beside it.
//
// Server backend: a real project file with 300 images, the batch runner
// (items persisted, each answer stored as a proposal in the same transaction
// as its item), the server backend over HTTP, and a simulated
// OpenAI-compatible server (child process, so its CPU stays out of the
// measurement) taking 700 ms per request. Concurrency 16, both kinds: 600
// requests. Ideal = 16 / 0.7 s ≈ 22.9 req/s;
//   bench batch_server_throughput_vs_ideal = measured rate / ideal (issue 4 target ≥ 0.90).
//   npx tsx bench/batch.bench.ts
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { GroundingBackend } from '../electron/engine/backend';
import { LocalBackend } from '../electron/engine/local/local-backend';
import { loadLocalModel } from '../electron/engine/local/load-model';
import { createServerBackend } from '../electron/engine/server';
import { BatchRun } from '../electron/grounding/batch-runner';
import { DEFAULT_GROUNDING } from '../electron/grounding/settings';
import { openProjectStore } from '../electron/store/project-store';
import { listProposals } from '../electron/store/proposals';
import { startFakeServerProcess } from './fake-server-process';
import { tinyModelDir } from '../test/helpers/tiny-model';
import { timeModelPasses } from './session-passes';

const IMAGES = 300;
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const CONCURRENCY = 16;
const REQUEST_MS = 700;

async function makeProject(dir: string) {
  const store = openProjectStore(join(dir, 'bench.egm'), { create: true });
  const images = [];
  for (let i = 0; i < IMAGES; i++) {
    const path = join(dir, `img${String(i).padStart(3, '0')}.jpg`);
    await sharp({ create: { width: 96, height: 64, channels: 3, background: { r: i % 256, g: (i * 7) % 256, b: 128 } } }).jpeg().toFile(path);
    images.push({ absolutePath: path, width: 96, height: 64, orientation: 1 });
  }
  store.addImages(images);
  return store;
}

const LOCAL_IMAGES = Number(process.env.BENCH_LOCAL_IMAGES ?? 10);
/** What each run() is held for after the real pass (a model on a GPU holds its thread as long). */
const HOLD_MS: Record<string, number> = { vision_encoder: 150, embed_tokens: 0, decoder_model_merged: 10 };

/** Blocks this thread for `ms` without using the CPU, as onnxruntime's run() does while the device works. */
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const hold = (ms: number) => ms > 0 && Atomics.wait(sleeper, 0, 0, ms);

async function localBatch(dir: string, photo: string, offThread: boolean, lookAhead: boolean): Promise<{ wall: number; model: number; queries: number; first: number }> {
  const store = openProjectStore(join(dir, `local-${offThread}.egm`), { create: true });
  const images = [];
  for (let i = 0; i < LOCAL_IMAGES; i++) {
    const path = join(dir, `photo-${offThread}-${i}.jpg`);
    copyFileSync(photo, path);
    images.push({ absolutePath: path, width: 4000, height: 3000, orientation: 1 });
  }
  store.addImages(images);
  const loaded = await loadLocalModel({ modelDir: await tinyModelDir(), device: 'cpu' });
  let modelMs = 0;
  let started = 0;
  // When the model's first pass began: the first image is prepared before it, with nothing to hide it behind.
  let first: number | null = null;
  timeModelPasses(
    loaded,
    (_, ms) => {
      modelMs += ms;
      first ??= performance.now() - ms - started;
    },
    (name) => hold(HOLD_MS[name] ?? 0),
  );
  const local = new LocalBackend(loaded, undefined, { offThread });
  // The same backend; without look-ahead the runner finds no prefetch to call (the batch as it ran before).
  const backend: GroundingBackend = lookAhead
    ? local
    : { concurrency: local.concurrency, info: () => local.info(), ground: (r, o) => local.ground(r, o), dispose: () => local.dispose() };
  try {
    // In the app a batch starts on a backend that has been up for a while (the
    // model's load alone takes far longer than its image worker's start): one
    // image, not in the batch, is prepared first, so the image worker is
    // running (from source it compiles TypeScript first, ~0.4 s a bundled app
    // does not spend). The batch's own first image still waits for nothing else.
    const warmUp = join(dir, `warm-up-${offThread}.jpg`);
    copyFileSync(photo, warmUp);
    await local.prefetch(warmUp);
    const settings = { ...DEFAULT_GROUNDING, kinds: 'visible' as const, maxNewTokens: 512 };
    started = performance.now();
    const final = await BatchRun.start({ store, backend, settings }, { phrases: ['the lime'], imageIds: null, concurrency: 1 }).finished;
    const wall = performance.now() - started;
    if (final.done !== LOCAL_IMAGES || final.failed !== 0) throw new Error(`local batch ended ${final.state} with ${final.done} done, ${final.failed} failed of ${LOCAL_IMAGES}`);
    return { wall, model: modelMs, queries: LOCAL_IMAGES, first: first ?? 0 };
  } finally {
    await local.dispose();
    store.close();
  }
}

const localDir = mkdtempSync(join(tmpdir(), 'egm-batch-bench-local-'));
try {
  // A real photograph enlarged to 4000×3000 and saved as a camera would (as bench/engine.bench.ts).
  const photo = join(localDir, 'photo-4000x3000.jpg');
  await sharp(join(import.meta.dirname, '..', 'assets', 'samples', 'fruits.jpg')).resize(4000, 3000, { fit: 'fill', kernel: 'lanczos3' }).jpeg({ quality: 92 }).toFile(photo);
  // The load average beside each run: the figure is a ratio of two times taken on a shared machine.
  const before = await localBatch(localDir, photo, false, false);
  const loadBefore = load();
  const after = await localBatch(localDir, photo, true, true);
  const loadAfter = load();
  for (const [label, r, l] of [['images prepared on the model thread, no look-ahead (before)', before, loadBefore], ['image worker + look-ahead', after, loadAfter]] as const) {
    console.log(`batch (local): ${LOCAL_IMAGES} images of 12 MP, ${label}: ${(r.wall / 1000).toFixed(2)} s; model alone ${(r.model / 1000).toFixed(2)} s (${(r.model / r.queries).toFixed(0)} ms per query); the first image ready after ${r.first.toFixed(0)} ms, then ${((r.wall - r.first - r.model) / (r.queries - 1)).toFixed(0)} ms per further image beyond the model; load ${l} after it`);
  }
  console.log(`bench batch_throughput_vs_ideal_before=${(before.model / before.wall).toFixed(3)} x`);
  console.log(`bench batch_throughput_vs_ideal=${(after.model / after.wall).toFixed(3)} x`);
} finally {
  rmSync(localDir, { recursive: true, force: true });
}

const dir = mkdtempSync(join(tmpdir(), 'egm-batch-bench-'));

const { url, child } = await startFakeServerProcess({ durationMs: REQUEST_MS, record: false });
const store = await makeProject(dir);
const backend = createServerBackend({ baseUrl: `${url}/v1`, model: 'egm', maxConcurrency: CONCURRENCY });
try {
  const settings = { ...DEFAULT_GROUNDING, kinds: 'both' as const };
  const started = performance.now();
  const run = BatchRun.start({ store, backend, settings }, { phrases: ['the object in the middle'], imageIds: null, concurrency: CONCURRENCY });
  const final = await run.finished;
  const seconds = (performance.now() - started) / 1000;
  const requests = IMAGES * 2;
  const ideal = CONCURRENCY / (REQUEST_MS / 1000);
  const rate = requests / seconds;
  if (final.done !== IMAGES || final.failed !== 0) throw new Error(`batch ended ${final.state} with ${final.done} done, ${final.failed} failed of ${IMAGES}`);
  const stored = listProposals(store).length;
  if (stored !== IMAGES) throw new Error(`expected ${IMAGES} proposals stored, found ${stored}`);
  console.log(`batch: ${IMAGES} images x 2 kinds = ${requests} requests at concurrency ${CONCURRENCY}, ${REQUEST_MS} ms each, in ${seconds.toFixed(2)} s`);
  // The runner's rate counts items (one image × phrase, answered for both kinds), not requests: ideal / 2 here.
  console.log(`rate ${rate.toFixed(2)} req/s, ideal ${ideal.toFixed(2)} req/s; runner-reported ${final.throughput.toFixed(2)} items/s (${IMAGES} items of 2 requests); ${stored} proposals stored`);
  console.log(`machine: ${cpus().length} cores, load ${load()}`);
  console.log(`bench batch_server_throughput_vs_ideal=${(rate / ideal).toFixed(3)} x`);
} finally {
  await backend.dispose();
  store.close();
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
