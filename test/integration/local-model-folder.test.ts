// A bad model folder fails before any session is created, with one line that
// names what is wrong: which files are missing, which architecture it is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, rm, writeFile, readFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkModelFolder } from '../../electron/engine/local/model-folder';
import { loadLocalBackend } from '../../electron/engine/local/local-backend';
import { chooseDevice } from '../../electron/engine/local/device';
import { tinyModelDir } from '../helpers/tiny-model';

describe('model folder check', () => {
  let work: string;
  let tiny: string;
  beforeAll(async () => {
    tiny = await tinyModelDir();
    work = await mkdtemp(join(tmpdir(), 'egm-folder-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  async function copyOfTiny(name: string): Promise<string> {
    const dir = join(work, name);
    await cp(tiny, dir, { recursive: true });
    return dir;
  }

  it('accepts the tiny model and picks fp32 files where only those exist', () => {
    const folder = checkModelFolder(tiny);
    expect(folder.dtype).toEqual({ vision_encoder: 'fp32', embed_tokens: 'fp32', decoder_model_merged: 'fp32' });
    expect(folder.externalData).toEqual({});
  });

  it('names every missing file of a partial folder', async () => {
    const dir = await copyOfTiny('partial');
    await rm(join(dir, 'tokenizer.json'));
    await rm(join(dir, 'onnx', 'decoder_model_merged.onnx'));
    expect(() => checkModelFolder(dir)).toThrow(`model folder ${dir}: missing tokenizer.json, onnx/decoder_model_merged[_<dtype>].onnx`);
    await expect(loadLocalBackend({ modelDir: dir, device: 'cpu' })).rejects.toThrow(/missing tokenizer\.json/);
  });

  it('names the exact file of a requested dtype that is absent', () => {
    expect(() => checkModelFolder(tiny, { decoder_model_merged: 'q4f16' })).toThrow(/missing onnx\/decoder_model_merged_q4f16\.onnx$/);
    expect(() => checkModelFolder(tiny, 'fp16')).toThrow(
      /missing onnx\/vision_encoder_fp16\.onnx, onnx\/embed_tokens_fp16\.onnx, onnx\/decoder_model_merged_fp16\.onnx$/,
    );
    expect(() => checkModelFolder(tiny, 'fp64')).toThrow(/unknown dtype 'fp64'/);
  });

  it('uses a quantized file when that is what the folder has, and counts external data chunks', async () => {
    const dir = await copyOfTiny('quantized');
    await rename(join(dir, 'onnx', 'decoder_model_merged.onnx'), join(dir, 'onnx', 'decoder_model_merged_q4f16.onnx'));
    await writeFile(join(dir, 'onnx', 'decoder_model_merged_q4f16.onnx_data'), '');
    await writeFile(join(dir, 'onnx', 'decoder_model_merged_q4f16.onnx_data_1'), '');
    const folder = checkModelFolder(dir);
    expect(folder.dtype.decoder_model_merged).toBe('q4f16');
    expect(folder.externalData).toEqual({ 'decoder_model_merged_q4f16.onnx': 2 });
  });

  it('refuses another architecture in one line', async () => {
    const dir = await copyOfTiny('llama');
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...config, model_type: 'llama', architectures: ['LlamaForCausalLM'] }));
    expect(() => checkModelFolder(dir)).toThrow(`model folder ${dir}: model_type is 'llama' (LlamaForCausalLM), expected 'qwen3_vl' (an EGM / Qwen3-VL export)`);
  });

  it('reports a folder that does not exist, and broken config.json', async () => {
    expect(() => checkModelFolder(join(work, 'nope'))).toThrow(/nope: folder not found$/);
    const dir = await copyOfTiny('broken');
    await writeFile(join(dir, 'config.json'), '{ not json');
    expect(() => checkModelFolder(dir)).toThrow(/config\.json is not valid JSON/);
  });
});

describe('device choice', () => {
  it('keeps a GPU whose probe succeeds and falls back to cpu with the reason when it fails', async () => {
    expect(await chooseDevice('cuda', async () => null)).toEqual({ device: 'cuda', reason: 'cuda requested' });
    expect(await chooseDevice('dml', async () => 'no dml here')).toEqual({ device: 'cpu', reason: 'dml unavailable (no dml here); fell back to cpu' });
    expect(await chooseDevice('cpu', async () => 'never asked')).toEqual({ device: 'cpu', reason: 'cpu requested' });
  });

  it('probes a real onnxruntime session: cpu always works', async () => {
    const { probeProvider } = await import('../../electron/engine/local/device');
    expect(await probeProvider('cpu')).toBeNull();
    expect(await probeProvider('no-such-provider')).toMatch(/\S/);
  });
});
