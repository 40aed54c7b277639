// Opt-in (`npm run bench:model`, minutes): the first real-size speed figures
// of the local engine without weights. A random-weight checkpoint of EGM-4B's
// exact config (36 text layers, 24 vision layers, DeepStack at 5/11/17; 8.9 GB
// of bf16, written by bench/random-checkpoint.ts) is built to q4f16 by the
// app's builder and run by the app's local engine on one 640×480 image:
//   bench local_prefill_ms=<ms>     vision encoder + prompt embedding + the first decoder pass
//   bench local_decode_tok_s=<t/s>  tokens per second after the first
//   bench local_query_ms=<ms>       the whole query (preprocessing included) for a 100-token answer
// Random weights rarely pick end-of-sequence within 100 tokens; the token
// count is printed beside the figures. Not part of `npm run bench`.
//   npm run bench:model [-- --device cpu|cuda] [--dir <work folder, kept>] [--text-layers N --vision-depth N]
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { buildModel } from '../electron/models/onnx-builder/build-model';
import { loadLocalModel } from '../electron/engine/local/load-model';
import { LocalBackend } from '../electron/engine/local/local-backend';
import { writeRandomCheckpoint } from './random-checkpoint';

const opt = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const device = (opt('device') ?? 'cpu') as 'cpu' | 'cuda';
const textLayers = Number(opt('text-layers') ?? 36);
const visionDepth = Number(opt('vision-depth') ?? 24);
const deepstack = visionDepth >= 18 ? [5, 11, 17] : [0, 1, 2].filter((i) => i < visionDepth);
const keep = opt('dir');
const work = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'egm-bench-model-'));
const TOKENS = 100;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

try {
  mkdirSync(work, { recursive: true });
  const checkpoint = join(work, 'checkpoint');
  const modelDir = join(work, 'egm-4b-random-q4f16');
  if (!existsSync(join(checkpoint, 'config.json'))) {
    const t = performance.now();
    const bytes = writeRandomCheckpoint(checkpoint, { textLayers, visionDepth, deepstack });
    console.error(`bench:model: random EGM-4B checkpoint (${textLayers} text / ${visionDepth} vision layers), ${(bytes / 1e9).toFixed(2)} GB, written in ${secs(performance.now() - t)}`);
  }
  if (!existsSync(join(modelDir, 'egm-model.json'))) {
    const report = await buildModel({ source: checkpoint, out: modelDir, dtypes: ['q4f16'], id: 'bench/egm-4b-random' });
    console.error(`bench:model: built q4f16 in ${secs(report.ms)}, ${(report.bytes / 1e9).toFixed(2)} GB`);
  }
  const image = join(work, 'image-640x480.jpg');
  await sharp(join(import.meta.dirname, '..', 'assets', 'samples', 'fruits.jpg')).resize(640, 480, { fit: 'fill' }).jpeg({ quality: 92 }).toFile(image);

  let t = performance.now();
  const loaded = await loadLocalModel({ modelDir, device, dtype: 'q4f16' });
  console.error(`bench:model: loaded on ${device} in ${secs(performance.now() - t)}`);
  // Each session.run timed: the first decoder pass ends the prefill.
  const runs: { session: string; start: number; ms: number }[] = [];
  for (const [name, session] of Object.entries(loaded.model.sessions) as [string, { run: (...a: unknown[]) => Promise<unknown> }][]) {
    const run = session.run.bind(session);
    session.run = async (...args: unknown[]) => {
      const start = performance.now();
      try {
        return await run(...args);
      } finally {
        runs.push({ session: name, start, ms: performance.now() - start });
      }
    };
  }
  const backend = new LocalBackend(loaded);
  const request = { imagePath: image, phrase: 'the lime partly hidden behind the orange', kind: 'visible' as const };
  await backend.ground({ ...request, maxNewTokens: 2 }); // warm-up: first-run allocations, kernels
  runs.length = 0;
  t = performance.now();
  const result = await backend.ground({ ...request, maxNewTokens: TOKENS });
  const queryMs = performance.now() - t;
  const decoder = runs.filter((r) => r.session.startsWith('decoder'));
  if (!decoder.length) throw new Error(`bench:model: no decoder pass was timed (${result.reason ?? 'no reason'}); sessions: ${Object.keys(loaded.model.sessions).join(', ')}`);
  const firstDecoderEnd = decoder[0]!.start + decoder[0]!.ms;
  const prefillMs = runs.filter((r) => r.start + r.ms <= firstDecoderEnd).reduce((a, r) => a + r.ms, 0);
  const decodeMs = runs.filter((r) => r.start >= firstDecoderEnd).reduce((a, r) => a + r.ms, 0);
  console.error(`bench:model: ${result.tokens} tokens (asked ${TOKENS}), ${decoder.length} decoder passes, preprocessing ${result.timings.preprocessMs.toFixed(0)} ms`);
  console.log(`bench local_prefill_ms=${prefillMs.toFixed(0)} ms`);
  console.log(`bench local_decode_tok_s=${((decoder.length - 1) / (decodeMs / 1000)).toFixed(2)} tok/s`);
  console.log(`bench local_query_ms=${queryMs.toFixed(0)} ms`);
  await backend.dispose();
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
}
