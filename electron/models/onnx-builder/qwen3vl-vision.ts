// The vision graph transformers.js runs for qwen3_vl, one image per call:
//   vision_encoder(pixel_values [num_patches, C·T·P·P], image_grid_thw [1, 3])
//     → image_features [num_patches / merge², hidden · (1 + DeepStack layers)]
// Same arithmetic as transformers 5.x Qwen3VLVisionModel: patch embedding (a
// Conv3d over exactly one patch is a MatMul over the flattened patch), the
// learned position table resampled bilinearly (align_corners) to the grid,
// 2-D rotary, pre-norm blocks, the merger, and one DeepStack merger per
// listed layer, whose outputs are concatenated after the merger's.
// Patch positions come from image_grid_thw inside the graph, in the
// processor's merge-block order, so any grid runs.
import type { Graph } from './graph';
import { invFreq, type Qwen3VlConfig } from './qwen3vl-config';
import type { Layers } from './layers';

const VIS = 'model.visual';

/** GELU as torch computes it: exact (erf) or the tanh approximation. */
function gelu(l: Layers, x: string, tanh: boolean): string {
  const g = l.g;
  const half = l.scalar(0.5);
  const one = l.scalar(1);
  if (!tanh) {
    // x · 0.5 · (1 + erf(x · √½))
    const erf = g.op('Erf', [g.op('Mul', [x, l.scalar(Math.SQRT1_2)])]);
    return g.op('Mul', [g.op('Mul', [x, half]), g.op('Add', [one, erf])]);
  }
  // 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))
  const cube = g.op('Mul', [g.op('Mul', [x, x]), x]);
  const inner = g.op('Mul', [g.op('Add', [x, g.op('Mul', [cube, l.scalar(0.044715)])]), l.scalar(Math.sqrt(2 / Math.PI))]);
  return g.op('Mul', [g.op('Mul', [half, x]), g.op('Add', [one, g.op('Tanh', [inner])])]);
}

/** One bilinear axis (align_corners): the two taps into the `side`-long table and their float32 weights. */
function axisTaps(g: Graph, index: string, size: string, side: number): { lo: string; hi: string; wLo: string; wHi: string } {
  const f = (x: string) => g.op('Cast', [x], { to: 1 });
  // src = index · (side − 1) / max(size − 1, 1), in float32 (as transformers' interpolation helper)
  const denom = f(g.op('Max', [g.op('Sub', [size, g.i64([1], true)]), g.i64([1], true)]));
  const src = g.op('Div', [g.op('Mul', [f(index), g.f32([side - 1], true)]), denom]);
  const floor = g.op('Floor', [src]);
  const base = g.op('Cast', [floor], { to: 7 });
  const clampTap = (x: string) => g.op('Min', [g.op('Max', [x, g.i64([0], true)]), g.i64([side - 1], true)]);
  const frac = g.op('Sub', [src, floor]);
  const weight = (offset: number) => g.op('Max', [g.op('Sub', [g.f32([1], true), g.op('Abs', [g.op('Sub', [frac, g.f32([offset], true)])])]), g.f32([0], true)]);
  return { lo: clampTap(base), hi: clampTap(g.op('Add', [base, g.i64([1], true)])), wLo: weight(0), wHi: weight(1) };
}

export function buildVisionEncoder(l: Layers, cfg: Qwen3VlConfig): void {
  const g = l.g;
  const v = cfg.vision;
  const patchDim = v.inChannels * v.temporalPatch * v.patch * v.patch;
  const pixels = g.input('pixel_values', 'float', ['num_patches', patchDim]);
  const grid = g.input('image_grid_thw', 'int64', ['num_images', 3]);
  const m = v.merge;

  // Patch embedding: Conv3d(kernel = stride = patch) == flattened patch · Wᵀ + b.
  const px = l.p.compute === 'float' ? pixels : l.cast(pixels, 'float16');
  let x = l.linear(px, `${VIS}.patch_embed.proj`, { bias: true, matrix: true, weightName: `${VIS}.patch_embed.proj.weight` });

  // (row, col) of each patch in merge-block order; frames repeat the layout.
  const gridAt = (i: number) => g.op('Gather', [g.op('Gather', [grid, g.i64([0], true)], { axis: 0 }), g.i64([i], true)], { axis: 0 });
  const h = gridAt(1);
  const w = gridAt(2);
  const n = g.op('Gather', [g.op('Shape', [pixels]), g.i64([0], true)], { axis: 0 });
  const p = g.op('Mod', [g.op('Range', [g.i64([0], true), n, g.i64([1], true)]), g.op('Mul', [h, w])]);
  const mm = g.i64([m * m], true);
  const block = g.op('Div', [p, mm]);
  const intra = g.op('Mod', [p, mm]);
  const blocksW = g.op('Div', [w, g.i64([m], true)]);
  const row = g.op('Add', [g.op('Mul', [g.op('Div', [block, blocksW]), g.i64([m], true)]), g.op('Div', [intra, g.i64([m], true)])]);
  const col = g.op('Add', [g.op('Mul', [g.op('Mod', [block, blocksW]), g.i64([m], true)]), g.op('Mod', [intra, g.i64([m], true)])]);

  // Learned positions, bilinear over the side×side table: Σ table[idx]·weight in float32, then the compute type.
  const side = v.posSide;
  const ry = axisTaps(g, row, h, side);
  const rx = axisTaps(g, col, w, side);
  const sideC = g.i64([side], true);
  const taps: [string, string][] = [
    [g.op('Add', [g.op('Mul', [ry.lo, sideC]), rx.lo]), g.op('Mul', [ry.wLo, rx.wLo])],
    [g.op('Add', [g.op('Mul', [ry.lo, sideC]), rx.hi]), g.op('Mul', [ry.wLo, rx.wHi])],
    [g.op('Add', [g.op('Mul', [ry.hi, sideC]), rx.lo]), g.op('Mul', [ry.wHi, rx.wLo])],
    [g.op('Add', [g.op('Mul', [ry.hi, sideC]), rx.hi]), g.op('Mul', [ry.wHi, rx.wHi])],
  ];
  const table = l.param(`${VIS}.pos_embed.weight`);
  const unsq = (t: string) => g.op('Unsqueeze', [t, g.i64([1])]);
  const idx = g.op('Concat', taps.map(([i]) => unsq(i)), { axis: 1 });
  const wts = g.op('Concat', taps.map(([, wt]) => unsq(wt)), { axis: 1 });
  let gathered = g.op('Gather', [table, idx], { axis: 0 });
  if (l.p.compute !== 'float') gathered = l.cast(gathered, 'float');
  const pos = g.op('ReduceSum', [g.op('Mul', [gathered, g.op('Unsqueeze', [wts, g.i64([-1])])]), g.i64([1])], { keepdims: 0 });
  x = g.op('Add', [x, l.p.compute === 'float' ? pos : l.cast(pos, 'float16')]);

  // 2-D rotary over the head: [row·inv | col·inv] twice, float32.
  const headDim = v.hidden / v.heads;
  const inv = g.f32(invFreq(v.ropeTheta, headDim / 2));
  const f = (t: string) => g.op('Cast', [t], { to: 1 });
  const angle = (t: string) => g.op('Mul', [g.op('Unsqueeze', [f(t), g.i64([-1])]), inv]);
  const hw = g.op('Concat', [angle(row), angle(col)], { axis: -1 });
  const full = g.op('Concat', [hw, hw], { axis: -1 });
  const cos = g.op('Unsqueeze', [g.op('Cos', [full]), g.i64([1])]); // [n, 1, head_dim]
  const sin = g.op('Unsqueeze', [g.op('Sin', [full]), g.i64([1])]);

  const scale = l.scalar(headDim ** -0.5);
  const deepstack: string[] = [];
  for (let i = 0; i < v.depth; i++) {
    const b = `${VIS}.blocks.${i}`;
    const normed = l.layerNorm(x, `${b}.norm1`, 1e-6);
    const qkv = g.op('Reshape', [l.linear(normed, `${b}.attn.qkv`, { bias: true, matrix: true }), g.i64([0, 3, v.heads, headDim])]);
    const [q0, k0, v0] = g.node('Split', [qkv, g.i64([1, 1, 1])], { axis: 1 }, { outputs: 3 }) as [string, string, string];
    const squeeze = (t: string) => g.op('Squeeze', [t, g.i64([1])]); // [n, heads, head_dim]
    // apply_rotary_pos_emb_vision: float32, back to the compute type.
    const rot = (t: string) => {
      const tf = l.p.compute === 'float' ? t : l.cast(t, 'float');
      const r = g.op('Add', [g.op('Mul', [tf, cos]), g.op('Mul', [l.rotateHalf(tf, headDim), sin])]);
      return g.op('Transpose', [l.p.compute === 'float' ? r : l.cast(r, 'float16')], { perm: [1, 0, 2] }); // [heads, n, d]
    };
    const q = rot(squeeze(q0));
    const k = rot(squeeze(k0));
    const vv = g.op('Transpose', [squeeze(v0)], { perm: [1, 0, 2] });
    const scores = g.op('Mul', [g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 2, 1] })]), scale]);
    const attn = g.op('MatMul', [l.softmax32(scores), vv]);
    const merged = g.op('Reshape', [g.op('Transpose', [attn], { perm: [1, 0, 2] }), g.i64([0, v.hidden])]);
    x = g.op('Add', [x, l.linear(merged, `${b}.attn.proj`, { bias: true, matrix: true })]);
    const mlpIn = l.layerNorm(x, `${b}.norm2`, 1e-6);
    const hidden = gelu(l, l.linear(mlpIn, `${b}.mlp.linear_fc1`, { bias: true, matrix: true }), true);
    x = g.op('Add', [x, l.linear(hidden, `${b}.mlp.linear_fc2`, { bias: true, matrix: true })]);
    const k2 = v.deepstack.indexOf(i);
    if (k2 >= 0) deepstack.push(merger(l, x, `${VIS}.deepstack_merger_list.${k2}`, v.hidden * m * m, true));
  }
  const main = merger(l, x, `${VIS}.merger`, v.hidden * m * m, false);
  const features = deepstack.length ? g.op('Concat', [main, ...deepstack], { axis: -1 }) : main;
  g.op('Cast', [features], { to: 1 }, 'image_features');
  g.output('image_features', 'float', ['num_image_tokens', cfg.text.hidden * (1 + deepstack.length)]);
}

/** Qwen3VLVisionPatchMerger: LayerNorm before (merger) or after (DeepStack) gathering merge² patches, then fc1, GELU, fc2. */
function merger(l: Layers, x: string, prefix: string, width: number, postShuffleNorm: boolean): string {
  const g = l.g;
  const gather = (t: string) => g.op('Reshape', [t, g.i64([-1, width])]);
  const normed = postShuffleNorm ? l.layerNorm(gather(x), `${prefix}.norm`, 1e-6) : gather(l.layerNorm(x, `${prefix}.norm`, 1e-6));
  const hidden = gelu(l, l.linear(normed, `${prefix}.linear_fc1`, { bias: true, matrix: true }), false);
  return l.linear(hidden, `${prefix}.linear_fc2`, { bias: true, matrix: true });
}
