// Prepares the GPU check (scripts/gpu-check/run.py) for a machine with a GPU,
// CUDA 13 and PyTorch but no Node and no package registry, reached by calls
// that carry at most 64 MiB each (models/ENGINE.md, "GPU check"). Writes the
// ignored folder .gpu-check/:
//   tiny-<a|b>/        two small random Qwen3-VLs (vocabulary 2048, different
//                      heads / kv heads / head sizes / DeepStack layers) built by the app's builder to fp32, fp16 and
//                      q4f16, weights included (a few MB): CUDA against CPU fp32
//   egm4b-<dtype>/     the graphs of a random EGM-4B (EGM-4B's exact shape)
//                      built to q4f16 and fp16, structure only (.onnx, < 1 MB):
//                      run.py writes random weights of the right types and
//                      sizes into the .onnx_data files there (speed does not
//                      depend on the values; 13 GB would never travel)
//   wheel-<n>/         onnxruntime-gpu 1.30.0 for CPython 3.12 (PyPI's build is
//                      for CUDA 13 and cuDNN 9, what that machine's PyTorch
//                      brings), split into parts that fit one call each
// and prints the calls to make. Usage:
//   npx tsx scripts/gpu-check/pack.ts [--checkpoint <random EGM-4B checkpoint folder>] [--work <folder for the 4B builds>] [--tiny-only]
// Without --checkpoint a random EGM-4B checkpoint (8.9 GB) is written into --work first.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildModel } from '../../electron/models/onnx-builder/build-model';
import type { BuildDtype } from '../../electron/models/onnx-builder/layers';
import { writeRandomCheckpoint, type Shape } from '../../bench/random-checkpoint';

const ROOT = resolve(import.meta.dirname, '..', '..');
const OUT = join(ROOT, '.gpu-check');
const WHEEL = 'onnxruntime-gpu==1.30.0';
/** What one call may carry beside the working tree (64 MiB in all; the tree is about 5 MB). */
const PART_BYTES = 52 * 2 ** 20;
const opt = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const log = (m: string) => process.stderr.write(`gpu-check pack: ${m}\n`);

const TINY: Record<string, { layers: number; deepstack: number[]; shape: Partial<Shape> }> = {
  a: { layers: 3, deepstack: [0, 1], shape: { hidden: 128, intermediate: 256, heads: 4, kvHeads: 2, headDim: 32, visionHidden: 64, visionIntermediate: 128, visionHeads: 2 } },
  b: { layers: 2, deepstack: [0], shape: { hidden: 192, intermediate: 320, heads: 6, kvHeads: 2, headDim: 64, visionHidden: 64, visionIntermediate: 96, visionHeads: 4 } },
};

/** The model folder minus the tokenizer files (run.py feeds ids). */
function copyModel(from: string, to: string, withWeights: boolean): void {
  mkdirSync(join(to, 'onnx'), { recursive: true });
  copyFileSync(join(from, 'config.json'), join(to, 'config.json'));
  for (const name of readdirSync(join(from, 'onnx'))) {
    if (name.endsWith('.onnx') || (withWeights && name.endsWith('.onnx_data'))) copyFileSync(join(from, 'onnx', name), join(to, 'onnx', name));
  }
}

async function main(): Promise<void> {
  const work = resolve(opt('work') ?? join(tmpdir(), 'egm-gpu-check'));
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });

  for (const [name, t] of Object.entries(TINY)) {
    const dir = join(work, `tiny-${name}`);
    rmSync(dir, { recursive: true, force: true });
    writeRandomCheckpoint(join(dir, 'checkpoint'), { textLayers: t.layers, visionDepth: 2, deepstack: t.deepstack, vocab: 2048, seed: name.charCodeAt(0), shape: t.shape });
    await buildModel({ source: join(dir, 'checkpoint'), out: join(dir, 'model'), dtypes: ['fp32', 'fp16', 'q4f16'], id: `gpu-check/tiny-${name}` });
    copyModel(join(dir, 'model'), join(OUT, `tiny-${name}`), true);
    log(`tiny-${name} built (fp32, fp16, q4f16)`);
  }

  if (process.argv.includes('--tiny-only')) return; // for trying run.py --cpu --skip-4b here
  const checkpoint = opt('checkpoint') ? resolve(opt('checkpoint')!) : join(work, 'egm4b-checkpoint');
  if (!existsSync(join(checkpoint, 'config.json'))) {
    log(`writing a random EGM-4B checkpoint into ${checkpoint} (8.9 GB)`);
    writeRandomCheckpoint(checkpoint);
  }
  for (const dtype of ['q4f16', 'fp16'] as BuildDtype[]) {
    const dir = join(work, `egm4b-${dtype}`);
    if (!existsSync(join(dir, 'egm-model.json'))) await buildModel({ source: checkpoint, out: dir, dtypes: [dtype], id: `gpu-check/egm4b-${dtype}` });
    copyModel(dir, join(OUT, `egm4b-${dtype}`), false);
    log(`egm4b-${dtype}: graph structure copied (weights are written on the GPU machine)`);
  }

  const wheels = join(work, 'wheel');
  mkdirSync(wheels, { recursive: true });
  if (!readdirSync(wheels).some((n) => n.endsWith('.whl'))) {
    const r = spawnSync('python3', ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--python-version', '3.12', '--implementation', 'cp', '--platform', 'manylinux_2_28_x86_64', '--platform', 'manylinux_2_27_x86_64', '--platform', 'manylinux_2_17_x86_64', '-d', wheels, WHEEL], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`pip download ${WHEEL} failed`);
  }
  const wheelName = readdirSync(wheels).find((n) => n.endsWith('.whl'))!;
  const bytes = readFileSync(join(wheels, wheelName));
  const parts = Math.ceil(bytes.length / PART_BYTES);
  for (let i = 0; i < parts; i++) {
    mkdirSync(join(OUT, `wheel-${i}`), { recursive: true });
    writeFileSync(join(OUT, `wheel-${i}`, 'part'), bytes.subarray(i * PART_BYTES, (i + 1) * PART_BYTES));
  }
  const manifest = { wheel: wheelName, parts, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  writeFileSync(join(OUT, 'manifest.json'), JSON.stringify(manifest, null, 1));
  const size = (p: string): number => (statSync(p).isDirectory() ? readdirSync(p).reduce((a, n) => a + size(join(p, n)), 0) : statSync(p).size);
  const models = ['manifest.json', ...Object.keys(TINY).map((n) => `tiny-${n}`), 'egm4b-q4f16', 'egm4b-fp16'];
  log(`models and manifest: ${(models.reduce((a, n) => a + size(join(OUT, n)), 0) / 2 ** 20).toFixed(1)} MiB; wheel ${wheelName} in ${parts} parts`);
  // The calls (models/ENGINE.md, "GPU check"): one part per call into the warm machine's /tmp, then the check.
  const carryModels = models.map((n) => `.gpu-check/${n}`);
  for (let i = 0; i < parts; i++) {
    console.log(`call ${i + 1}: carry [".gpu-check/wheel-${i}"]  command: mkdir -p /tmp/egm-gpu-check && cp .gpu-check/wheel-${i}/part /tmp/egm-gpu-check/part-${i} && ls -la /tmp/egm-gpu-check`);
  }
  console.log(`call ${parts + 1}: carry ${JSON.stringify(carryModels)}  command: PYTHONUNBUFFERED=1 python3 scripts/gpu-check/run.py 2>&1 | tee $OUT/gpu-check.log   (timeout_s 600)`);
}

main().catch((err: unknown) => {
  process.stderr.write(`gpu-check pack: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
