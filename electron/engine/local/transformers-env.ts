// One place that configures transformers.js for local-only use: no network
// lookups (a missing file must be reported, never fetched) and a writable
// cache folder (the package folder may be read-only inside an installed app).
// Absolute model folder paths are used as they are by transformers.js itself.
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { env } from '@huggingface/transformers';

/** An ONNX external data file (`x.onnx_data`, or a chunk `x.onnx_data_1`). */
const EXTERNAL_DATA = /\.onnx_data(_\d+)?$/;

/** The last two segments of a path or URL ("onnx/x.onnx_data"): what a file's local path and its cache key share. */
function tail(name: string): string {
  // A URL's segments may be %-escaped; a local path is taken as written (a '%' in a folder name is not an escape).
  let text = name;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) {
    try {
      text = decodeURIComponent(name);
    } catch {
      // Not a valid escape: compared as written.
    }
  }
  return text.split(/[\\/]+/).slice(-2).join('/');
}

/**
 * The cache transformers.js consults before opening a file. For a model's
 * external data (the weights: gigabytes) it answers the file's own path, which
 * transformers.js hands to onnxruntime to read natively. Without it,
 * transformers.js (4.3 on Node) opens every local file as a FileResponse
 * whose constructor starts a ReadStream that pushes the whole file into an
 * unread in-memory queue: it only wants the path, but the read goes on after
 * the model has loaded, twice per file. For EGM-4B q4 (5.8 GB of external
 * data) that held about 9 GB more for a minute after load (peak RSS 15 GB
 * instead of 6.5 GB) and took a core for reading and garbage collection
 * while the first queries ran.
 * transformers.js asks twice: first by the local path (answered when it is an
 * existing external data file), then, after a hit, by its own cache key for
 * that file (a URL ending in the same folder/name), answered with the path
 * the first question found. Every other name falls through (undefined):
 * configs, tokenizer and the small .onnx graphs are read as before. Nothing is
 * ever put: remote models are never fetched (allowRemoteModels is off).
 */
export function localFileCache() {
  const found = new Map<string, string>();
  return {
    async match(name: unknown): Promise<string | undefined> {
      if (typeof name !== 'string' || !EXTERNAL_DATA.test(name)) return undefined;
      if (isAbsolute(name) && existsSync(name)) {
        found.set(tail(name), name);
        return name;
      }
      const key = tail(name);
      const path = found.get(key);
      found.delete(key);
      return path;
    },
    async put(): Promise<void> {},
  };
}

const cache = localFileCache();

export function configureTransformers(cacheDir?: string): void {
  const dir = cacheDir ?? join(tmpdir(), 'egm-annotator-transformers-cache');
  mkdirSync(dir, { recursive: true });
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.cacheDir = dir;
  env.useCustomCache = true;
  env.customCache = cache;
}
