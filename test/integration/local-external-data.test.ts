// A built model's weights live in external data files (x.onnx_data), which
// onnxruntime reads itself from the path transformers.js hands it. transformers.js
// 4.3 on Node also opened each of them as a stream read whole into memory that
// nobody consumed (FileResponse), after the load and twice per file: 9 GB more
// RSS for a minute after loading EGM-4B q4. The app's cache
// (engine/local/transformers-env.ts) answers those files by path, so no
// JavaScript read of them is ever started; the model still loads and answers.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fs, { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadLocalModel, type LoadedModel } from '../../electron/engine/local/load-model';
import { LocalBackend } from '../../electron/engine/local/local-backend';
import { localFileCache } from '../../electron/engine/local/transformers-env';
import { buildSmallRandomModel } from '../helpers/small-random-model';
import { REPO_ROOT } from '../helpers/tiny-model';

describe('external data files are read by onnxruntime only', () => {
  let dir: string;
  let modelDir: string;
  let loaded: LoadedModel;
  const streamed: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'egm-external-data-'));
    modelDir = await buildSmallRandomModel(dir, 'test/external-data', 2);
    const real = fs.createReadStream;
    vi.spyOn(fs, 'createReadStream').mockImplementation(((path: fs.PathLike, options?: unknown) => {
      streamed.push(String(path));
      return real(path, options as never);
    }) as typeof fs.createReadStream);
    loaded = await loadLocalModel({ modelDir, device: 'cpu', dtype: 'fp32' });
  }, 120_000);
  afterAll(async () => {
    vi.restoreAllMocks();
    await loaded?.model.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the built model has external data, and loading it streams none of it into JavaScript', async () => {
    const external = readdirSync(join(modelDir, 'onnx')).filter((f) => f.endsWith('.onnx_data'));
    expect(external.length).toBeGreaterThanOrEqual(3);
    expect(streamed.length, 'the spy saw the other files transformers.js reads as streams').toBeGreaterThan(0);
    expect(streamed.filter((p) => p.endsWith('.onnx_data'))).toEqual([]);
  });

  it('the model loaded that way answers a query', async () => {
    const backend = new LocalBackend(loaded);
    const result = await backend.ground({ imagePath: resolve(REPO_ROOT, 'assets/samples/fruits.jpg'), phrase: 'the lime', kind: 'visible', maxNewTokens: 4 });
    expect(result.tokens).toBeGreaterThan(0);
  });
});

describe('localFileCache', () => {
  it('answers an existing external data file by its path, then its cache key by the same path, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'egm-cache-'));
    try {
      fs.mkdirSync(join(dir, 'onnx'));
      const data = join(dir, 'onnx', 'decoder_model_merged.onnx_data');
      fs.writeFileSync(data, 'x');
      fs.writeFileSync(join(dir, 'config.json'), '{}');
      const cache = localFileCache();
      expect(await cache.match(data)).toBe(data);
      expect(await cache.match(`https://huggingface.co/${dir}/resolve/main/onnx/decoder_model_merged.onnx_data`)).toBe(data);
      expect(await cache.match(join(dir, 'config.json'))).toBeUndefined();
      expect(await cache.match(join(dir, 'onnx', 'missing.onnx_data'))).toBeUndefined();
      expect(await cache.match('onnx/decoder_model_merged.onnx_data')).toBeUndefined(); // asked once, answered once
      // A '%' in a local folder name is not an escape (decoding it threw, and the weights were streamed again).
      const odd = join(dir, '100%zz', 'onnx');
      fs.mkdirSync(odd, { recursive: true });
      fs.writeFileSync(join(odd, 'vision_encoder.onnx_data'), 'x');
      expect(await cache.match(join(odd, 'vision_encoder.onnx_data'))).toBe(join(odd, 'vision_encoder.onnx_data'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
