// One place that configures transformers.js for local-only use: no network
// lookups (a missing file must be reported, never fetched) and a writable
// cache folder (the package folder may be read-only inside an installed app).
// Absolute model folder paths are used as they are by transformers.js itself.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env } from '@huggingface/transformers';

export function configureTransformers(cacheDir?: string): void {
  const dir = cacheDir ?? join(tmpdir(), 'egm-annotator-transformers-cache');
  mkdirSync(dir, { recursive: true });
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.cacheDir = dir;
}
