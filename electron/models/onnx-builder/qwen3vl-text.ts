// The two text graphs transformers.js runs for qwen3_vl:
//   embed_tokens(input_ids [batch_size, sequence_length]) → inputs_embeds
//   decoder_model_merged(inputs_embeds, attention_mask, position_ids [3, b, s],
//     past_key_values.N.key/value) → logits [b, 1, vocab], present.N.key/value
// Same arithmetic as transformers' Qwen3VLTextModel + lm_head, written as plain
// ONNX ops (MatMulNBits for 4-bit weights). DeepStack rides in widened
// embeddings (models/ENGINE.md, "DeepStack"): inputs_embeds is
// hidden·(1+L) wide, [token or merger embedding | deepstack_0 | … ]; the
// decoder adds slice k+1 after decoder layer k. Text rows carry zeros there,
// so the plain add equals HF's masked add at the image positions.
import { invFreq, type Qwen3VlConfig } from './qwen3vl-config';
import type { Layers } from './layers';

const TEXT = 'model.language_model';

/** Width of inputs_embeds / image_features: the hidden size times (1 + DeepStack layers). */
export function embeddingWidth(cfg: Qwen3VlConfig): number {
  return cfg.text.hidden * (1 + cfg.vision.deepstack.length);
}

export function buildEmbedTokens(l: Layers, cfg: Qwen3VlConfig): void {
  const g = l.g;
  const ids = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const table = l.param(`${TEXT}.embed_tokens.weight`);
  let x = g.op('Gather', [table, ids], { axis: 0 });
  if (l.p.compute !== 'float') x = l.cast(x, 'float');
  const extra = embeddingWidth(cfg) - cfg.text.hidden;
  const out = extra ? g.op('Pad', [x, g.i64([0, 0, 0, 0, 0, extra])], { mode: 'constant' }, 'inputs_embeds') : g.op('Identity', [x], {}, 'inputs_embeds');
  g.output(out, 'float', ['batch_size', 'sequence_length', embeddingWidth(cfg)]);
}

/** Interleaved MRoPE: channel j of the rotary half takes T, H (j ≡ 1 mod 3) or W (j ≡ 2 mod 3) within the H/W sections. */
export function mropeSelector(half: number, section: [number, number, number]): number[] {
  const sel = new Array<number>(3 * half).fill(0);
  for (let j = 0; j < half; j++) sel[j] = 1;
  for (const [axis, offset] of [[1, 1], [2, 2]] as const) {
    for (let j = offset; j < section[axis] * 3 && j < half; j += 3) {
      sel[j] = 0;
      sel[axis * half + j] = 1;
    }
  }
  return sel;
}

export function buildDecoder(l: Layers, cfg: Qwen3VlConfig): void {
  const g = l.g;
  const t = cfg.text;
  const kvType = l.p.compute;
  const width = embeddingWidth(cfg);
  const embeds = g.input('inputs_embeds', 'float', ['batch_size', 'sequence_length', width]);
  const mask = g.input('attention_mask', 'int64', ['batch_size', 'total_sequence_length']);
  const positions = g.input('position_ids', 'int64', [3, 'batch_size', 'sequence_length']);
  const past: string[] = [];
  for (let i = 0; i < t.layers; i++) {
    for (const kind of ['key', 'value']) past.push(g.input(`past_key_values.${i}.${kind}`, kvType, ['batch_size', t.kvHeads, 'past_sequence_length', t.headDim]));
  }

  // Hidden states and DeepStack slices of the widened embeddings.
  const slice = (from: number, to: number) => g.op('Slice', [embeds, g.i64([from]), g.i64([to]), g.i64([-1])]);
  const toCompute = (x: string) => (l.p.compute === 'float' ? x : l.cast(x, 'float16'));
  let h = toCompute(slice(0, t.hidden));
  const deepstack = cfg.vision.deepstack.map((_, k) => toCompute(slice(t.hidden * (k + 1), t.hidden * (k + 2))));

  // Rotary: float32 angles, cos/sin in the compute type (HF: .to(x.dtype)), [b, 1, s, head_dim].
  const half = t.headDim / 2;
  const inv = g.f32(invFreq(t.ropeTheta, t.headDim));
  const angles3 = g.op('Mul', [g.op('Unsqueeze', [g.op('Cast', [positions], { to: 1 }), g.i64([-1])]), inv]);
  const select = g.f32(mropeSelector(half, t.mropeSection), false, [3, 1, 1, half]);
  const angles = g.op('ReduceSum', [g.op('Mul', [angles3, select]), g.i64([0])], { keepdims: 0 });
  const full = g.op('Concat', [angles, angles], { axis: -1 });
  const cos = g.op('Unsqueeze', [toCompute(g.op('Cos', [full])), g.i64([1])]);
  const sin = g.op('Unsqueeze', [toCompute(g.op('Sin', [full])), g.i64([1])]);

  // Causal + padding mask, additive, float32 [b, 1, s, total].
  const seq = g.op('Gather', [g.op('Shape', [embeds]), g.i64([1], true)], { axis: 0 });
  const total = g.op('Gather', [g.op('Shape', [mask]), g.i64([1], true)], { axis: 0 });
  const qPos = g.op('Range', [g.op('Sub', [total, seq]), total, g.i64([1], true)]);
  const kPos = g.op('Range', [g.i64([0], true), total, g.i64([1], true)]);
  const causal = g.op('LessOrEqual', [g.op('Unsqueeze', [kPos, g.i64([0])]), g.op('Unsqueeze', [qPos, g.i64([1])])]);
  const padding = g.op('Greater', [g.op('Unsqueeze', [mask, g.i64([1, 2])]), g.i64([0], true)]);
  const allowed = g.op('And', [g.op('Unsqueeze', [causal, g.i64([0, 1])]), padding]);
  const additive = g.op('Where', [allowed, g.f32([0], true), g.f32([-3.4028234663852886e38], true)]);

  const groups = t.heads / t.kvHeads;
  const scale = l.scalar(t.headDim ** -0.5);
  for (let i = 0; i < t.layers; i++) {
    const p = `${TEXT}.layers.${i}`;
    const x = l.rmsNorm(h, `${p}.input_layernorm.weight`, t.eps);
    const heads = (name: string, n: number, norm?: string) => {
      let y = g.op('Reshape', [l.linear(x, `${p}.self_attn.${name}`, { quantize: true }), g.i64([0, 0, n, t.headDim])]);
      if (norm) y = l.rmsNorm(y, `${p}.self_attn.${norm}.weight`, t.eps);
      return g.op('Transpose', [y], { perm: [0, 2, 1, 3] });
    };
    const q = l.rotary(heads('q_proj', t.heads, 'q_norm'), cos, sin, t.headDim);
    const k = l.rotary(heads('k_proj', t.kvHeads, 'k_norm'), cos, sin, t.headDim);
    const v = heads('v_proj', t.kvHeads);
    const kAll = g.op('Concat', [past[2 * i]!, k], { axis: 2 }, `present.${i}.key`);
    const vAll = g.op('Concat', [past[2 * i + 1]!, v], { axis: 2 }, `present.${i}.value`);
    for (const name of [kAll, vAll]) g.output(name, kvType, ['batch_size', t.kvHeads, 'total_sequence_length', t.headDim]);
    // GQA: each kv head serves `groups` query heads (repeat_kv).
    const expand = (kv: string) =>
      groups === 1
        ? kv
        : g.op('Reshape', [g.op('Expand', [g.op('Unsqueeze', [kv, g.i64([2])]), g.i64([1, 1, groups, 1, 1])]), g.i64([0, t.heads, -1, t.headDim])]);
    const scores = g.op('Mul', [g.op('MatMul', [q, g.op('Transpose', [expand(kAll)], { perm: [0, 1, 3, 2] })]), scale]);
    const probs = l.softmax32(scores, additive);
    const attn = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, expand(vAll)])], { perm: [0, 2, 1, 3] }), g.i64([0, 0, t.heads * t.headDim])]);
    h = g.op('Add', [h, l.linear(attn, `${p}.self_attn.o_proj`, { quantize: true })]);
    const x2 = l.rmsNorm(h, `${p}.post_attention_layernorm.weight`, t.eps);
    const gate = l.linear(x2, `${p}.mlp.gate_proj`, { quantize: true });
    const up = l.linear(x2, `${p}.mlp.up_proj`, { quantize: true });
    const act = g.op('Mul', [g.op('Mul', [gate, g.op('Sigmoid', [gate])]), up]);
    h = g.op('Add', [h, l.linear(act, `${p}.mlp.down_proj`, { quantize: true })]);
    if (i < deepstack.length) h = g.op('Add', [h, deepstack[i]!]);
  }
  const last = g.op('Slice', [h, g.i64([-1]), g.i64([2 ** 31 - 1]), g.i64([1])]);
  const normed = l.rmsNorm(last, `${TEXT}.norm.weight`, t.eps);
  const head = t.tied || !l.ckpt.has('lm_head.weight') ? { weightName: `${TEXT}.embed_tokens.weight` } : {};
  const logits = l.linear(normed, 'lm_head', { quantize: true, ...head });
  g.op('Cast', [logits], { to: 1 }, 'logits');
  g.output('logits', 'float', ['batch_size', 1, t.vocab]);
}
