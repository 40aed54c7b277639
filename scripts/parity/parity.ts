// `npm run parity`: the app's local engine against Hugging Face's own Qwen3-VL,
// on tiny random Qwen3-VLs that HF's code builds and saves (no download),
// converted by the app's own builder (electron/models/build, `egm model
// build`) to the ONNX layout the engine runs, over images made to break
// preprocessing (test/helpers/parity-images.ts).
//
// App side: the real LocalBackend (sharp decode, vision input, chat template,
// tokenizer, rope index in transformers.js' prefill, our decode loop,
// onnxruntime-node on CPU), the same code `egm ground --model` runs in its
// model host. Reference side: scripts/parity/hf_reference.py (load_image,
// the processor, get_rope_index, generate(do_sample=False), float32 PyTorch).
//
// Prints `parity <name>=<number>` lines (like `npm run bench`) and exits 1
// when an fp32 target is missed: grids, input ids and rope positions
// identical, pixels within 1 grey level, first logits within 1e-3, 32 equal
// greedy tokens. fp16, q4f16 and q4 are reported, not held to targets: their
// error is judged against the reference's top-1/top-2 logit margin.
//
// Every tiny config (scripts/parity/make_tiny_qwen3vl.py: they differ in hidden
// size, heads, kv heads, head_dim apart from hidden/heads, DeepStack layers,
// tied embeddings) is run; each figure
// printed is the worst over them (per-config lines go to stderr). parity_images
// counts the images made; the first config sees all of them.
//
// Usage: npm run parity [-- --config a,b,c,d] [--keep]   (EGM_PARITY_DIR=<dir> keeps the work folder there)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildPrompt } from '@core/egm/prompt';
import type { BoxKind } from '@core/types';
import { DEFAULT_MAX_PIXELS } from '../../electron/images/model-input';
import { loadLocalBackend, type LocalBackend, type QueryTrace } from '../../electron/engine/local/local-backend';
import { halfToFloat } from '../../electron/engine/local/next-token';
import { readNpy } from '../../electron/engine/local/npy';
import { buildModel } from '../../electron/models/onnx-builder/build-model';
import { precisionFor } from '../../electron/models/onnx-builder/layers';
import { writeParityImages } from '../../test/helpers/parity-images';
import { leadingEqual, maxAbsDiff, sameIds, topTwo } from './compare';

const ROOT = resolve(import.meta.dirname, '..', '..');
const STEPS = 32;
const DTYPES = ['fp32', 'fp16', 'q4f16', 'q4'] as const;
/** Phrases and kinds taken in turn, so both EGM prompts (visible, amodal) and varied text are tokenised. */
const QUERIES: [string, BoxKind][] = [
  ['the lime partly hidden behind the orange', 'visible'],
  ['the man on the left holding a red umbrella', 'amodal'],
  ['rocket', 'visible'],
  ['the second cup from the right, behind the spoon', 'amodal'],
];

interface Reference {
  grid: number[];
  input_ids: number[];
  position_ids: number[][];
  rope_delta: number;
  tokens: number[];
  /** The tokens decoded by HF's tokenizer, special tokens skipped. */
  text: string;
}

/** What the app produced for one image, copied out of the query's leased buffers. */
interface AppRun {
  grid: number[];
  inputIds: number[];
  positionIds: number[];
  pixels: Float32Array;
  logits: Float32Array;
  ids: number[];
  /** The answer text the backend decoded (GroundingResult.raw). */
  text: string;
}

function log(message: string): void {
  process.stderr.write(`parity: ${message}\n`);
}

function run(command: string, args: string[], what: string): string {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
  if (result.status !== 0) {
    process.stderr.write(result.stderr ?? '');
    throw new Error(`${what} failed (exit ${result.status ?? result.signal})`);
  }
  log(`${what}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result.stdout;
}

function copyTrace(trace: QueryTrace): Omit<AppRun, 'text'> {
  const { logits } = trace.prefill;
  const row = new Float32Array(logits.vocab);
  for (let i = 0; i < logits.vocab; i++) {
    const v = logits.data[logits.offset + i]!;
    row[i] = logits.data instanceof Float32Array ? v : halfToFloat(v);
  }
  return {
    grid: Array.from(trace.image.imageGridThw.data as BigInt64Array, Number),
    inputIds: Array.from(trace.inputIds, Number),
    positionIds: Array.from(trace.prefill.positionIds, Number),
    pixels: Float32Array.from(trace.image.pixelValues.data as Float32Array),
    logits: row,
    ids: [...trace.ids],
  };
}

async function ask(backend: LocalBackend, file: string, query: [string, BoxKind]): Promise<AppRun> {
  let traced: Omit<AppRun, 'text'> | undefined;
  const result = await backend.ground(
    { imagePath: file, phrase: query[0], kind: query[1], maxNewTokens: STEPS, maxPixels: DEFAULT_MAX_PIXELS },
    { onTrace: (trace) => (traced = copyTrace(trace)) },
  );
  if (!traced) throw new Error(`${file}: the query gave no trace (${result.reason ?? 'no reason'})`);
  return { ...traced, text: result.raw };
}

/**
 * The control: with the DeepStack part of image_features zeroed (every column
 * past the text hidden size, see models/ENGINE.md) the first logits must
 * move; if they do not, the builder or the engine drops DeepStack unseen.
 */
async function deepstackControl(backend: LocalBackend, hidden: number, file: string, query: [string, BoxKind], normal: AppRun): Promise<number> {
  type Run = (feeds: Record<string, unknown>) => Promise<Record<string, { data: Float32Array; dims: number[] }>>;
  const sessions = (backend as unknown as { loaded: { model: { sessions: Record<string, { run: Run }> } } }).loaded.model.sessions;
  const vision = sessions.vision_encoder!;
  const original = vision.run.bind(vision);
  vision.run = async (feeds) => {
    const out = await original(feeds);
    const features = out.image_features!;
    const width = features.dims.at(-1)!;
    for (let row = 0; row < features.data.length; row += width) features.data.fill(0, row + hidden, row + width);
    return out;
  };
  try {
    const zeroed = await ask(backend, file, query);
    return maxAbsDiff(zeroed.logits, normal.logits);
  } finally {
    vision.run = original;
  }
}

/** A figure and how two configs' values combine into the reported one (the worst of them). */
type Worst = 'max' | 'min' | 'same';
type Figures = Map<string, { value: number; worst: Worst }>;

/** One tiny config end to end: checkpoint, build, HF reference, the app on every dtype. */
async function runConfig(python: string, work: string, config: string, images: { name: string; file: string }[]): Promise<Figures> {
  const dir = join(work, `config-${config}`);
  const checkpoint = join(dir, 'checkpoint');
  const onnxDir = join(dir, 'onnx');
  // Config c is saved in bf16, as published checkpoints are (the builder's bf16 path); a and b in float32.
  const saveDtype = config === 'c' ? 'bfloat16' : 'float32';
  run(python, ['scripts/parity/make_tiny_qwen3vl.py', '--out', checkpoint, '--config', config, '--save-dtype', saveDtype], `config ${config}: tiny Qwen3-VL (transformers, ${saveDtype})`);
  const built = await buildModel({ source: checkpoint, out: onnxDir, dtypes: [...DTYPES], id: 'local/tiny-parity' });
  log(`config ${config}: egm model build ${DTYPES.join(", ")}: ${(built.ms / 1000).toFixed(1)} s (fp16: ${built.fp16.overflow} overflowed, ${built.fp16.flushed} flushed to zero)`);
  const items = images.map((image, i) => ({ ...image, query: QUERIES[i % QUERIES.length]! }));
  const manifest = items.map(({ name, file, query }) => ({ name, file, prompt: buildPrompt({ phrase: query[0], kind: query[1] }) }));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1));
  const refDir = join(dir, 'reference');
  run(python, ['scripts/parity/hf_reference.py', '--model', checkpoint, '--manifest', join(dir, 'manifest.json'), '--out', refDir, '--max-pixels', String(DEFAULT_MAX_PIXELS), '--steps', String(STEPS)], `config ${config}: HF reference on ${items.length} images`);
  const hidden = (JSON.parse(readFileSync(join(onnxDir, 'config.json'), 'utf8')) as { text_config: { hidden_size: number } }).text_config.hidden_size;

  const figures: Figures = new Map();
  const put = (name: string, value: number, worst: Worst) => figures.set(name, { value, worst });
  let gridMismatches = 0;
  let idMismatches = 0;
  let positionMismatches = 0;
  let textMismatches = 0;
  let pixelWorst = 0;
  for (const dtype of DTYPES) {
    const dtypeStarted = performance.now();
    const backend = await loadLocalBackend({ modelDir: onnxDir, device: 'cpu', dtype });
    let logitsWorst = 0;
    let errorOverMargin = 0;
    let tokensWorst = Infinity;
    let firstAgree = 0;
    let allTokensEqual = true;
    for (const item of items) {
      const ref = JSON.parse(readFileSync(join(refDir, `${item.name}.json`), 'utf8')) as Reference;
      const refLogits = readNpy(join(refDir, `${item.name}.logits.npy`)).data as Float32Array;
      const app = await ask(backend, item.file, item.query);
      const notes: string[] = [];
      if (dtype === 'fp32') {
        const refPixels = readNpy(join(refDir, `${item.name}.pixels.npy`)).data as Float32Array;
        const gridSame = sameIds(app.grid, ref.grid);
        if (!gridSame) gridMismatches++;
        // pixel_values are (v/255 − 0.5)/0.5: one grey level is 1/127.5.
        const grey = gridSame ? maxAbsDiff(app.pixels, refPixels) * 127.5 : Infinity;
        pixelWorst = Math.max(pixelWorst, grey);
        const idsSame = sameIds(app.inputIds, ref.input_ids);
        if (!idsSame) idMismatches++;
        if (!sameIds(app.positionIds, ref.position_ids.flat())) positionMismatches++;
        // Same ids must decode to the same text (transformers.js' tokenizer against HF's).
        if (sameIds(app.ids, ref.tokens) && app.text !== ref.text) textMismatches++;
        notes.push(`grid ${app.grid.join('x')}${gridSame ? '' : ` (HF ${ref.grid.join('x')})`}`, `pixels ${grey.toFixed(2)} grey`, `ids ${idsSame ? 'same' : 'DIFFERENT'}`);
      }
      const diff = maxAbsDiff(app.logits, refLogits);
      const { top, margin } = topTwo(refLogits);
      const equal = leadingEqual(app.ids, ref.tokens);
      logitsWorst = Math.max(logitsWorst, diff);
      errorOverMargin = Math.max(errorOverMargin, diff / Math.max(margin, 1e-12));
      tokensWorst = Math.min(tokensWorst, equal);
      if (equal < Math.max(app.ids.length, ref.tokens.length)) allTokensEqual = false;
      if (topTwo(app.logits).top === top) firstAgree++;
      log(`config ${config} ${dtype} ${item.name}: ${[...notes, `logits ${diff.toExponential(2)} (margin ${margin.toExponential(2)})`, `tokens ${equal}/${ref.tokens.length}`].join(', ')}`);
    }
    if (dtype === 'fp32') {
      put('parity_grid_mismatches', gridMismatches, 'max');
      put('parity_pixel_max_abs_grey', pixelWorst, 'max');
      put('parity_input_ids_mismatches', idMismatches, 'max');
      put('parity_position_ids_mismatches', positionMismatches, 'max');
      put('parity_decoded_text_mismatches', textMismatches, 'max');
      const first = items[0]!;
      const normal = await ask(backend, first.file, first.query);
      const moved = await deepstackControl(backend, hidden, first.file, first.query, normal);
      log(`config ${config}: DeepStack zeroed on ${first.name}: first logits move by ${moved.toExponential(2)} (build error ${logitsWorst.toExponential(2)})`);
      put('parity_deepstack_zeroed_changes_logits', moved > 100 * Math.max(logitsWorst, 1e-6) ? 1 : 0, 'min');
    }
    // 4-bit MatMulNBits run with int8 activations on CPUs (accuracy_level 4, models/ENGINE.md): q4's and q4f16's error over margin include that.
    if (dtype === 'q4') put('parity_q4_matmulnbits_accuracy_level', precisionFor('q4', { overflow: 0, flushed: 0 }).accuracyLevel, 'same');
    put(`parity_${dtype}_first_logits_max_abs`, logitsWorst, 'max');
    put(`parity_${dtype}_logit_error_over_margin`, errorOverMargin, 'max');
    put(`parity_${dtype}_first_token_agree`, firstAgree / items.length, 'min');
    put(`parity_${dtype}_greedy_tokens_equal`, tokensWorst, 'min');
    if (dtype === 'fp32') put('parity_fp32_all_tokens_equal', allTokensEqual ? 1 : 0, 'min');
    await backend.dispose();
    log(`config ${config}: app on ${dtype}: ${((performance.now() - dtypeStarted) / 1000).toFixed(1)} s`);
  }
  return figures;
}

function worstOf(all: Figures[]): Figures {
  const out: Figures = new Map();
  for (const figures of all) {
    for (const [name, { value, worst }] of figures) {
      const prev = out.get(name)?.value;
      const next = prev === undefined ? value : worst === 'max' ? Math.max(prev, value) : worst === 'min' ? Math.min(prev, value) : value;
      out.set(name, { value: Number.isNaN(value) ? NaN : next, worst });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const configs = (args.includes('--config') ? args[args.indexOf('--config') + 1]! : 'a,b,c,d').split(',');
  const keep = args.includes('--keep') || Boolean(process.env.EGM_PARITY_DIR);
  const work = process.env.EGM_PARITY_DIR ? resolve(process.env.EGM_PARITY_DIR) : mkdtempSync(join(tmpdir(), 'egm-parity-'));
  mkdirSync(work, { recursive: true });
  const started = performance.now();
  try {
    const python = run('bash', ['scripts/setup-python.sh'], 'python venv').trim().split('\n').at(-1)!;
    const images = await writeParityImages(join(work, 'images'));
    // The first config takes every image; each further one every other image
    // (alternating), so each image meets two configs and the run stays within
    // a few minutes on two cores.
    const perConfig: Figures[] = [];
    for (const [i, config] of configs.entries()) {
      const subset = i === 0 ? images : images.filter((_, k) => k % 2 === (i + 1) % 2);
      perConfig.push(await runConfig(python, work, config, subset));
    }
    const figures = worstOf(perConfig);
    const lines: [string, number][] = [['parity_configs', configs.length], ['parity_images', images.length], ...[...figures].map(([n, f]) => [n, f.value] as [string, number])];
    for (const [name, value] of lines) console.log(`parity ${name}=${Number.isInteger(value) ? value : value.toPrecision(4)}`);
    const get = (name: string) => figures.get(name)!.value;
    const missed = [
      get('parity_grid_mismatches') !== 0 && 'grids differ',
      get('parity_input_ids_mismatches') !== 0 && 'input ids differ',
      get('parity_position_ids_mismatches') !== 0 && 'rope positions differ',
      get('parity_decoded_text_mismatches') !== 0 && 'the same ids decode to different text',
      !(get('parity_pixel_max_abs_grey') <= 1) && 'pixels differ by more than 1 grey level',
      !(get('parity_fp32_first_logits_max_abs') <= 1e-3) && 'fp32 first logits differ by more than 1e-3',
      !(get('parity_fp32_greedy_tokens_equal') >= STEPS || get('parity_fp32_all_tokens_equal') === 1) && `fewer than ${STEPS} equal greedy tokens in fp32`,
      get('parity_deepstack_zeroed_changes_logits') !== 1 && 'zeroing DeepStack does not move the logits (the control failed)',
    ].filter(Boolean);
    log(`${((performance.now() - started) / 1000).toFixed(0)} s in all; work folder ${work}${keep ? ' (kept)' : ''}`);
    if (missed.length) {
      log(`FAILED: ${missed.join('; ')}`);
      process.exitCode = 1;
    } else log(`every fp32 target met on configs ${configs.join(', ')}`);
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`parity: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
