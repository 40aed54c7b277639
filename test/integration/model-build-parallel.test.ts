// `egm model build` converts tensors in worker_threads (convert-pool.ts), all
// of a build's jobs at once, and converts a weight once for every graph that
// holds it (a tied lm_head's transpose from the embedding's conversion; the
// fp16 vision encoder of fp16 and q4f16). None of that may change a byte:
// the parity run and every installed model's hashes depend on it. Here a
// bf16 checkpoint with tied embeddings (config b, saved by Hugging Face's
// code) is built both ways and every file compared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel } from '../../electron/models/onnx-builder/build-model';
import { BUILD_DTYPES } from '../../electron/models/onnx-builder/layers';
import { NO_VENV, PYTHON } from '../helpers/tiny-checkpoint';
import { REPO_ROOT } from '../helpers/tiny-model';
import { onnxNodes } from '../helpers/onnx-graph';

if (!PYTHON) console.warn(`model-build-parallel: SKIPPED, ${NO_VENV}`);

describe.skipIf(!PYTHON)('egm model build in parallel', () => {
  let dir: string;
  let checkpoint: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'egm-build-parallel-'));
    checkpoint = join(dir, 'checkpoint');
    execFileSync(PYTHON!, ['scripts/parity/make_tiny_qwen3vl.py', '--out', checkpoint, '--config', 'b', '--save-dtype', 'bfloat16'], { cwd: REPO_ROOT, stdio: 'pipe' });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes the same bytes as a build of one dtype at a time on this thread', async () => {
    const together = await buildModel({ source: checkpoint, out: join(dir, 'together'), dtypes: [...BUILD_DTYPES], id: 'x', threads: 3 });
    let losses = { overflow: 0, flushed: 0 };
    for (const dtype of BUILD_DTYPES) {
      const alone = await buildModel({ source: checkpoint, out: join(dir, `alone-${dtype}`), dtypes: [dtype], id: 'x', threads: 0 });
      losses = { overflow: losses.overflow + alone.fp16.overflow, flushed: losses.flushed + alone.fp16.flushed };
      for (const rel of alone.files[dtype]!) {
        const a = readFileSync(join(dir, 'together', rel));
        const b = readFileSync(join(dir, `alone-${dtype}`, rel));
        expect(a.equals(b), `${rel} differs`).toBe(true);
      }
    }
    // The same fp16 losses reported, though shared weights were converted once.
    expect(together.fp16).toEqual(losses);
    expect(readdirSync(join(dir, 'together', 'onnx'))).toHaveLength(BUILD_DTYPES.length * 6);
  });

  it('gives each 4-bit dtype its default block size unless one is asked for', async () => {
    // The block_size attributes of a decoder's MatMulNBits nodes.
    const blockSizes = (file: string) => [...new Set(onnxNodes(file).filter((n) => n.opType === 'MatMulNBits').map((n) => n.ints.block_size))].sort();
    const decoder = (out: string, dtype: string) => join(dir, out, 'onnx', `decoder_model_merged_${dtype}.onnx`);
    expect(blockSizes(decoder('together', 'q4'))).toEqual([64]);
    expect(blockSizes(decoder('together', 'q4f16'))).toEqual([32]);
    await buildModel({ source: checkpoint, out: join(dir, 'asked'), dtypes: ['q4', 'q4f16'], id: 'x', blockSize: 128 });
    expect(blockSizes(decoder('asked', 'q4'))).toEqual([128]);
    expect(blockSizes(decoder('asked', 'q4f16'))).toEqual([128]);
  });
});
