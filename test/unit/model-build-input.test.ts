// The builder's input is a folder from anywhere (a download, a zip, a share):
// config.json sizes, the shard index and every safetensors header are checked
// before anything is allocated, read or built, each refusal one line naming
// the file and the value.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readQwen3VlConfig } from '../../electron/models/onnx-builder/qwen3vl-config';
import { Checkpoint } from '../../electron/models/onnx-builder/safetensors';
import { buildModel } from '../../electron/models/onnx-builder/build-model';
import { qwen3VlConfig, writeCheckpoint, writeConfig, writeSafetensors } from '../helpers/safetensors-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'egm-build-input-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const oneLine = (fn: () => unknown) => {
  let message = '';
  try {
    fn();
  } catch (err) {
    message = (err as Error).message;
  }
  expect(message, 'expected a refusal').not.toBe('');
  expect(message.split('\n')).toHaveLength(1);
  return message;
};

describe('config.json', () => {
  it('takes an explicit head_dim whose heads do not divide the hidden size (as Hugging Face does)', () => {
    // q_proj maps 80 → 3 × 32: hidden_size need not be heads × head_dim.
    writeConfig(dir, qwen3VlConfig({ hidden_size: 80, num_attention_heads: 3, num_key_value_heads: 1, head_dim: 32, rope_parameters: { rope_type: 'default', mrope_section: [6, 5, 5] } }));
    const { text } = readQwen3VlConfig(dir);
    expect([text.hidden, text.heads, text.kvHeads, text.headDim]).toEqual([80, 3, 1, 32]);
  });

  it('without head_dim, refuses a hidden size its heads do not divide, saying so', () => {
    const config = qwen3VlConfig({ hidden_size: 80, num_attention_heads: 3, num_key_value_heads: 1 });
    delete (config.text_config as Record<string, unknown>).head_dim;
    writeConfig(dir, config);
    expect(oneLine(() => readQwen3VlConfig(dir))).toMatch(/hidden_size 80 is not a multiple of num_attention_heads 3, and there is no head_dim/);
  });

  it('still refuses heads that do not group over the kv heads', () => {
    writeConfig(dir, qwen3VlConfig({ num_attention_heads: 4, num_key_value_heads: 3 }));
    expect(oneLine(() => readQwen3VlConfig(dir))).toMatch(/4 heads do not group over 3 kv heads/);
  });

  it.each([
    ['hidden_size', 4e9, { text: true }],
    ['hidden_size', 64.5, { text: true }],
    ['vocab_size', 1e12, { text: true }],
    ['num_hidden_layers', -2, { text: true }],
    ['head_dim', 1e9, { text: true }],
    ['num_heads', 0, { text: false }],
    ['num_position_embeddings', 1e15, { text: false }],
  ] as const)('refuses %s = %s before allocating anything', (key, value, { text }) => {
    const config = text ? qwen3VlConfig({ [key]: value }) : qwen3VlConfig({}, { [key]: value });
    if (key === 'hidden_size') (config.vision_config as Record<string, unknown>).out_hidden_size = value;
    writeConfig(dir, config);
    expect(oneLine(() => readQwen3VlConfig(dir))).toContain(`${text ? 'text_config' : 'vision_config'}.${key} is ${value}; it must be a whole number from 1 to`);
  });

  it('refuses sizes that disagree with the checkpoint\'s own tensors, naming the tensor', async () => {
    // A complete checkpoint shaped for hidden_size 64 (before the check, the builder wrote a model that could not run).
    writeCheckpoint(dir, qwen3VlConfig({ hidden_size: 128 }));
    await expect(buildModel({ source: dir, out: join(dir, 'out'), dtypes: ['fp32'], id: 'x' })).rejects.toThrow(
      "tensor 'model.language_model.embed_tokens.weight' is [32, 64], config.json implies [32, 128]",
    );
  });
});

describe('safetensors headers', () => {
  const shard = () => join(dir, 'model.safetensors');
  const entry = (e: { dtype?: string; shape?: unknown; data_offsets?: unknown }) => ({ w: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16], ...e } });

  it('reads a well-formed file', () => {
    writeSafetensors(shard(), entry({}), 16);
    const ckpt = new Checkpoint(dir);
    expect(ckpt.shape('w')).toEqual([2, 2]);
    expect(ckpt.totalBytes).toBe(16);
  });

  it.each([
    ['a negative offset', { data_offsets: [-8, 8] }, /data_offsets \[-8,8\]; they must be two whole numbers/],
    ['begin after end', { data_offsets: [16, 0] }, /begins at byte 16, after its end 0/],
    ['fractional dimensions', { shape: [2.5, 1.6], data_offsets: [0, 16] }, /shape \[2.5,1.6\]; dimensions must be whole numbers/],
    ['a negative dimension', { shape: [-2, -2] }, /shape \[-2,-2\]/],
    ['offsets past the end of the file', { shape: [4, 4], data_offsets: [0, 64] }, /truncated \(w ends at byte 64 of the data, which has 16\)/],
    ['a byte count that is not shape × element size', { shape: [3, 2], data_offsets: [0, 16] }, /holds 16 bytes; its shape \[3, 2\] of F32 needs 24/],
    ['fractional offsets', { data_offsets: [0.5, 16] }, /data_offsets \[0.5,16\]/],
    ['no shape', { shape: 'big' }, /shape "big"/],
  ])('refuses %s in one line', (_, e, message) => {
    writeSafetensors(shard(), entry(e), 16);
    expect(oneLine(() => new Checkpoint(dir))).toMatch(message);
  });

  it('refuses a header that is not JSON', () => {
    const head = Buffer.alloc(8);
    head.writeBigUInt64LE(8n);
    writeFileSync(shard(), Buffer.concat([head, Buffer.from('{"w": [1'), Buffer.alloc(16)]));
    expect(oneLine(() => new Checkpoint(dir))).toMatch(/not a safetensors file \(its header is not JSON/);
  });
});

describe('shard index', () => {
  it.each([['../outside.safetensors'], ['sub/../../outside.safetensors'], ['/etc/outside.safetensors'], ['C:\\outside.safetensors'], ['notes.txt']])(
    'refuses a weight_map that names %s, reading nothing outside the folder',
    (name) => {
      const inner = join(dir, 'checkpoint');
      mkdirSync(inner);
      // A valid shard where the escaping name points: it must not be read.
      writeSafetensors(join(dir, 'outside.safetensors'), { w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, 16);
      writeFileSync(join(inner, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { w: name } }));
      expect(oneLine(() => new Checkpoint(inner))).toMatch(/weight_map names .*(outside the checkpoint folder|not a \.safetensors file)/);
    },
  );

  it('reads shards in subfolders of the checkpoint', () => {
    mkdirSync(join(dir, 'weights'));
    writeSafetensors(join(dir, 'weights', 'a.safetensors'), { w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, 16);
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { w: 'weights/a.safetensors' } }));
    expect(new Checkpoint(dir).shape('w')).toEqual([4]);
  });
});
