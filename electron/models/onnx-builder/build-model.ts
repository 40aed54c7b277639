// `egm model build`: a Hugging Face Qwen3-VL / EGM checkpoint (config.json +
// safetensors + tokenizer) → the ONNX folder the local engine runs, written
// directly from the weights (no tracing, no Python): per dtype the three
// graphs (qwen3vl-vision.ts, qwen3vl-text.ts) with their weights in one
// .onnx_data file each, the support files, and egm-model.json last.
// Everything is written into a staging folder beside the destination and
// moved into place with one rename, so a failed, cancelled or out-of-disk
// build leaves nothing half-installed and the previous model usable.
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeManifest, type InstalledFile } from '../manifest';
import { syncDir } from '../durable';
import { Graph } from './graph';
import { Layers, precisionFor, type BuildDtype } from './layers';
import type { Fp16Losses } from './precision';
import { readQwen3VlConfig } from './qwen3vl-config';
import { buildDecoder, buildEmbedTokens } from './qwen3vl-text';
import { buildVisionEncoder } from './qwen3vl-vision';
import { Checkpoint } from './safetensors';
import { ConvertPool } from './convert-pool';
import { mergeJobs, type Span, type TensorJob } from './tensor-jobs';
import { checkShapes } from './check-shapes';
import { GRAPHS, writeSupportFiles } from './support-files';

const SUFFIX: Record<BuildDtype, string> = { fp32: '', fp16: '_fp16', q4f16: '_q4f16', q4: '_q4' };
const BUILDERS = { vision_encoder: buildVisionEncoder, embed_tokens: buildEmbedTokens, decoder_model_merged: buildDecoder } as const;

export interface BuildProgress {
  dtype: BuildDtype;
  graph: string;
  /** Checkpoint bytes converted so far, over all dtypes. */
  bytesDone: number;
  bytesTotal: number;
}

export interface BuildOptions {
  /** Folder of the Hugging Face checkpoint. */
  source: string;
  /** Destination folder (replaced only when the build succeeds). */
  out: string;
  dtypes: BuildDtype[];
  /** Catalog id written to egm-model.json. */
  id: string;
  /** 4-bit block size and layout for q4f16 and q4 (default: defaultBlockSize(dtype), asymmetric). */
  blockSize?: number;
  symmetric?: boolean;
  onProgress?: (progress: BuildProgress) => void;
  signal?: AbortSignal;
  /** Conversion workers (default: one per core, at most 4); 0 converts on this thread. */
  threads?: number;
}

export interface BuildReport {
  out: string;
  dtypes: BuildDtype[];
  /** Files per dtype, relative to out. */
  files: Record<string, string[]>;
  /** Bytes on disk of the folder. */
  bytes: number;
  /** Weights that overflowed fp16 (became ±inf) or flushed to zero, over the fp16/q4f16 graphs. */
  fp16: Fp16Losses;
  ms: number;
}

export async function buildModel(options: BuildOptions): Promise<BuildReport> {
  const started = performance.now();
  const cfg = readQwen3VlConfig(options.source);
  const ckpt = new Checkpoint(options.source);
  checkShapes(cfg, ckpt);
  if (!options.dtypes.length) throw new Error('model build: no dtype asked for');
  const blockSize = options.blockSize;
  if (blockSize !== undefined && (blockSize < 16 || blockSize & (blockSize - 1))) throw new Error(`model build: block size ${blockSize} must be a power of two ≥ 16`);
  const parent = dirname(options.out);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(options.out)}.building-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'onnx'), { recursive: true });
  const losses: Fp16Losses = { overflow: 0, flushed: 0 };
  const bytesTotal = ckpt.totalBytes * options.dtypes.length;
  let bytesDone = 0;
  const pool = new ConvertPool(options.threads);
  const graphs: Graph[] = [];
  try {
    const support = writeSupportFiles(options.source, staging, cfg);
    const files: Record<string, string[]> = {};
    // Every graph's structure first, its weights' spans reserved in order (so
    // the files are laid out as if written one by one); then all their
    // conversions at once, spread over the pool's workers.
    const jobs: TensorJob[] = [];
    const graphOf = new Map<string, { dtype: BuildDtype; graph: string }>();
    for (const dtype of options.dtypes) {
      // fp16 losses are counted where weights become fp16 (fp16, q4f16); q4 keeps float scales.
      const precision = precisionFor(dtype, losses, blockSize, options.symmetric ?? false);
      files[dtype] = [...support];
      const written = new Map<string, Span>();
      for (const graphName of GRAPHS) {
        const rel = `onnx/${graphName}${SUFFIX[dtype]}.onnx`;
        const graph = new Graph(`${graphName}_${dtype}`, join(staging, rel));
        graphs.push(graph);
        const layers = new Layers(graph, ckpt, precision, [], written);
        BUILDERS[graphName](layers, cfg);
        graphOf.set(graph.name, { dtype, graph: graphName });
        jobs.push(...layers.jobs);
        files[dtype].push(rel, `${rel}_data`);
      }
    }
    const merged = mergeJobs(jobs);
    const weightsFiles = new Map(graphs.map((graph) => [graph.weights.path, graph.weights]));
    const onAbort = () => void pool.close();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await Promise.all(
        merged.map(async (job) => {
          const result = await pool.run(job);
          if (options.signal?.aborted) throw new Error('model build: cancelled');
          losses.overflow += result.losses.overflow;
          losses.flushed += result.losses.flushed;
          bytesDone += result.consumed;
          for (const [path, bytes] of Object.entries(result.written)) weightsFiles.get(path)?.written(bytes);
          const at = graphOf.get(job.kind === 'sha256' ? '' : job.graph)!;
          options.onProgress?.({ ...at, bytesDone: Math.min(bytesDone, bytesTotal), bytesTotal });
        }),
      );
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    if (options.signal?.aborted) throw new Error('model build: cancelled');
    await Promise.all(graphs.map((graph) => graph.save(`egm-annotator model build (${graphOf.get(graph.name)!.dtype})`)));
    const installedAt = new Date().toISOString();
    const dtypes: Record<string, { installedAt: string; files: InstalledFile[]; absent: string[] }> = {};
    // Each file hashed once (the support files are shared by the dtypes), in the pool: the big ones side by side.
    const unique = [...new Set(Object.values(files).flat())];
    const hashes = new Map(await Promise.all(unique.map(async (rel) => [rel, (await pool.run({ kind: 'sha256', path: join(staging, rel) })).sha256!] as const)));
    for (const [dtype, list] of Object.entries(files)) {
      const entries = list.map((rel): InstalledFile => ({ path: rel, size: statSync(join(staging, rel)).size, sha256: hashes.get(rel)!, verifiedBy: 'export' }));
      dtypes[dtype] = { installedAt, files: entries, absent: [] };
    }
    await syncDir(join(staging, 'onnx'));
    await writeManifest(staging, { format: 1, id: options.id, source: `build:${options.source}`, dtypes });
    // One rename makes it count; the previous folder is kept aside until then.
    const old = existsSync(options.out) ? join(parent, `.${basename(options.out)}.old-${process.pid}`) : null;
    if (old) renameSync(options.out, old);
    try {
      renameSync(staging, options.out);
    } catch (err) {
      if (old) renameSync(old, options.out);
      throw err;
    }
    await syncDir(parent);
    if (old) rmSync(old, { recursive: true, force: true });
    await pool.close();
    const bytes = [...hashes.keys()].reduce((sum, rel) => sum + statSync(join(options.out, rel)).size, 0);
    return { out: options.out, dtypes: options.dtypes, files, bytes, fp16: losses, ms: performance.now() - started };
  } catch (err) {
    await pool.close();
    await Promise.all(graphs.map((graph) => graph.weights.abandon()));
    rmSync(staging, { recursive: true, force: true });
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOSPC') throw new Error(`model build: the disk is full (${parent}); nothing was installed`);
    throw err;
  }
}
