// Number formats the builder converts weights into: bf16/fp16/fp32 → fp32 on
// reading, fp32 → fp16 for fp16 graphs (counting values that overflow to
// infinity or flush to zero, reported, never silent), and 4-bit blocks for
// MatMulNBits (com.microsoft; CPU and CUDA execution providers).
import { halfBits, halfToFloat } from '@core/float16';

export { halfBits, halfToFloat };

let bf16Table: { half: Uint16Array; loss: Uint8Array } | null = null;

/**
 * bf16 → fp16 for every one of the 65,536 bf16 patterns, with what the
 * conversion loses (1 overflow to ±inf, 2 flush to zero): converting a
 * checkpoint's bf16 weights to fp16 is then one table lookup per value.
 */
function bf16ToHalfTable(): { half: Uint16Array; loss: Uint8Array } {
  if (bf16Table) return bf16Table;
  const half = new Uint16Array(65536);
  const loss = new Uint8Array(65536);
  const u = new Uint32Array(1);
  const f = new Float32Array(u.buffer);
  for (let b = 0; b < 65536; b++) {
    u[0] = b << 16;
    const v = f[0]!;
    const h = halfBits(v);
    half[b] = h;
    if ((h & 0x7fff) === 0x7c00 && Number.isFinite(v)) loss[b] = 1;
    else if ((h & 0x7fff) === 0 && v !== 0) loss[b] = 2;
  }
  bf16Table = { half, loss };
  return bf16Table;
}

/**
 * bf16 bits → fp16 bits, in place (the block's buffer is reused: no
 * allocation per block), losses counted without branches. Exact for normal
 * values: bf16's 7 mantissa bits fit in fp16's 10.
 */
export function bf16ToFloat16(bits: Uint16Array, losses?: Fp16Losses): Uint16Array {
  const { half, loss } = bf16ToHalfTable();
  let overflow = 0;
  let flushed = 0;
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i]!;
    const l = loss[b]!;
    overflow += l & 1;
    flushed += l >> 1;
    bits[i] = half[b]!;
  }
  if (losses) {
    losses.overflow += overflow;
    losses.flushed += flushed;
  }
  return bits;
}

/** bf16 bits → float32, into `into` (as long as `bits`; a new array when absent). */
export function bf16ToFloat32(bits: Uint16Array, into?: Float32Array): Float32Array {
  const out = into ?? new Float32Array(bits.length);
  const words = new Uint32Array(out.buffer, out.byteOffset, bits.length);
  for (let i = 0; i < bits.length; i++) words[i] = bits[i]! << 16;
  return out;
}

/** fp16 bits → float32, into `into` (as long as `bits`; a new array when absent). */
export function f16ToFloat32(bits: Uint16Array, into?: Float32Array): Float32Array {
  const out = into ?? new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = halfToFloat(bits[i]!);
  return out;
}

/** What converting to fp16 lost: finite values that became ±inf, non-zero values that became 0. */
export interface Fp16Losses {
  overflow: number;
  flushed: number;
}

export function toFloat16(values: Float32Array, losses?: Fp16Losses): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const h = halfBits(v);
    out[i] = h;
    if (losses) {
      if ((h & 0x7fff) === 0x7c00 && Number.isFinite(v)) losses.overflow++;
      else if ((h & 0x7fff) === 0 && v !== 0) losses.flushed++;
    }
  }
  return out;
}

export interface Q4Blocks {
  /** [N, blocks, blockSize/2]: two 4-bit values per byte, the first in the low nibble. */
  data: Uint8Array;
  /** [N · blocks] */
  scales: Float32Array;
  /** [N · ceil(blocks/2)] packed 4-bit zero points (asymmetric only). */
  zeroPoints: Uint8Array | null;
  blocks: number;
  /** The scales as fp16 bits, losses counted as toFloat16 counts them (the kernels' own conversion; absent: use toFloat16). */
  halfScales?: (losses?: Fp16Losses) => Uint16Array;
}

/**
 * 4-bit block quantisation of a [N, K] weight (HF Linear layout: N outputs,
 * K inputs), blocks of `blockSize` along K, as MatMulNBits reads them:
 * w ≈ (q − zp) · scale. Symmetric: zp = 8 and the smallest scale that fits
 * the block into −8..7; asymmetric: the block's [min(0, lo), max(0, hi)]
 * mapped onto 0..15 with a rounded zero point.
 */
export function quantizeQ4(weight: Float32Array, n: number, k: number, blockSize: number, symmetric: boolean): Q4Blocks {
  const blocks = Math.ceil(k / blockSize);
  const data = new Uint8Array(n * blocks * (blockSize / 2));
  const scales = new Float32Array(n * blocks);
  const zeroPoints = symmetric ? null : new Uint8Array(n * Math.ceil(blocks / 2));
  for (let row = 0; row < n; row++) {
    for (let b = 0; b < blocks; b++) {
      const start = row * k + b * blockSize;
      const end = row * k + Math.min(k, (b + 1) * blockSize);
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = start; i < end; i++) {
        const v = weight[i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      let scale: number;
      let zp: number;
      if (symmetric) {
        // Signed range −8..7 around zp 8: the smallest scale that fits both ends.
        scale = Math.max(-lo / 8, hi / 7);
        if (!(scale > 0)) scale = 1;
        zp = 8;
      } else {
        lo = Math.min(lo, 0);
        hi = Math.max(hi, 0);
        scale = hi === lo ? 1 : (hi - lo) / 15;
        zp = Math.min(15, Math.max(0, Math.round(-lo / scale)));
      }
      scale = Math.fround(scale);
      scales[row * blocks + b] = scale;
      if (zeroPoints) {
        const z = row * Math.ceil(blocks / 2) + (b >> 1);
        zeroPoints[z] = b & 1 ? (zeroPoints[z]! & 0x0f) | (zp << 4) : (zeroPoints[z]! & 0xf0) | zp;
      }
      const base = (row * blocks + b) * (blockSize / 2);
      // Two values per byte, low nibble first; round half up (Math.round) of v/scale, shifted by zp.
      const inv = 1 / scale;
      let at = base;
      let i = start;
      for (; i + 1 < end; i += 2, at++) {
        let lo = Math.floor(weight[i]! * inv + 0.5) + zp;
        let hi = Math.floor(weight[i + 1]! * inv + 0.5) + zp;
        lo = lo < 0 ? 0 : lo > 15 ? 15 : lo;
        hi = hi < 0 ? 0 : hi > 15 ? 15 : hi;
        data[at] = lo | (hi << 4);
      }
      if (i < end) {
        const lo = Math.floor(weight[i]! * inv + 0.5) + zp;
        data[at] = lo < 0 ? 0 : lo > 15 ? 15 : lo;
      }
      // A short last block is padded with zp (dequantises to 0).
      for (let j = end - start; j < blockSize; j++) {
        const at = base + (j >> 1);
        data[at] = j & 1 ? data[at]! | (zp << 4) : zp;
      }
    }
  }
  return { data, scales, zeroPoints, blocks };
}

/** The weight MatMulNBits will see: (q − zp) · scale, for measuring quantisation error. */
export function dequantizeQ4(q: Q4Blocks, n: number, k: number, blockSize: number): Float32Array {
  const out = new Float32Array(n * k);
  const half = blockSize / 2;
  for (let row = 0; row < n; row++) {
    for (let b = 0; b < q.blocks; b++) {
      const scale = q.scales[row * q.blocks + b]!;
      let zp = 8;
      if (q.zeroPoints) {
        const z = q.zeroPoints[row * Math.ceil(q.blocks / 2) + (b >> 1)]!;
        zp = b & 1 ? z >> 4 : z & 0x0f;
      }
      for (let j = 0; j < blockSize && b * blockSize + j < k; j++) {
        const byte = q.data[(row * q.blocks + b) * half + (j >> 1)]!;
        const v = j & 1 ? byte >> 4 : byte & 0x0f;
        out[row * k + b * blockSize + j] = (v - zp) * scale;
      }
    }
  }
  return out;
}
