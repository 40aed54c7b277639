// The app builds models in a worker_thread (build-in-worker.ts). Whatever a
// checkpoint folder says, the build ends in a one-line error and the process
// that started it goes on: config sizes are checked before anything is
// allocated, and the worker runs under a heap limit, so running out of memory
// stops the worker, not the app.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInWorker } from '../../electron/models/build-in-worker';
import { qwen3VlConfig, writeCheckpoint, writeConfig } from '../helpers/safetensors-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'egm-build-limits-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('build worker', () => {
  // Every tensor and tokenizer file is there, so nothing else stops the build
  // first: before the checks, the builder sized its graphs from the 4e9 and
  // grew its heap until the worker (or, past V8's hard limits, the process) died.
  it('refuses a config.json hidden size of 4e9 in one line, before allocating anything', async () => {
    writeCheckpoint(dir, qwen3VlConfig({ hidden_size: 4e9, num_attention_heads: 32, num_key_value_heads: 8, head_dim: 125_000_000 }, { out_hidden_size: 4e9 }));
    const out = join(dir, 'models', 'huge');
    const error = await buildInWorker({ source: dir, out, dtypes: ['fp32'], id: 'x' }).catch((err: Error) => err);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/config\.json: text_config\.hidden_size is 4000000000; it must be a whole number from 1 to 65536$/);
  });

  it('a worker past its heap limit ends the build in one line, leaves nothing, and this process goes on', async () => {
    writeConfig(dir, qwen3VlConfig());
    const out = join(dir, 'models', 'small');
    const error = await buildInWorker({ source: dir, out, dtypes: ['fp32'], id: 'x' }, { resourceLimits: { maxOldGenerationSizeMb: 4, maxYoungGenerationSizeMb: 1 } }).catch((err: Error) => err);
    expect((error as Error).message).toBe("model build: ran out of memory (the build's limit is 4 MB of heap); nothing was installed");
    expect(readdirSync(dir)).toEqual(['config.json']);
  });
});
