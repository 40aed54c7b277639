// `egm model build`: a Hugging Face Qwen3-VL / EGM checkpoint (config.json +
// safetensors + tokenizer) → the ONNX folder the local engine runs, written
// directly from the weights (no tracing, no Python): per dtype the three
// graphs (qwen3vl-vision.ts, qwen3vl-text.ts) with their weights in one
// .onnx_data file each, the support files, and egm-model.json last.
// Everything is written into a staging folder beside the destination and
// moved into place with one rename, so a failed, cancelled or out-of-disk
// build leaves nothing half-installed and the previous model usable.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
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
  /** 4-bit block size and layout for q4f16 and q4 (default 32, asymmetric). */
  blockSize?: number;
  symmetric?: boolean;
  onProgress?: (progress: BuildProgress) => void;
  signal?: AbortSignal;
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

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function buildModel(options: BuildOptions): Promise<BuildReport> {
  const started = performance.now();
  const cfg = readQwen3VlConfig(options.source);
  const ckpt = new Checkpoint(options.source);
  if (!options.dtypes.length) throw new Error('model build: no dtype asked for');
  const blockSize = options.blockSize ?? 32;
  if (blockSize < 16 || blockSize & (blockSize - 1)) throw new Error(`model build: block size ${blockSize} must be a power of two ≥ 16`);
  const parent = dirname(options.out);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(options.out)}.building-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'onnx'), { recursive: true });
  const losses: Fp16Losses = { overflow: 0, flushed: 0 };
  const bytesTotal = ckpt.totalBytes * options.dtypes.length;
  let bytesDone = 0;
  try {
    const support = writeSupportFiles(options.source, staging, cfg);
    const files: Record<string, string[]> = {};
    for (const dtype of options.dtypes) {
      // fp16 losses are counted where weights become fp16 (fp16, q4f16); q4 keeps float scales.
      const precision = precisionFor(dtype, losses, blockSize, options.symmetric ?? false);
      files[dtype] = [...support];
      for (const graphName of GRAPHS) {
        const rel = `onnx/${graphName}${SUFFIX[dtype]}.onnx`;
        const graph = new Graph(`${graphName}_${dtype}`, join(staging, rel));
        const layers = new Layers(graph, ckpt, precision, (bytes) => {
          if (options.signal?.aborted) throw new Error('model build: cancelled');
          bytesDone += bytes;
          options.onProgress?.({ dtype, graph: graphName, bytesDone: Math.min(bytesDone, bytesTotal), bytesTotal });
        });
        try {
          BUILDERS[graphName](layers, cfg);
          graph.save(`egm-annotator model build (${dtype})`);
        } finally {
          graph.weights.close();
        }
        files[dtype].push(rel, `${rel}_data`);
      }
    }
    const installedAt = new Date().toISOString();
    const dtypes: Record<string, { installedAt: string; files: InstalledFile[]; absent: string[] }> = {};
    const hashes = new Map<string, string>();
    for (const [dtype, list] of Object.entries(files)) {
      const entries: InstalledFile[] = [];
      for (const rel of list) {
        const path = join(staging, rel);
        if (!hashes.has(rel)) hashes.set(rel, await sha256(path));
        entries.push({ path: rel, size: statSync(path).size, sha256: hashes.get(rel)!, verifiedBy: 'export' });
      }
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
    const bytes = [...hashes.keys()].reduce((sum, rel) => sum + statSync(join(options.out, rel)).size, 0);
    return { out: options.out, dtypes: options.dtypes, files, bytes, fp16: losses, ms: performance.now() - started };
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOSPC') throw new Error(`model build: the disk is full (${parent}); nothing was installed`);
    throw err;
  }
}
