// The tiny generated EGM model (scripts/tiny-egm/), made on demand: tests and
// benches call tinyModelDir() and get test/fixtures/tiny-egm/, generated once
// if it is missing. Concurrent test files may race to generate it; the
// generator renames a finished temp folder into place, so readers never see
// half a model, and a lock file keeps the work to one process.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TINY_EGM_VERSION, makeTinyEgm } from '../../scripts/tiny-egm/generate.mjs';

export { SCRIPTED_ANSWER, SCRIPTED_BOX, SCRIPTED_LABEL, SCRIPTED_REASONING } from '../../scripts/tiny-egm/generate.mjs';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const TINY_MODEL_DIR = resolve(REPO_ROOT, 'test/fixtures/tiny-egm');
const MARKER = resolve(TINY_MODEL_DIR, 'onnx/decoder_model_merged.onnx');
const LOCK = `${TINY_MODEL_DIR}.lock`;

/** Complete and made by the current generator (an older one scripted other logits). */
function upToDate(): boolean {
  if (!existsSync(MARKER)) return false;
  try {
    return JSON.parse(readFileSync(resolve(TINY_MODEL_DIR, 'config.json'), 'utf8')).egm_tiny_test_model === TINY_EGM_VERSION;
  } catch {
    return false;
  }
}

export async function tinyModelDir(): Promise<string> {
  if (upToDate()) return TINY_MODEL_DIR;
  await mkdir(dirname(TINY_MODEL_DIR), { recursive: true });
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      const handle = await open(LOCK, 'wx');
      await handle.close();
      try {
        if (!upToDate()) await makeTinyEgm(TINY_MODEL_DIR);
      } finally {
        await rm(LOCK, { force: true });
      }
      return TINY_MODEL_DIR;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (upToDate()) return TINY_MODEL_DIR;
      // A lock older than a minute belongs to a process that died mid-write.
      const age = Date.now() - (await stat(LOCK).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > 60_000) await rm(LOCK, { force: true });
      // Another test process is writing the model: a lock file across processes has no event to await (fs.watch is unreliable), so poll it.
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`tiny-model: timed out waiting for ${LOCK}`);
}
