// Building blocks shared by the vision and text graphs: weights converted to
// the graph's precision as they are written, linear layers (MatMul, or 4-bit
// MatMulNBits), norms and rotary halves, each the same arithmetic as
// transformers' Qwen3-VL modules (float32 where they compute in float32).
import type { Checkpoint } from './safetensors';
import { MS_DOMAIN, type Graph } from './graph';
import { toFloat16, type Fp16Losses } from './precision';
import type { Compute, Q4Target, Span, TensorJob, TensorSource } from './tensor-jobs';

/**
 * fp32; fp16; q4f16 = fp16 with 4-bit decoder weights (GPUs); q4 = fp32
 * activations with 4-bit decoder weights (CPUs, where fp16 arithmetic is
 * emulated and slow).
 */
export type BuildDtype = 'fp32' | 'fp16' | 'q4f16' | 'q4';
export const BUILD_DTYPES: readonly BuildDtype[] = ['fp32', 'fp16', 'q4f16', 'q4'];

export interface Precision {
  dtype: BuildDtype;
  /** Element type of activations and weights. */
  compute: 'float' | 'float16';
  /** Values lost converting to fp16, summed over the build. */
  losses: Fp16Losses;
  /** 4-bit block size and layout (q4f16 and q4). */
  blockSize: number;
  symmetric: boolean;
  /**
   * MatMulNBits' accuracy_level, 4 in both 4-bit dtypes: on a CPU the
   * activations are quantised to int8 per block and the AVX-512 VNNI / AVX2
   * int8 kernels read the 4-bit weights at memory speed (what
   * onnxruntime-genai's builder sets for CPUs); the CUDA kernels ignore the
   * attribute and compute in fp16. q4f16 keeps it too because it is what a
   * CPU runs when a model was built for GPUs only (the catalog's dtypes).
   */
  accuracyLevel: number;
  /**
   * onnxruntime's fused kernels where activations are float32: norms as one
   * node each (SimplifiedLayerNormalization, and the residual add fused in
   * with SkipSimplifiedLayerNormalization) and the decoder's rotary as
   * RotaryEmbedding. fp16 graphs keep HF's own op sequences (float32 inside a
   * norm, the weight multiplied in fp16; the rotary rounded to fp16 after
   * each op), whose rounding the fused kernels do not copy.
   */
  fusedOps: boolean;
}

/**
 * The 4-bit block size when none is asked for. q4 runs on CPUs, where
 * onnxruntime's int8 MatMulNBits kernel pays per block: EGM-4B's decode step
 * takes ~17% less time at 64 than at 32 (bench/decoder-step.ts, models/ENGINE.md),
 * for a weight error (0.120, bench/q4-blocks.bench.ts) still below llama.cpp's
 * Q4_0 (block 32 symmetric, 0.124), the format the CPU speed is compared with.
 * q4f16 is the GPU dtype, whose kernels were never measured here: it keeps 32,
 * onnxruntime-genai's default.
 */
export function defaultBlockSize(dtype: BuildDtype): number {
  return dtype === 'q4' ? 64 : 32;
}

export function precisionFor(dtype: BuildDtype, losses: Fp16Losses, blockSize = defaultBlockSize(dtype), symmetric = false): Precision {
  const compute = dtype === 'fp32' || dtype === 'q4' ? 'float' : 'float16';
  return { dtype, compute, losses, blockSize, symmetric, accuracyLevel: dtype === 'q4' || dtype === 'q4f16' ? 4 : 0, fusedOps: compute === 'float' };
}

const bytesOf = (a: Float32Array | Uint16Array | Uint8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Values per block read from the checkpoint: 16 M floats (64 MB) at most, so memory stays flat whatever the tensor. */
export const BLOCK_VALUES = 16 * 1024 * 1024;

/** [start, count] row ranges of at most BLOCK_VALUES values each (at least one row). */
export function rowBlocks(rows: number, rowLength: number, blockValues = BLOCK_VALUES): [number, number][] {
  const per = Math.max(1, Math.floor(blockValues / Math.max(1, rowLength)));
  const out: [number, number][] = [];
  for (let start = 0; start < rows; start += per) out.push([start, Math.min(per, rows - start)]);
  return out;
}

/**
 * A pass's rotary tables (qwen3vl-text.ts makes them once; every layer uses
 * them): cos and sin of each token's angles, either both halves [b, s, 1, dim]
 * in the compute type, for x·cos + rotate_half(x)·sin, or, where ops are
 * fused, a row per token [b·s, dim/2] with each token's row [b, s], for
 * RotaryEmbedding (MRoPE gives each token its own angles).
 */
export type RotaryTables = { kind: 'halves'; cos: string; sin: string } | { kind: 'rows'; cos: string; sin: string; index: string };

export class Layers {
  constructor(
    readonly g: Graph,
    readonly ckpt: Checkpoint,
    readonly p: Precision,
    /**
     * Where the data work goes: each checkpoint tensor's conversion, as jobs
     * (tensor-jobs.ts) writing into spans this graph reserves. The caller runs
     * them (convert-pool.ts) before it saves the graph.
     */
    readonly jobs: TensorJob[] = [],
    /**
     * The checkpoint tensors earlier graphs of this dtype already write, by
     * name, type and shape: one asked for again (a tied LM head: the
     * embedding table, as stored, in embed_tokens and in the decoder) is
     * referenced in that graph's file instead of written a second time
     * (776 MB less to convert, write, flush and hash for EGM-4B in fp16).
     */
    readonly written: Map<string, Span> = new Map(),
  ) {}

  /** A float tensor written in the compute type. */
  constant(name: string, data: Float32Array, dims: number[]): string {
    if (this.p.compute === 'float') return this.g.weight(name, 'float', dims, bytesOf(data));
    return this.g.weight(name, 'float16', dims, bytesOf(toFloat16(data, this.p.losses)));
  }

  /** One job per row block of the tensor (at most `blockValues` values each). */
  private queue(name: string, job: (source: TensorSource, start: number, count: number) => TensorJob, blockValues = BLOCK_VALUES): void {
    const source = this.ckpt.source(name);
    for (const [start, count] of rowBlocks(source.rows, source.rowLength, blockValues)) this.jobs.push(job(source, start, count));
  }

  /** A checkpoint tensor, reshaped to `dims` (default its own shape), in the compute type. */
  param(name: string, dims?: number[]): string {
    return this.stored(name, this.p.compute, dims);
  }

  /** A checkpoint tensor as stored (reshaped to `dims`), converted to `to`. */
  private stored(name: string, to: Compute, dims?: number[]): string {
    const shape = dims ?? this.ckpt.shape(name);
    const key = `${name}\u0000${to}\u0000${shape.join('x')}`;
    const earlier = this.written.get(key);
    if (earlier) return this.g.referenceWeight(name, to, shape, earlier);
    const { rows, rowLength } = this.ckpt.source(name);
    const out = this.g.reserveWeight(name, to, shape, rows * rowLength * (to === 'float' ? 4 : 2));
    this.written.set(key, out);
    this.queue(name, (source, start, count) => ({ kind: 'convert', graph: this.g.name, source, start, count, to, outs: [out], transposed: [] }));
    return name;
  }

  cast(x: string, to: 'float' | 'float16'): string {
    return this.g.op('Cast', [x], { to: to === 'float' ? 1 : 10 });
  }

  /**
   * x · Wᵀ (+ b) for an HF Linear [N, K]; 4-bit blocks when `quantize` and
   * the build is q4. `matrix`: x is 2-D [M, K] (the vision encoder's rows),
   * so Gemm(transB) reads W as stored and the build does not transpose it
   * (onnxruntime's CPU provider: MatMul over Wᵀ's values to float rounding,
   * 1.5e-8 at most over EGM-4B's vision encoder, at the same speed; the bias
   * stays a separate Add, as Gemm's C would be summed in another order). Otherwise
   * MatMul over Wᵀ, transposed at build time (x [b, s, K]: a Gemm would need
   * two Reshapes around every Linear of the decoder).
   */
  linear(x: string, prefix: string, options: { bias?: boolean; quantize?: boolean; weightName?: string; matrix?: boolean } = {}): string {
    const name = options.weightName ?? `${prefix}.weight`;
    const shape = this.ckpt.shape(name);
    // A Conv3d whose kernel is one whole patch is a Linear over the flattened patch: [N, C, T, P, P] → [N, K].
    const n = shape[0]!;
    const k = shape.slice(1).reduce((a, b) => a * b, 1);
    let y: string;
    if (options.quantize && this.fourBit) y = this.matMulNBits(x, name, n, k);
    else if (options.matrix) y = this.g.op('Gemm', [x, this.param(name, [n, k])], { transB: 1 });
    else y = this.g.op('MatMul', [x, this.transposed(name, n, k)]);
    return options.bias ? this.g.op('Add', [y, this.param(`${prefix}.bias`)]) : y;
  }

  /**
   * The LM head, x [b, 1, K] → logits [b, 1, N], over W [N, K] (`weightName`:
   * lm_head.weight, or the embedding table when tied). 4-bit builds quantise
   * it as any Linear. Otherwise Gemm(transB) reads W's rows as stored, so
   * the build never transposes it (151,936 × hidden, the largest transpose
   * it did), and a tied head is the embed_tokens graph's own table: the
   * decoder's initializer points into that graph's file (see `written`).
   * On onnxruntime's CPU provider the values equal MatMul over Wᵀ to float
   * rounding (npm run parity: fp32 unchanged to the digit).
   */
  lmHead(x: string, weightName: string): string {
    if (this.fourBit) return this.linear(x, 'lm_head', { quantize: true, weightName });
    const g = this.g;
    const [n, k] = this.ckpt.shape(weightName) as [number, number];
    const rows = this.linear(g.op('Reshape', [x, g.i64([-1, k])]), 'lm_head', { matrix: true, weightName });
    return g.op('Reshape', [rows, g.i64([-1, 1, n])]);
  }

  /** Whether the build's decoder Linears (and LM head) are 4-bit blocks. */
  private get fourBit(): boolean {
    return this.p.dtype === 'q4f16' || this.p.dtype === 'q4';
  }

  /**
   * Wᵀ [K, N] in the compute type. A row block of W becomes K runs of Wᵀ, K
   * small writes (for an MLP matrix split in two, ~20,000 of a few KB each,
   * which cost more than the conversion); a W of one block is one write. So
   * 16-bit builds, whose jobs hold 4 bytes a value (the rows read and
   * converted in place, their transpose), take twice the values per job:
   * every decoder matrix of EGM-4B (≤ 9728 × 2560) in one.
   */
  private transposed(name: string, n: number, k: number): string {
    const to = this.p.compute;
    const span = this.g.reserveWeight(`${name}.T`, to, [k, n], n * k * (to === 'float' ? 4 : 2));
    this.queue(name, (source, start, count) => ({ kind: 'convert', graph: this.g.name, source, start, count, to, outs: [], transposed: [span] }), to === 'float' ? BLOCK_VALUES : 2 * BLOCK_VALUES);
    return `${name}.T`;
  }

  /** 4-bit MatMulNBits over W [N, K], quantised row block by row block (its layout is W's own). */
  private matMulNBits(x: string, name: string, n: number, k: number): string {
    const bs = this.p.blockSize;
    const blocks = Math.ceil(k / bs);
    const zpRow = Math.ceil(blocks / 2);
    const target: Q4Target = {
      data: this.g.reserveWeight(`${name}.q4`, 'uint8', [n, blocks, bs / 2], n * blocks * (bs / 2)),
      // Scales in the activations' type, as MatMulNBits requires.
      scales: this.g.reserveWeight(`${name}.scales`, this.p.compute, [n * blocks], n * blocks * (this.p.compute === 'float' ? 4 : 2)),
      scalesType: this.p.compute,
      zeroPoints: this.p.symmetric ? null : this.g.reserveWeight(`${name}.zp`, 'uint8', [n * zpRow], n * zpRow),
    };
    this.queue(name, (source, start, count) => ({ kind: 'q4', graph: this.g.name, source, start, count, blockSize: bs, symmetric: this.p.symmetric, targets: [target] }));
    const inputs = [x, `${name}.q4`, `${name}.scales`];
    if (target.zeroPoints) inputs.push(`${name}.zp`);
    const attrs = { K: k, N: n, bits: 4, block_size: bs, ...(this.p.accuracyLevel ? { accuracy_level: this.p.accuracyLevel } : {}) };
    return this.g.op('MatMulNBits', inputs, attrs, undefined, MS_DOMAIN);
  }

  /** Qwen3 RMSNorm over the last axis: float32 inside, weight applied in the compute type (as HF). */
  rmsNorm(x: string, weightName: string, eps: number): string {
    const g = this.g;
    if (this.p.fusedOps) return g.op('SimplifiedLayerNormalization', [x, this.param(weightName)], { axis: -1, epsilon: { float: eps }, stash_type: 1 });
    const xf = this.p.compute === 'float' ? x : this.cast(x, 'float');
    const variance = g.op('ReduceMean', [g.op('Mul', [xf, xf])], { axes: [-1], keepdims: 1 });
    const inv = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [variance, g.f32([eps], true)])])]);
    let normed = g.op('Mul', [xf, inv]);
    if (this.p.compute !== 'float') normed = this.cast(normed, 'float16');
    return g.op('Mul', [this.param(weightName), normed]);
  }

  /**
   * residual + x, and the RMSNorm of that sum: [normed, sum]. One
   * SkipSimplifiedLayerNormalization node where norms are fused.
   */
  addRmsNorm(residual: string, x: string, weightName: string, eps: number): [string, string] {
    const g = this.g;
    if (!this.p.fusedOps) {
      const sum = g.op('Add', [residual, x]);
      return [this.rmsNorm(sum, weightName, eps), sum];
    }
    const [normed, , , sum] = g.node('SkipSimplifiedLayerNormalization', [x, residual, this.param(weightName)], { epsilon: { float: eps } }, { out: [g.valueName('skipnorm'), '', '', g.valueName('residual')], domain: MS_DOMAIN });
    return [normed!, sum!];
  }

  /** nn.LayerNorm(eps) over the last axis, computed in float32. */
  layerNorm(x: string, prefix: string, eps: number): string {
    const g = this.g;
    const w = this.stored(`${prefix}.weight`, 'float');
    const b = this.stored(`${prefix}.bias`, 'float');
    const xf = this.p.compute === 'float' ? x : this.cast(x, 'float');
    const y = g.op('LayerNormalization', [xf, w, b], { axis: -1, epsilon: { float: eps } });
    return this.p.compute === 'float' ? y : this.cast(y, 'float16');
  }

  /** cat(−x2, x1) of the two halves of the last axis (`dim` long). */
  rotateHalf(x: string, dim: number): string {
    const g = this.g;
    const [x1, x2] = g.node('Split', [x, g.i64([dim / 2, dim / 2])], { axis: -1 }, { outputs: 2 }) as [string, string];
    return g.op('Concat', [g.op('Neg', [x2]), x1], { axis: -1 });
  }

  /**
   * x·cos + rotate_half(x)·sin for x [b, s, heads, dim]. Where ops are
   * fused (float32 activations) it is one com.microsoft RotaryEmbedding node
   * instead of six (Split, Neg, Concat, two Mul, Add: 216 fewer in EGM-4B's
   * decoder), over the pass's own per-token tables (`RotaryTables`). fp16 graphs
   * keep HF's op sequence, rounded to fp16 after each op, which the fused
   * kernel does not copy.
   */
  rotary(x: string, tables: RotaryTables, heads: number, dim: number): string {
    const g = this.g;
    if (tables.kind === 'halves') return g.op('Add', [g.op('Mul', [x, tables.cos]), g.op('Mul', [this.rotateHalf(x, dim), tables.sin])]);
    const flat = g.op('Reshape', [x, g.i64([0, 0, heads * dim])]);
    const y = g.op('RotaryEmbedding', [flat, tables.index, tables.cos, tables.sin], { interleaved: 0, num_heads: heads }, undefined, MS_DOMAIN);
    return g.op('Reshape', [y, g.i64([0, 0, heads, dim])]);
  }

  /** Softmax over the last axis in float32, back to the compute type (HF: softmax(dtype=float32).to(q.dtype)). */
  softmax32(scores: string, additiveMask?: string): string {
    let s = this.p.compute === 'float' ? scores : this.cast(scores, 'float');
    if (additiveMask) s = this.g.op('Add', [s, additiveMask]);
    const probs = this.g.op('Softmax', [s], { axis: -1 });
    return this.p.compute === 'float' ? probs : this.cast(probs, 'float16');
  }

  /** A scalar float constant in the compute type. */
  scalar(value: number): string {
    return this.p.compute === 'float' ? this.g.f32([value], true) : this.cast(this.g.f32([value], true), 'float16');
  }
}
