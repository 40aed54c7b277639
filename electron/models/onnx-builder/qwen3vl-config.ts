// What the builder needs from a Qwen3-VL checkpoint's config.json, read in
// both spellings in use: transformers 4.57 (rope_scaling, rope_theta) and 5.x
// (rope_parameters). Anything else is refused in one line.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TextConfig {
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  intermediate: number;
  vocab: number;
  eps: number;
  ropeTheta: number;
  mropeSection: [number, number, number];
  tied: boolean;
}

export interface VisionConfig {
  hidden: number;
  depth: number;
  heads: number;
  intermediate: number;
  patch: number;
  temporalPatch: number;
  merge: number;
  inChannels: number;
  posSide: number;
  ropeTheta: number;
  deepstack: number[];
  outHidden: number;
  act: string;
}

export interface Qwen3VlConfig {
  text: TextConfig;
  vision: VisionConfig;
  raw: Record<string, unknown>;
}

type Json = Record<string, unknown>;

/**
 * Upper bounds for config.json sizes, far above any Qwen3-VL (the 235B model:
 * hidden 4096, 94 layers, 64 heads, vocabulary 151,936) and far below what
 * would exhaust memory before the safetensors shapes are compared.
 */
export const LIMITS = { width: 65_536, layers: 1_024, heads: 1_024, headDim: 4_096, vocab: 4_194_304, positions: 1_048_576, patch: 64 } as const;

export function readQwen3VlConfig(dir: string): Qwen3VlConfig {
  const path = join(dir, 'config.json');
  if (!existsSync(path)) throw new Error(`${dir}: no config.json (not a Hugging Face checkpoint folder)`);
  let raw: Json;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8')) as Json;
  } catch (err) {
    throw new Error(`${path}: not JSON (${(err as Error).message.split('\n')[0]})`);
  }
  const arch = (raw.architectures as string[] | undefined)?.[0];
  if (raw.model_type !== 'qwen3_vl' && arch !== 'Qwen3VLForConditionalGeneration') {
    throw new Error(`${path}: a ${arch ?? String(raw.model_type)} model; the builder makes Qwen3-VL (Qwen3VLForConditionalGeneration) models only`);
  }
  const t = (raw.text_config ?? {}) as Json;
  const v = (raw.vision_config ?? {}) as Json;
  // Every size is a whole number in a sane range: a config.json is input like
  // any other, and a size of 4e9 would otherwise be allocated before anything
  // noticed (the safetensors shapes are checked against these in check-shapes.ts).
  const size = (obj: Json, key: string, where: string, max: number, fallback?: number): number => {
    const value = obj[key] ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${path}: ${where}.${key} is missing or not a number`);
    if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${path}: ${where}.${key} is ${value}; it must be a whole number from 1 to ${max}`);
    return value;
  };
  const need = (obj: Json, key: string, where: string): number => size(obj, key, where, LIMITS.width);
  const rope = ((t.rope_parameters ?? t.rope_scaling ?? {}) as Json);
  const section = rope.mrope_section as number[] | undefined;
  if (!Array.isArray(section) || section.length !== 3) throw new Error(`${path}: text_config rope mrope_section must list 3 numbers`);
  if (rope.mrope_interleaved === false) throw new Error(`${path}: non-interleaved MRoPE (Qwen2.5-VL style) is not supported`);
  const ropeType = rope.rope_type ?? 'default';
  if (ropeType !== 'default') throw new Error(`${path}: rope_type '${String(ropeType)}' is not supported (default only)`);
  const hidden = need(t, 'hidden_size', 'text_config');
  const heads = size(t, 'num_attention_heads', 'text_config', LIMITS.heads);
  // Without head_dim, transformers takes hidden_size / num_attention_heads, which must then divide.
  if (t.head_dim == null && hidden % heads) throw new Error(`${path}: text_config.hidden_size ${hidden} is not a multiple of num_attention_heads ${heads}, and there is no head_dim`);
  const text: TextConfig = {
    hidden,
    layers: size(t, 'num_hidden_layers', 'text_config', LIMITS.layers),
    heads,
    kvHeads: size(t, 'num_key_value_heads', 'text_config', LIMITS.heads, heads),
    headDim: size(t, 'head_dim', 'text_config', LIMITS.headDim, hidden / heads),
    intermediate: need(t, 'intermediate_size', 'text_config'),
    vocab: size(t, 'vocab_size', 'text_config', LIMITS.vocab),
    eps: typeof t.rms_norm_eps === 'number' ? t.rms_norm_eps : 1e-6,
    ropeTheta: Number(rope.rope_theta ?? t.rope_theta ?? 5_000_000),
    mropeSection: section as [number, number, number],
    tied: Boolean(raw.tie_word_embeddings ?? t.tie_word_embeddings ?? false),
  };
  // Query heads share kv heads in equal groups (repeat_kv); hidden_size need not be heads × head_dim (q_proj maps between them).
  if (text.heads % text.kvHeads) throw new Error(`${path}: ${text.heads} heads do not group over ${text.kvHeads} kv heads`);
  if (text.headDim % 2) throw new Error(`${path}: text_config.head_dim ${text.headDim} is odd; rotary embeddings need an even head size`);
  if (section.some((s) => !Number.isInteger(s) || s < 0 || s > text.headDim)) throw new Error(`${path}: text_config mrope_section ${JSON.stringify(section)} must be 3 whole numbers up to head_dim`);
  const vRope = (v.rope_parameters ?? {}) as Json;
  const posEmbeddings = size(v, 'num_position_embeddings', 'vision_config', LIMITS.positions);
  const vision: VisionConfig = {
    hidden: need(v, 'hidden_size', 'vision_config'),
    depth: size(v, 'depth', 'vision_config', LIMITS.layers),
    heads: size(v, 'num_heads', 'vision_config', LIMITS.heads),
    intermediate: need(v, 'intermediate_size', 'vision_config'),
    patch: size(v, 'patch_size', 'vision_config', LIMITS.patch),
    temporalPatch: size(v, 'temporal_patch_size', 'vision_config', LIMITS.patch),
    merge: size(v, 'spatial_merge_size', 'vision_config', LIMITS.patch),
    inChannels: size(v, 'in_channels', 'vision_config', 4, 3),
    posSide: Math.round(Math.sqrt(posEmbeddings)),
    ropeTheta: Number(vRope.rope_theta ?? 10_000),
    deepstack: ((v.deepstack_visual_indexes as number[] | undefined) ?? []).map(Number),
    outHidden: need(v, 'out_hidden_size', 'vision_config'),
    act: String(v.hidden_act ?? 'gelu_pytorch_tanh'),
  };
  if (vision.hidden % (vision.heads * 4)) throw new Error(`${path}: vision hidden_size ${vision.hidden} does not split into ${vision.heads} heads of a size divisible by 4 (2-D rotary)`);
  if (vision.deepstack.some((i) => !Number.isInteger(i) || i < 0 || i >= vision.depth)) throw new Error(`${path}: vision deepstack_visual_indexes ${JSON.stringify(vision.deepstack)} must be layers 0..${vision.depth - 1}`);
  if (vision.posSide ** 2 !== posEmbeddings) throw new Error(`${path}: vision num_position_embeddings ${posEmbeddings} is not a square`);
  if (vision.outHidden !== text.hidden) throw new Error(`${path}: vision out_hidden_size ${vision.outHidden} differs from the text hidden size ${text.hidden}`);
  if (vision.act !== 'gelu_pytorch_tanh') throw new Error(`${path}: vision hidden_act '${vision.act}' is not supported (gelu_pytorch_tanh only)`);
  if (t.hidden_act !== undefined && t.hidden_act !== 'silu') throw new Error(`${path}: text hidden_act '${String(t.hidden_act)}' is not supported (silu only)`);
  if (t.attention_bias === true) throw new Error(`${path}: attention_bias is not supported`);
  return { text, vision, raw };
}

/** inv_freq as torch computes it in float32: 1 / base^(arange(0, dim, 2) / dim). */
export function invFreq(base: number, dim: number): number[] {
  const f = Math.fround;
  const out: number[] = [];
  for (let i = 0; i < dim; i += 2) out.push(f(1 / f(base ** f(i / dim))));
  return out;
}
