// Building blocks shared by the vision and text graphs: weights converted to
// the graph's precision as they are written, linear layers (MatMul, or 4-bit
// MatMulNBits), norms and rotary halves, each the same arithmetic as
// transformers' Qwen3-VL modules (float32 where they compute in float32).
import type { Checkpoint } from './safetensors';
import { MS_DOMAIN, type Graph } from './graph';
import { bf16ToFloat16, bf16ToFloat32, f16ToFloat32, quantizeQ4, toFloat16, type Fp16Losses } from './precision';

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
}

export function precisionFor(dtype: BuildDtype, losses: Fp16Losses, blockSize = 32, symmetric = false): Precision {
  return { dtype, compute: dtype === 'fp32' || dtype === 'q4' ? 'float' : 'float16', losses, blockSize, symmetric };
}

const bytesOf = (a: Float32Array | Uint16Array | Uint8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Values per block read from the checkpoint: 16 M floats (64 MB) at most, so memory stays flat whatever the tensor. */
export const BLOCK_VALUES = 16 * 1024 * 1024;

/** Columns transposed together (see transposed()). */
const TILE = 16;

// Two copies of one loop, so each stays monomorphic (one array type): V8 runs a
// loop over a Uint16Array | Float32Array union several times slower.
function gatherColumns16(rows: Uint16Array, columns: Uint16Array, count: number, k: number, j0: number, width: number): void {
  for (let r = 0; r < count; r++) {
    const base = r * k + j0;
    for (let t = 0; t < width; t++) columns[t * count + r] = rows[base + t]!;
  }
}
function gatherColumns32(rows: Float32Array, columns: Float32Array, count: number, k: number, j0: number, width: number): void {
  for (let r = 0; r < count; r++) {
    const base = r * k + j0;
    for (let t = 0; t < width; t++) columns[t * count + r] = rows[base + t]!;
  }
}

/** [start, count] row ranges of at most BLOCK_VALUES values each (at least one row). */
export function rowBlocks(rows: number, rowLength: number, blockValues = BLOCK_VALUES): [number, number][] {
  const per = Math.max(1, Math.floor(blockValues / Math.max(1, rowLength)));
  const out: [number, number][] = [];
  for (let start = 0; start < rows; start += per) out.push([start, Math.min(per, rows - start)]);
  return out;
}

export class Layers {
  constructor(
    readonly g: Graph,
    readonly ckpt: Checkpoint,
    readonly p: Precision,
    /** Called with the checkpoint bytes of each tensor consumed (progress). */
    private readonly consumed: (bytes: number) => void = () => undefined,
  ) {}

  /** A float tensor written in the compute type. */
  constant(name: string, data: Float32Array, dims: number[]): string {
    if (this.p.compute === 'float') return this.g.weight(name, 'float', dims, bytesOf(data));
    return this.g.weight(name, 'float16', dims, bytesOf(toFloat16(data, this.p.losses)));
  }

  /** A checkpoint tensor, reshaped to `dims` (default its own shape), in the compute type; converted in row blocks. */
  param(name: string, dims?: number[]): string {
    const shape = this.ckpt.shape(name);
    const rows = shape[0] ?? 1;
    const rowLength = shape.slice(1).reduce((a, b) => a * b, 1);
    const element = this.p.compute === 'float' ? 4 : 2;
    return this.g.weightInPieces(name, this.p.compute === 'float' ? 'float' : 'float16', dims ?? shape, rows * rowLength * element, (writeAt) => {
      for (const [start, count] of rowBlocks(rows, rowLength)) {
        writeAt(start * rowLength * element, bytesOf(this.converted(this.ckpt.readRowsRaw(name, start, count))));
        this.consumed((this.ckpt.bytes(name) * count) / rows);
      }
    });
  }

  /** Checkpoint values in the compute type: float32, or fp16 bits (from bf16 by table, from fp16 as they are). */
  private converted(raw: { dtype: 'F32' | 'F16' | 'BF16'; data: Float32Array | Uint16Array }): Float32Array | Uint16Array {
    if (this.p.compute === 'float') {
      if (raw.dtype === 'F32') return raw.data;
      return raw.dtype === 'BF16' ? bf16ToFloat32(raw.data as Uint16Array) : f16ToFloat32(raw.data as Uint16Array);
    }
    if (raw.dtype === 'F16') return raw.data;
    return raw.dtype === 'BF16' ? bf16ToFloat16(raw.data as Uint16Array, this.p.losses) : toFloat16(raw.data as Float32Array, this.p.losses);
  }

  cast(x: string, to: 'float' | 'float16'): string {
    return this.g.op('Cast', [x], { to: to === 'float' ? 1 : 10 });
  }

  /** x · Wᵀ (+ b) for an HF Linear [N, K]; 4-bit blocks when `quantize` and the build is q4. */
  linear(x: string, prefix: string, options: { bias?: boolean; quantize?: boolean; weightName?: string } = {}): string {
    const name = options.weightName ?? `${prefix}.weight`;
    const shape = this.ckpt.shape(name);
    // A Conv3d whose kernel is one whole patch is a Linear over the flattened patch: [N, C, T, P, P] → [N, K].
    const n = shape[0]!;
    const k = shape.slice(1).reduce((a, b) => a * b, 1);
    const y = options.quantize && (this.p.dtype === 'q4f16' || this.p.dtype === 'q4') ? this.matMulNBits(x, name, n, k) : this.g.op('MatMul', [x, this.transposed(name, n, k)]);
    return options.bias ? this.g.op('Add', [y, this.param(`${prefix}.bias`)]) : y;
  }

  /** Wᵀ [K, N] in the compute type, written column block by column block from row blocks of W. */
  private transposed(name: string, n: number, k: number): string {
    const half = this.p.compute !== 'float';
    const element = half ? 2 : 4;
    return this.g.weightInPieces(`${name}.T`, half ? 'float16' : 'float', [k, n], n * k * element, (writeAt) => {
      for (const [start, count] of rowBlocks(n, k)) {
        // Converted first (one pass), then transposed as 16- or 32-bit words.
        const rows = this.converted(this.ckpt.readRowsRaw(name, start, count));
        // One contiguous run per input channel: W[start..start+count, j] → Wᵀ[j, start..start+count],
        // gathered TILE columns at a time so the block is read row by row (cache-friendly).
        const columns = rows instanceof Uint16Array ? new Uint16Array(TILE * count) : new Float32Array(TILE * count);
        for (let j0 = 0; j0 < k; j0 += TILE) {
          const width = Math.min(TILE, k - j0);
          if (rows instanceof Uint16Array) gatherColumns16(rows, columns as Uint16Array, count, k, j0, width);
          else gatherColumns32(rows, columns as Float32Array, count, k, j0, width);
          for (let t = 0; t < width; t++) writeAt(((j0 + t) * n + start) * element, bytesOf(columns.subarray(t * count, (t + 1) * count)));
        }
        this.consumed((this.ckpt.bytes(name) * count) / n);
      }
    });
  }

  /** 4-bit MatMulNBits over W [N, K], quantised row block by row block (its layout is W's own). */
  private matMulNBits(x: string, name: string, n: number, k: number): string {
    const bs = this.p.blockSize;
    const blocks = Math.ceil(k / bs);
    const scales = new Float32Array(n * blocks);
    const zpRow = Math.ceil(blocks / 2);
    const zeroPoints = this.p.symmetric ? null : new Uint8Array(n * zpRow);
    const rowBytes = blocks * (bs / 2);
    const b = this.g.weightInPieces(`${name}.q4`, 'uint8', [n, blocks, bs / 2], n * rowBytes, (writeAt) => {
      for (const [start, count] of rowBlocks(n, k)) {
        const q = quantizeQ4(this.ckpt.readRows(name, start, count), count, k, bs, this.p.symmetric);
        writeAt(start * rowBytes, q.data);
        scales.set(q.scales, start * blocks);
        if (zeroPoints && q.zeroPoints) zeroPoints.set(q.zeroPoints, start * zpRow);
        this.consumed((this.ckpt.bytes(name) * count) / n);
      }
    });
    // Scales in the activations' type, as MatMulNBits requires.
    const scaleBytes = this.p.compute === 'float' ? bytesOf(scales) : bytesOf(toFloat16(scales, this.p.losses));
    const inputs = [x, b, this.g.weight(`${name}.scales`, this.p.compute, [n * blocks], scaleBytes)];
    if (zeroPoints) inputs.push(this.g.weight(`${name}.zp`, 'uint8', [zeroPoints.length], zeroPoints));
    return this.g.op('MatMulNBits', inputs, { K: k, N: n, bits: 4, block_size: bs }, undefined, MS_DOMAIN);
  }

  /** Qwen3 RMSNorm over the last axis: float32 inside, weight applied in the compute type (as HF). */
  rmsNorm(x: string, weightName: string, eps: number): string {
    const g = this.g;
    const xf = this.p.compute === 'float' ? x : this.cast(x, 'float');
    const variance = g.op('ReduceMean', [g.op('Mul', [xf, xf])], { axes: [-1], keepdims: 1 });
    const inv = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [variance, g.f32([eps], true)])])]);
    let normed = g.op('Mul', [xf, inv]);
    if (this.p.compute !== 'float') normed = this.cast(normed, 'float16');
    return g.op('Mul', [this.param(weightName), normed]);
  }

  /** nn.LayerNorm(eps) over the last axis, computed in float32. */
  layerNorm(x: string, prefix: string, eps: number): string {
    const g = this.g;
    const weight = this.ckpt.read(`${prefix}.weight`);
    const bias = this.ckpt.read(`${prefix}.bias`);
    this.consumed(this.ckpt.bytes(`${prefix}.weight`) + this.ckpt.bytes(`${prefix}.bias`));
    const w = g.weight(`${prefix}.weight`, 'float', weight.shape, bytesOf(weight.data));
    const b = g.weight(`${prefix}.bias`, 'float', bias.shape, bytesOf(bias.data));
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

  /** x·cos + rotate_half(x)·sin. */
  rotary(x: string, cos: string, sin: string, dim: number): string {
    const g = this.g;
    return g.op('Add', [g.op('Mul', [x, cos]), g.op('Mul', [this.rotateHalf(x, dim), sin])]);
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
