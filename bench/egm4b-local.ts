// Opt-in (`npm run bench:model`, many minutes): the local engine at EGM-4B's
// real size, without weights, side by side with onnxruntime-genai in ONE run.
// A random-weight checkpoint of EGM-4B's exact config (36 text layers, hidden
// 2560, 32 heads / 8 kv heads of 128, MLP 9728, vocabulary 151,936 tied;
// 24 vision layers, DeepStack at 5/11/17; 8.9 GB of bf16, bench/random-checkpoint.ts)
// is built by the app's builder (q4 for CPU, q4f16 for CUDA) and run by the
// app's LocalBackend on one 640×480 image. The same text weights, written as a
// Qwen3ForCausalLM checkpoint (bench/qwen3-text-checkpoint.ts), are built by
// onnxruntime-genai's model builder (int4, its defaults for the device;
// bench/genai-build.py runs its 4-bit pass one MatMul at a time) and run
// by onnxruntime-genai (bench/genai-decode.py, in the ignored venv:
// `bash scripts/setup-python.sh --genai`) on a prompt of the same length with
// the same number of new tokens. Runs alternate (local, genai, local, …);
// each figure is the median over --runs (default 3). Printed:
//   bench local_decode_tok_s=<t/s>      tokens per second after the first (wall time, the whole loop)
//   bench genai_decode_tok_s=<t/s>      the same for onnxruntime-genai
//   bench local_decode_vs_genai=<x>     ratio of the two (target ≥ 1)
//   bench local_prefill_ms=<ms>         vision encoder + embeddings + the first decoder pass
//   bench local_peak_rss_mb=<MB>        peak RSS of this process from model load to the end
//   bench local_decode_vs_bandwidth=<x> tokens/s × decoder weight bytes ÷ measured read bandwidth (target ≥ 0.6);
//                                       the bandwidth (the median of nine 1 GB sums, 2 threads, torch;
//                                       the best sum is logged too) is measured right
//                                       before and after each local run, as this VM's swings with its
//                                       neighbours; the median of the runs' ratios
//   bench local_int4_kernel_ms=<ms>     one pass over the decoder's MatMulNBits alone, its own weights
//                                       (bench/int4-kernel.py): what a step would cost if it were only
//                                       its 4-bit products
//   bench local_decode_vs_kernel=<x>    the decode step's share of that ceiling (1 = the rest of the graph is free)
//   bench int4_kernel_vs_bandwidth=<x>  the kernel's own read speed ÷ the bandwidth measured beside it
// plus the load average before and after, the bandwidth and bytes behind the
// ratios. Random weights rarely pick end-of-sequence; the token counts are
// printed beside the figures. Not part of `npm run bench`.
//   npm run bench:model [-- --device cpu|cuda] [--dir <work folder, kept>] [--runs N] [--tokens N]
//                       [--text-layers N --vision-depth N] [--model <built app folder>] [--dtype q4|q4f16|fp16|fp32] [--no-genai]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import sharp from 'sharp';
import { buildModel } from '../electron/models/onnx-builder/build-model';
import type { BuildDtype } from '../electron/models/onnx-builder/layers';
import { loadLocalModel } from '../electron/engine/local/load-model';
import { LocalBackend } from '../electron/engine/local/local-backend';
import { onnxFile } from '../electron/engine/local/model-folder';
import { writeRandomCheckpoint } from './random-checkpoint';
import { writeQwen3TextCheckpoint } from './qwen3-text-checkpoint';
import { median } from './median';

const ROOT = resolve(import.meta.dirname, '..');
const opt = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const device = (opt('device') ?? 'cpu') as 'cpu' | 'cuda';
const dtype = (opt('dtype') ?? (device === 'cpu' ? 'q4' : 'q4f16')) as BuildDtype;
const textLayers = Number(opt('text-layers') ?? 36);
const visionDepth = Number(opt('vision-depth') ?? 24);
const runs = Math.max(1, Number(opt('runs') ?? 3));
const TOKENS = Number(opt('tokens') ?? 100);
const withGenai = !process.argv.includes('--no-genai');
const deepstack = visionDepth >= 18 ? [5, 11, 17] : [0, 1, 2].filter((i) => i < visionDepth);
const keep = opt('dir');
const work = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'egm-bench-model-'));
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const log = (m: string) => process.stderr.write(`bench:model: ${m}\n`);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/** Peak RSS since the last reset, in MB (Linux: VmHWM, reset through clear_refs; elsewhere the process's maxRSS). */
function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
/** This process's resident memory now, split into anonymous and file-backed pages (Linux), for the log. */
function rssNow(): string {
  try {
    const s = readFileSync('/proc/self/status', 'utf8');
    const mb = (k: string) => (Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(s)?.[1] ?? NaN) / 1024).toFixed(0);
    return `RSS ${mb('VmRSS')} MB (anon ${mb('RssAnon')}, file ${mb('RssFile')}), peak ${mb('VmHWM')} MB`;
  } catch {
    return 'RSS unknown (not Linux)';
  }
}
function resetPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    log('cannot reset the peak RSS (not Linux): local_peak_rss_mb includes the build');
  }
}

/** The genai runner: one Python process, one JSON command per line. */
class Genai {
  private readonly child;
  private readonly lines;
  constructor(python: string, modelDir: string) {
    this.child = spawn(python, [join(ROOT, 'bench/genai-decode.py'), modelDir], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.lines = createInterface({ input: this.child.stdout! })[Symbol.asyncIterator]();
  }
  async ask<T>(cmd: Record<string, unknown>): Promise<T> {
    this.child.stdin!.write(`${JSON.stringify(cmd)}\n`);
    const next = await this.lines.next();
    if (next.done) throw new Error('bench:model: the genai runner exited');
    const out = JSON.parse(next.value) as T & { error?: string };
    if (out.error) throw new Error(`bench:model: genai: ${out.error}`);
    return out;
  }
  quit(): void {
    this.child.stdin!.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
  }
}

function python(): string {
  const r = spawnSync('bash', ['scripts/setup-python.sh', '--genai'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error('bench:model: scripts/setup-python.sh --genai failed');
  return resolve(ROOT, r.stdout.trim().split('\n').at(-1)!);
}

try {
  log(`load average ${load()} (start)`);
  mkdirSync(work, { recursive: true });
  const checkpoint = join(work, 'checkpoint');
  const modelDir = opt('model') ? resolve(opt('model')!) : join(work, `egm-4b-random-${dtype}`);
  if (!existsSync(join(checkpoint, 'config.json'))) {
    const t = performance.now();
    const bytes = writeRandomCheckpoint(checkpoint, { textLayers, visionDepth, deepstack });
    log(`random EGM-4B checkpoint (${textLayers} text / ${visionDepth} vision layers), ${(bytes / 1e9).toFixed(2)} GB, written in ${secs(performance.now() - t)}`);
  }
  if (!existsSync(join(modelDir, 'egm-model.json'))) {
    const report = await buildModel({ source: checkpoint, out: modelDir, dtypes: [dtype], id: 'bench/egm-4b-random' });
    log(`built ${dtype} in ${secs(report.ms)}, ${(report.bytes / 1e9).toFixed(2)} GB`);
  }
  let genai: Genai | null = null;
  // The venv's Python (set up once): genai's runner and the kernel timing below.
  const py = withGenai ? python() : null;
  if (py) {
    const textCkpt = join(work, 'qwen3-text');
    const genaiDir = join(work, `genai-int4-${device}`);
    if (!existsSync(join(textCkpt, 'config.json'))) writeQwen3TextCheckpoint(checkpoint, textCkpt);
    if (!existsSync(join(genaiDir, 'genai_config.json'))) {
      const t = performance.now();
      // genai's builder with its int4 pass run one MatMul at a time (bench/genai-build.py: the stock pass needs > 24 GB for 4B).
      const r = spawnSync(py, [join(ROOT, 'bench/genai-build.py'), '-i', textCkpt, '-o', genaiDir, '-p', 'int4', '-e', device, '-c', join(work, 'genai-cache')], { stdio: 'inherit' });
      if (r.status !== 0) throw new Error('bench:model: onnxruntime-genai model builder failed');
      log(`onnxruntime-genai builder: int4 for ${device} in ${secs(performance.now() - t)}`);
    }
    genai = new Genai(py, genaiDir);
  }
  const image = join(work, 'image-640x480.jpg');
  await sharp(join(ROOT, 'assets', 'samples', 'fruits.jpg')).resize(640, 480, { fit: 'fill' }).jpeg({ quality: 92 }).toFile(image);

  log(`before the model load: ${rssNow()}`);
  resetPeakRss();
  log(`peak reset: ${rssNow()}`);
  let t = performance.now();
  const loaded = await loadLocalModel({ modelDir, device, dtype });
  log(`loaded ${dtype} on ${device} in ${secs(performance.now() - t)}, RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
  const decoderFile = onnxFile(modelDir, 'decoder_model_merged', loaded.folder.dtype.decoder_model_merged);
  // Every decoder weight is read once per token (embed_tokens reads one row of its table).
  const weightBytes = statSync(`${decoderFile}_data`).size;
  // Each session.run timed: the first decoder pass ends the prefill.
  const passes: { session: string; start: number; end: number }[] = [];
  for (const [name, session] of Object.entries(loaded.model.sessions) as [string, { run: (...a: unknown[]) => Promise<unknown> }][]) {
    const run = session.run.bind(session);
    session.run = async (...args: unknown[]) => {
      const start = performance.now();
      try {
        return await run(...args);
      } finally {
        passes.push({ session: name, start, end: performance.now() });
      }
    };
  }
  const backend = new LocalBackend(loaded);
  const request = { imagePath: image, phrase: 'the lime partly hidden behind the orange', kind: 'visible' as const };
  let promptIds: number[] = [];
  await backend.ground({ ...request, maxNewTokens: 2 }, { onTrace: (trace) => (promptIds = Array.from(trace.inputIds, Number)) }); // warm-up: first-run allocations, kernels
  log(`prompt: ${promptIds.length} tokens; after the warm-up ${rssNow()}`);
  if (genai) {
    // genai's warm-up too: its first run loads its model (GBs read and allocated), which
    // otherwise happens between the first and second local runs, in the second's way.
    const t = performance.now();
    await genai.ask({ cmd: 'run', ids: promptIds, new_tokens: 2 });
    log(`genai warm-up (model load + 2 tokens): ${secs(performance.now() - t)}`);
  }

  const local = { decode: [] as number[], prefill: [] as number[], tokens: [] as number[] };
  const other = { decode: [] as number[], prefill: [] as number[], tokens: [] as number[] };
  /** The median of nine sums (the ratio's denominator); the best of them is logged beside it. */
  const bestBandwidth: number[] = [];
  const readBandwidth = async () => {
    if (!genai) return NaN;
    const bw = await genai.ask<{ gb_s: number; best_gb_s: number }>({ cmd: 'bandwidth', threads: 2, mb: 1024 });
    bestBandwidth.push(bw.best_gb_s);
    return bw.gb_s;
  };
  /** Per local run: tokens/s × weight bytes ÷ the bandwidth measured around it. */
  const ratios: number[] = [];
  const bandwidth: number[] = [];
  for (let r = 0; r < runs; r++) {
    const bwBefore = await readBandwidth();
    passes.length = 0;
    t = performance.now();
    const result = await backend.ground({ ...request, maxNewTokens: TOKENS });
    const decoder = passes.filter((p) => p.session.startsWith('decoder'));
    if (!decoder.length) throw new Error(`bench:model: no decoder pass was timed (${result.reason ?? 'no reason'})`);
    const firstEnd = decoder[0]!.end;
    const prefillMs = passes.filter((p) => p.end <= firstEnd).reduce((a, p) => a + p.end - p.start, 0);
    const decodeTokens = decoder.length - 1;
    const decodeMs = decoder.at(-1)!.end - firstEnd;
    local.prefill.push(prefillMs);
    local.decode.push(decodeTokens / (decodeMs / 1000));
    local.tokens.push(result.tokens);
    const part = (session: string) => passes.filter((p) => p.session === session && p.end <= firstEnd).reduce((a, p) => a + p.end - p.start, 0);
    const split = `vision ${part('vision_encoder').toFixed(0)} + embeddings ${part('embed_tokens').toFixed(0)} + decoder ${(decoder[0]!.end - decoder[0]!.start).toFixed(0)} ms`;
    log(`run ${r + 1} local: ${result.tokens} tokens, prefill ${prefillMs.toFixed(0)} ms (${split}), decode ${(decodeTokens / (decodeMs / 1000)).toFixed(2)} tok/s, load ${load()}, ${rssNow()}`);
    if (genai) {
      const bwAfter = await readBandwidth();
      const bw = (bwBefore + bwAfter) / 2;
      bandwidth.push(bw);
      ratios.push((local.decode.at(-1)! * weightBytes) / (bw * 1e9));
      log(`run ${r + 1} read bandwidth (2 threads, median of 9 sums) ${bwBefore.toFixed(1)} GB/s before, ${bwAfter.toFixed(1)} GB/s after the local run (best sums ${bestBandwidth.slice(-2).map((b) => b.toFixed(1)).join(', ')}): its decode reads ${((local.decode.at(-1)! * weightBytes) / 1e9).toFixed(1)} GB/s, ${ratios.at(-1)!.toFixed(3)} of it`);
      const g = await genai.ask<{ prefill_ms: number; decode_ms: number; decode_tokens: number; tokens: number }>({ cmd: 'run', ids: promptIds, new_tokens: TOKENS });
      other.prefill.push(g.prefill_ms);
      other.decode.push(g.decode_tokens / (g.decode_ms / 1000));
      other.tokens.push(g.tokens);
      log(`run ${r + 1} genai: ${g.tokens} tokens, prefill ${g.prefill_ms.toFixed(0)} ms, decode ${(g.decode_tokens / (g.decode_ms / 1000)).toFixed(2)} tok/s, load ${load()}; this process ${rssNow()}`);
    }
  }
  const peak = peakRssMb();
  await backend.dispose();
  // The 4-bit products alone (the decoder's own MatMulNBits and weights), with the bandwidth around them.
  let kernel: { ms: number; nodes: number; bytes: number; bw: number } | null = null;
  if (py && genai && (dtype === 'q4' || dtype === 'q4f16') && device === 'cpu') {
    const bwBefore = await readBandwidth();
    const r = spawnSync(py, [join(ROOT, 'bench/int4-kernel.py'), decoderFile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status !== 0) throw new Error('bench:model: bench/int4-kernel.py failed');
    const k = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { ms: number; nodes: number; bytes: number };
    kernel = { ...k, bw: (bwBefore + (await readBandwidth())) / 2 };
    log(`int4 kernel alone: ${k.nodes} MatMulNBits, ${(k.bytes / 1e9).toFixed(2)} GB, ${k.ms.toFixed(1)} ms a pass (${((k.bytes / 1e9) / (k.ms / 1000)).toFixed(1)} GB/s), bandwidth around it ${kernel.bw.toFixed(1)} GB/s, load ${load()}`);
  }
  genai?.quit();

  const localTok = median(local.decode);
  console.log(`bench local_decode_tok_s=${localTok.toFixed(2)} tok/s`);
  if (genai) {
    const genaiTok = median(other.decode);
    console.log(`bench genai_decode_tok_s=${genaiTok.toFixed(2)} tok/s`);
    console.log(`bench local_decode_vs_genai=${(localTok / genaiTok).toFixed(3)}`);
  }
  console.log(`bench local_prefill_ms=${median(local.prefill).toFixed(0)} ms`);
  if (genai) log(`genai prefill ${median(other.prefill).toFixed(0)} ms (median; its prompt pass on ${promptIds.length} text tokens)`);
  console.log(`bench local_peak_rss_mb=${peak.toFixed(0)} MB`);
  if (ratios.length) {
    console.log(`bench local_decode_vs_bandwidth=${median(ratios).toFixed(3)}`);
    log(`read bandwidth ${median(bandwidth).toFixed(1)} GB/s (median of ${bandwidth.length} runs; ${bandwidth.map((b) => b.toFixed(1)).join(' / ')}), decoder weights ${(weightBytes / 1e9).toFixed(2)} GB per token`);
  }
  if (kernel) {
    console.log(`bench local_int4_kernel_ms=${kernel.ms.toFixed(1)} ms`);
    console.log(`bench local_decode_vs_kernel=${(localTok / (1000 / kernel.ms)).toFixed(3)}`);
    console.log(`bench int4_kernel_vs_bandwidth=${((kernel.bytes / (kernel.ms / 1000)) / (kernel.bw * 1e9)).toFixed(3)}`);
  }
  log(`${runs} runs each, ${device}, ${dtype}; tokens local ${local.tokens.join('/')}${genai ? `, genai ${other.tokens.join('/')}` : ''}; prompt ${promptIds.length} tokens; weights ${(weightBytes / 1e9).toFixed(2)} GB; load average ${load()} (end)`);
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
}
