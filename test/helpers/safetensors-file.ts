// Hand-made safetensors files and Qwen3-VL config.json files for the
// builder's input checks: a header is written as given (offsets, shapes and
// dtypes may be wrong on purpose), the data section is zeros unless given.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectedShapes } from '../../electron/models/onnx-builder/check-shapes';
import { readQwen3VlConfig } from '../../electron/models/onnx-builder/qwen3vl-config';

export interface HeaderEntry {
  dtype: string;
  shape: unknown;
  data_offsets: unknown;
}

/** A safetensors file: 8-byte header length, the JSON header (space-padded to 8), then `dataBytes` of data. */
export function writeSafetensors(path: string, header: Record<string, HeaderEntry | Record<string, string>>, dataBytes: number, data?: Uint8Array): void {
  let json = Buffer.from(JSON.stringify(header));
  json = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8, 0x20)]);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  const body = Buffer.alloc(dataBytes);
  if (data) body.set(data);
  writeFileSync(path, Buffer.concat([length, json, body]));
}

/** Well-formed entries laid out back to back (F32 unless said). */
export function packed(tensors: Record<string, number[]>, dtype = 'F32'): { header: Record<string, HeaderEntry>; bytes: number } {
  const size = dtype === 'F32' ? 4 : 2;
  const header: Record<string, HeaderEntry> = {};
  let at = 0;
  for (const [name, shape] of Object.entries(tensors)) {
    const n = shape.reduce((a, b) => a * b, 1) * size;
    header[name] = { dtype, shape, data_offsets: [at, at + n] };
    at += n;
  }
  return { header, bytes: at };
}

/** A small Qwen3-VL config.json (transformers 5 spelling); `text` and `vision` override single keys. */
export function qwen3VlConfig(text: Record<string, unknown> = {}, vision: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    architectures: ['Qwen3VLForConditionalGeneration'],
    model_type: 'qwen3_vl',
    tie_word_embeddings: true,
    text_config: {
      hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 16,
      vocab_size: 32, hidden_act: 'silu', rms_norm_eps: 1e-6,
      rope_parameters: { rope_type: 'default', rope_theta: 5_000_000, mrope_section: [3, 3, 2], mrope_interleaved: true },
      ...text,
    },
    vision_config: {
      depth: 2, hidden_size: 32, intermediate_size: 64, num_heads: 2, in_channels: 3, patch_size: 16, spatial_merge_size: 2, temporal_patch_size: 2,
      out_hidden_size: (text.hidden_size as number | undefined) ?? 64, num_position_embeddings: 16, deepstack_visual_indexes: [0], hidden_act: 'gelu_pytorch_tanh',
      ...vision,
    },
  };
}

export function writeConfig(dir: string, config: Record<string, unknown>): void {
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
}

/**
 * A checkpoint folder the builder gets all the way through: `config` as its
 * config.json, the tokenizer files, and every tensor the builder reads shaped
 * for the small default config (qwen3VlConfig()), zeros. With sizes in
 * `config` that differ, the folder is the 'config that disagrees with its own
 * weights' the builder must refuse before it allocates anything.
 */
export function writeCheckpoint(dir: string, config: Record<string, unknown>): void {
  writeConfig(dir, qwen3VlConfig());
  const { header, bytes } = packed(Object.fromEntries(expectedShapes(readQwen3VlConfig(dir), false)));
  writeSafetensors(join(dir, 'model.safetensors'), header, bytes);
  writeFileSync(join(dir, 'tokenizer.json'), '{}');
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ chat_template: '<|vision_start|><|image_pad|><|vision_end|>' }));
  writeConfig(dir, config);
}
