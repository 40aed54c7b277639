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
import { NEXT_TOKEN } from '@core/egm/decoder-contract';
import { invFreq, type Qwen3VlConfig } from './qwen3vl-config';
import type { Layers, RotaryTables } from './layers';

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

/*
 * The decoder's cache contract (config.json egm_export.kv_cache = KV_CACHE,
 * named in core/egm/decoder-contract.ts with the greedy output NEXT_TOKEN):
 * - past_key_values.N.key [b, kv, head_dim, P] and .value [b, kv, P, head_dim]
 *   are buffers the engine owns; their first total − s positions hold the
 *   cache (total = attention_mask's length, s = this pass's tokens), the rest
 *   is spare room, masked out. Keys are stored transposed so that q·Kᵀ is a
 *   plain MatMul over the buffer in any precision, with no copy of it.
 * - present.N.key [b, kv, head_dim, s] and .value [b, kv, s, head_dim] are this
 *   pass's rows only; the engine writes them into its buffers at position
 *   total − s (engine/local/kv-cache.ts).
 * So no pass copies, concatenates or expands the cache: attention reads the
 * buffers where they lie, each kv head serving its group of query heads.
 * transformers.js' prefill feeds empty buffers (P = 0, its zero-length cache
 * from the input metadata) and gets the prompt's rows back, which is the whole
 * cache; its generate() cannot run these graphs past the first token (it
 * would feed a pass's rows as the cache), and nothing in the app does.
 * Why not GroupQueryAttention with a shared past/present buffer: in
 * onnxruntime-node 1.30 every fetched output, a pre-allocated one included,
 * is copied into a new ArrayBuffer after the run, so a shared buffer of the
 * whole cache would be copied once per step anyway (models/ENGINE.md).
 */

export function buildDecoder(l: Layers, cfg: Qwen3VlConfig): void {
  const g = l.g;
  const t = cfg.text;
  const kvType = l.p.compute;
  const width = embeddingWidth(cfg);
  const groups = t.heads / t.kvHeads;
  const embeds = g.input('inputs_embeds', 'float', ['batch_size', 'sequence_length', width]);
  const mask = g.input('attention_mask', 'int64', ['batch_size', 'total_sequence_length']);
  const positions = g.input('position_ids', 'int64', [3, 'batch_size', 'sequence_length']);
  const past: string[] = [];
  for (let i = 0; i < t.layers; i++) {
    past.push(g.input(`past_key_values.${i}.key`, kvType, ['batch_size', t.kvHeads, t.headDim, 'past_sequence_length']));
    past.push(g.input(`past_key_values.${i}.value`, kvType, ['batch_size', t.kvHeads, 'past_sequence_length', t.headDim]));
  }

  // Hidden states and DeepStack slices of the widened embeddings.
  const slice = (from: number, to: number) => g.op('Slice', [embeds, g.i64([from]), g.i64([to]), g.i64([-1])]);
  const toCompute = (x: string) => (l.p.compute === 'float' ? x : l.cast(x, 'float16'));
  let h = toCompute(slice(0, t.hidden));
  const deepstack = cfg.vision.deepstack.map((_, k) => toCompute(slice(t.hidden * (k + 1), t.hidden * (k + 2))));

  // This pass's sizes: batch b, tokens s, total (cache + s), and P, the positions the buffers hold.
  const i64 = (v: number) => g.i64([v], true);
  const dim = (x: string, axis: number) => g.op('Gather', [g.op('Shape', [x]), i64(axis)], { axis: 0 });
  /** Sizes (scalars) as a 1-D shape tensor. */
  const shapeOf = (...sizes: string[]) => g.op('Concat', sizes.map((x) => g.op('Unsqueeze', [x, g.i64([0])])), { axis: 0 });
  const batch = dim(embeds, 0);
  const seq = dim(embeds, 1);
  const total = dim(mask, 1);
  const cached = g.op('Sub', [total, seq]);
  const room = dim(past[1]!, 2);

  // Rotary: float32 angles per token (MRoPE), as tables every layer reads (layers.ts RotaryTables):
  // both halves' cos/sin in the compute type (HF: .to(x.dtype)), [b, s, 1, head_dim] (heads are axis 2 here);
  const half = t.headDim / 2;
  const inv = g.f32(invFreq(t.ropeTheta, t.headDim));
  const angles3 = g.op('Mul', [g.op('Unsqueeze', [g.op('Cast', [positions], { to: 1 }), g.i64([-1])]), inv]);
  const select = g.f32(mropeSelector(half, t.mropeSection), false, [3, 1, 1, half]);
  const angles = g.op('ReduceSum', [g.op('Mul', [angles3, select]), g.i64([0])], { keepdims: 0 });
  const halves = (): RotaryTables => {
    const full = g.op('Concat', [angles, angles], { axis: -1 });
    return { kind: 'halves', cos: g.op('Unsqueeze', [toCompute(g.op('Cos', [full])), g.i64([2])]), sin: g.op('Unsqueeze', [toCompute(g.op('Sin', [full])), g.i64([2])]) };
  };
  // or, where ops are fused, RotaryEmbedding's: a row per token of this pass, token j of batch i at row i·s + j.
  const rows = (): RotaryTables => {
    const index = g.op('Reshape', [g.op('Range', [i64(0), g.op('Mul', [batch, seq]), i64(1)]), shapeOf(batch, seq)]);
    return { kind: 'rows', cos: g.op('Reshape', [g.op('Cos', [angles]), g.i64([-1, half])]), sin: g.op('Reshape', [g.op('Sin', [angles]), g.i64([-1, half])]), index };
  };
  const rotaryTables = l.p.fusedOps ? rows() : halves();

  // Which keys each query sees, as an additive float32 mask [b, 1, 1, s, P + s]:
  // the cached positions below total − s (of the P in the buffers) and, among
  // this pass's own, the causal ones; both where attention_mask is set.
  const set = g.op('Greater', [mask, i64(0)]); // [b, total]
  const keyAt = (from: string, to: string) => g.op('Slice', [set, g.op('Unsqueeze', [from, g.i64([0])]), g.op('Unsqueeze', [to, g.i64([0])]), g.i64([1])]);
  // Cached part: attention_mask's first total − s entries, padded with false to P.
  const cachedSet = g.op('Pad', [g.op('Cast', [keyAt(i64(0), cached)], { to: 7 }), g.op('Concat', [g.i64([0, 0, 0]), g.op('Unsqueeze', [g.op('Sub', [room, cached]), g.i64([0])])], { axis: 0 })], { mode: 'constant' });
  const seenCached = g.op('Unsqueeze', [g.op('Greater', [cachedSet, i64(0)]), g.i64([1])]); // [b, 1, P]
  const own = g.op('Range', [i64(0), seq, i64(1)]);
  const causal = g.op('LessOrEqual', [g.op('Unsqueeze', [own, g.i64([0])]), g.op('Unsqueeze', [own, g.i64([1])])]); // [s, s]
  const seenOwn = g.op('And', [g.op('Unsqueeze', [causal, g.i64([0])]), g.op('Unsqueeze', [keyAt(cached, total), g.i64([1])])]); // [b, s, s]
  const allowed = g.op('Concat', [g.op('Expand', [seenCached, shapeOf(batch, seq, room)]), seenOwn], { axis: -1 }); // [b, s, P + s]
  // Broadcast over kv heads and the query heads of a group, as the grouped scores below: [b, 1, 1, s, P + s].
  const additive = g.op('Unsqueeze', [g.op('Where', [allowed, g.f32([0], true), g.f32([-3.4028234663852886e38], true)]), g.i64([1, 2])]);

  // The probabilities split where the buffers end: [P, s], one shape for every layer.
  const cachedAndOwn = shapeOf(room, seq);
  const scale = l.scalar(t.headDim ** -0.5);
  let normed = l.rmsNorm(h, `${TEXT}.layers.0.input_layernorm.weight`, t.eps);
  for (let i = 0; i < t.layers; i++) {
    const p = `${TEXT}.layers.${i}`;
    const x = normed;
    // [b, s, heads, head_dim]: norm and rotary per head, no transpose needed for them.
    const heads = (name: string, n: number, norm?: string) => {
      const y = g.op('Reshape', [l.linear(x, `${p}.self_attn.${name}`, { quantize: true }), g.i64([0, 0, n, t.headDim])]);
      return norm ? l.rmsNorm(y, `${p}.self_attn.${norm}.weight`, t.eps) : y;
    };
    const q = l.rotary(heads('q_proj', t.heads, 'q_norm'), rotaryTables, t.heads, t.headDim);
    const k = l.rotary(heads('k_proj', t.kvHeads, 'k_norm'), rotaryTables, t.kvHeads, t.headDim);
    const v = heads('v_proj', t.kvHeads);
    // This pass's rows, in the buffers' layouts: the outputs the engine stores.
    const kRows = g.op('Transpose', [k], { perm: [0, 2, 3, 1] }, `present.${i}.key`); // [b, kv, d, s]
    const vRows = g.op('Transpose', [v], { perm: [0, 2, 1, 3] }, `present.${i}.value`); // [b, kv, s, d]
    g.output(kRows, kvType, ['batch_size', t.kvHeads, t.headDim, 'sequence_length']);
    g.output(vRows, kvType, ['batch_size', t.kvHeads, 'sequence_length', t.headDim]);
    // Queries grouped under their kv head (HF's repeat_kv, without repeating): [b, kv, groups, s, d],
    // against keys and values with a unit groups axis ([b, kv, 1, …]) that MatMul broadcasts. A decode
    // step (s = 1) is then one vector-matrix product per query head; [b, kv, groups·s, d] against
    // [b, kv, d, P] was one 4-row matrix product per kv head, which onnxruntime's CPU MatMul ran
    // slower over the same buffers (36 layers over 512 positions: 14.3 against 11.7 ms; models/ENGINE.md).
    const qg = g.op('Transpose', [g.op('Reshape', [q, g.i64([0, 0, t.kvHeads, groups, t.headDim])])], { perm: [0, 2, 3, 1, 4] });
    const perGroup = (x: string) => g.op('Unsqueeze', [x, g.i64([2])]);
    // Scores against the cache buffer and against this pass's keys, in that (position) order.
    const scores = g.op('Mul', [g.op('Concat', [g.op('MatMul', [qg, perGroup(past[2 * i]!)]), g.op('MatMul', [qg, perGroup(kRows)])], { axis: -1 }), scale]);
    const probs = l.softmax32(scores, additive); // [b, kv, groups, s, P + s]
    const [pCached, pOwn] = g.node('Split', [probs, cachedAndOwn], { axis: -1 }, { outputs: 2 }) as [string, string];
    const ctx = g.op('Add', [g.op('MatMul', [pCached, perGroup(past[2 * i + 1]!)]), g.op('MatMul', [pOwn, perGroup(vRows)])]); // [b, kv, groups, s, d]
    const attn = g.op('Reshape', [g.op('Transpose', [ctx], { perm: [0, 3, 1, 2, 4] }), g.i64([0, 0, t.heads * t.headDim])]);
    const [x2, afterAttn] = l.addRmsNorm(h, l.linear(attn, `${p}.self_attn.o_proj`, { quantize: true }), `${p}.post_attention_layernorm.weight`, t.eps);
    const gate = l.linear(x2, `${p}.mlp.gate_proj`, { quantize: true });
    const up = l.linear(x2, `${p}.mlp.up_proj`, { quantize: true });
    const act = g.op('Mul', [g.op('Mul', [gate, g.op('Sigmoid', [gate])]), up]);
    const mlp = l.linear(act, `${p}.mlp.down_proj`, { quantize: true });
    // The next layer's input norm, or (after the last layer) the final norm of the last position only.
    const lastLayer = i === t.layers - 1;
    const nextNorm = lastLayer ? `${TEXT}.norm.weight` : `${TEXT}.layers.${i + 1}.input_layernorm.weight`;
    const last = (y: string) => (lastLayer ? g.op('Slice', [y, g.i64([-1]), g.i64([2 ** 31 - 1]), g.i64([1])]) : y);
    if (i < deepstack.length) {
      // HF adds DeepStack after the layer's own residual add: (h + mlp) + deepstack.
      h = g.op('Add', [g.op('Add', [afterAttn, mlp]), deepstack[i]!]);
      normed = l.rmsNorm(last(h), nextNorm, t.eps);
    } else {
      [normed, h] = l.addRmsNorm(last(afterAttn), last(mlp), nextNorm, t.eps);
    }
  }
  const logits = l.lmHead(normed, t.tied || !l.ckpt.has('lm_head.weight') ? `${TEXT}.embed_tokens.weight` : 'lm_head.weight');
  g.op('Cast', [logits], { to: 1 }, 'logits');
  g.output('logits', 'float', ['batch_size', 1, t.vocab]);
  // The greedy pick, first index on ties (as transformers.js' argmax): a greedy
  // loop fetches these 8 bytes instead of the 151,936 logits, which
  // onnxruntime-node copies into a new ArrayBuffer on every step (600 KB per
  // token, the garbage collector's main work during an answer).
  g.op('ArgMax', ['logits'], { axis: -1, keepdims: 0 }, NEXT_TOKEN);
  g.output(NEXT_TOKEN, 'int64', ['batch_size', 1]);
}
