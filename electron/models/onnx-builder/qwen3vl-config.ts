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
  const need = (obj: Json, key: string, where: string): number => {
    const value = obj[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${path}: ${where}.${key} is missing or not a number`);
    return value;
  };
  const rope = ((t.rope_parameters ?? t.rope_scaling ?? {}) as Json);
  const section = rope.mrope_section as number[] | undefined;
  if (!Array.isArray(section) || section.length !== 3) throw new Error(`${path}: text_config rope mrope_section must list 3 numbers`);
  if (rope.mrope_interleaved === false) throw new Error(`${path}: non-interleaved MRoPE (Qwen2.5-VL style) is not supported`);
  const ropeType = rope.rope_type ?? 'default';
  if (ropeType !== 'default') throw new Error(`${path}: rope_type '${String(ropeType)}' is not supported (default only)`);
  const hidden = need(t, 'hidden_size', 'text_config');
  const heads = need(t, 'num_attention_heads', 'text_config');
  const text: TextConfig = {
    hidden,
    layers: need(t, 'num_hidden_layers', 'text_config'),
    heads,
    kvHeads: typeof t.num_key_value_heads === 'number' ? t.num_key_value_heads : heads,
    headDim: typeof t.head_dim === 'number' ? t.head_dim : hidden / heads,
    intermediate: need(t, 'intermediate_size', 'text_config'),
    vocab: need(t, 'vocab_size', 'text_config'),
    eps: typeof t.rms_norm_eps === 'number' ? t.rms_norm_eps : 1e-6,
    ropeTheta: Number(rope.rope_theta ?? t.rope_theta ?? 5_000_000),
    mropeSection: section as [number, number, number],
    tied: Boolean(raw.tie_word_embeddings ?? t.tie_word_embeddings ?? false),
  };
  if (text.hidden % text.heads || text.heads % text.kvHeads) throw new Error(`${path}: ${text.heads} heads do not group over ${text.kvHeads} kv heads`);
  const vRope = (v.rope_parameters ?? {}) as Json;
  const posEmbeddings = need(v, 'num_position_embeddings', 'vision_config');
  const vision: VisionConfig = {
    hidden: need(v, 'hidden_size', 'vision_config'),
    depth: need(v, 'depth', 'vision_config'),
    heads: need(v, 'num_heads', 'vision_config'),
    intermediate: need(v, 'intermediate_size', 'vision_config'),
    patch: need(v, 'patch_size', 'vision_config'),
    temporalPatch: need(v, 'temporal_patch_size', 'vision_config'),
    merge: need(v, 'spatial_merge_size', 'vision_config'),
    inChannels: typeof v.in_channels === 'number' ? v.in_channels : 3,
    posSide: Math.round(Math.sqrt(posEmbeddings)),
    ropeTheta: Number(vRope.rope_theta ?? 10_000),
    deepstack: ((v.deepstack_visual_indexes as number[] | undefined) ?? []).map(Number),
    outHidden: need(v, 'out_hidden_size', 'vision_config'),
    act: String(v.hidden_act ?? 'gelu_pytorch_tanh'),
  };
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
