// The two passes of Pillow's bicubic resample (pil-resize.ts) with
// WebAssembly SIMD: the same 32-bit integer sums, four at a time, so the same
// bytes, several times faster than the JS loops on a 12 MP photo. The
// kernels' source is pil-resize.wat (what each pass does is described there),
// assembled by scripts/wasm/assemble.mjs into pil-resize-wasm-bytes.ts; where
// WebAssembly SIMD is missing, pil-resize.ts keeps its JS passes.
// Pure: WebAssembly is a language global, not a Node API.
import { PIL_RESIZE_WASM } from './pil-resize-wasm-bytes';
import type { ResampleAxis } from './pil-resize';
import { growWasmMemory, instantiateWasm, type WasmMemory } from '@core/wasm-module';

type HorizontalKernel = (src: number, stride: number, rows: number, outW: number, first: number, pairs: number, coeffs: number, kpairs: number, dst: number, step: number, mask: number) => void;
interface Kernels {
  memory: WasmMemory;
  h1: HorizontalKernel;
  h4: HorizontalKernel;
  v: (src: number, rowLength: number, outH: number, first: number, count: number, coeffs: number, ksize: number, dst: number) => void;
}

/** Rows per call of a pass (see runH). */
const SLICE_ROWS = 32;

/**
 * Memory kept between calls up to this size (a 24 MP photo's input, middle
 * and output fit), so the next photo reuses it without growing and faulting
 * pages in; an instance that grew past it (a bigger image) is dropped after
 * the call and its memory freed.
 */
const KEEP_BYTES = 128 << 20;
let kernels: Kernels | null | undefined;

function instance(): Kernels | null {
  if (kernels !== undefined) return kernels;
  // Null without SIMD in this engine: pil-resize.ts keeps its JS passes.
  const exports = instantiateWasm(PIL_RESIZE_WASM);
  kernels = exports && { memory: exports.mem as WasmMemory, h1: exports.h1 as HorizontalKernel, h4: exports.h4 as HorizontalKernel, v: exports.v as Kernels['v'] };
  return kernels;
}

/** Whether the SIMD passes can run here. */
export const wasmResizeAvailable = (): boolean => instance() !== null;

/** A bump allocator over the module's memory: 16-byte aligned blocks, each followed by 16 bytes of padding. */
class Arena {
  private used = 0;
  reserve(bytes: number): number {
    const at = this.used;
    this.used = (at + bytes + 16 + 15) & ~15;
    return at;
  }
  get size(): number {
    return this.used;
  }
}

/** Swizzles of 8 bytes (two pixels) into 16-bit lanes R0 R1 G0 G1 B0 B1 X0 X1 (0x80: zero). */
const SWIZZLE: Record<3 | 4, number[]> = {
  3: [0, 0x80, 3, 0x80, 1, 0x80, 4, 0x80, 2, 0x80, 5, 0x80, 0x80, 0x80, 0x80, 0x80],
  4: [0, 0x80, 4, 0x80, 1, 0x80, 5, 0x80, 2, 0x80, 6, 0x80, 3, 0x80, 7, 0x80],
};

/** The horizontal pass's tables: per output pixel, first tap, tap pairs, and per pair [kh t, kh t+1] × 4 then [kl t, kl t+1] × 4. */
function writePairTables(heap: ArrayBuffer, t: { axis: ResampleAxis; kpairs: number; first: number; pairs: number; coeffs: number; mask: number }, channels: 3 | 4): void {
  const { axis, kpairs } = t;
  const n = axis.first.length;
  new Int32Array(heap, t.first, n).set(axis.first);
  const pairs = new Int32Array(heap, t.pairs, n);
  const lanes = new Int16Array(heap, t.coeffs, 16 * kpairs * n);
  lanes.fill(0);
  for (let x = 0; x < n; x++) {
    const count = axis.count[x]!;
    pairs[x] = (count + 1) >> 1;
    for (let tap = 0; tap < count; tap++) {
      const k = axis.coeffs[x * axis.ksize + tap]!;
      // k = kh·2^11 + kl with 0 <= kl < 2^11: both fit 16-bit lanes (|k| < 2^23).
      const kh = k >> 11;
      const kl = k & 0x7ff;
      const at = (x * kpairs + (tap >> 1)) * 16 + (tap & 1);
      for (let c = 0; c < 8; c += 2) {
        lanes[at + c] = kh;
        lanes[at + 8 + c] = kl;
      }
    }
  }
  new Uint8Array(heap, t.mask, 16).set(SWIZZLE[channels]);
}

export interface ResizePlan {
  horizontal: ResampleAxis | null;
  vertical: ResampleAxis | null;
  horizontalFirst: boolean;
  /** Source rows the horizontal pass covers when it runs first. */
  firstRow: number;
  rows: number;
}

/**
 * Runs the plan's passes on interleaved 8-bit pixels (3 or 4 channels) in
 * WebAssembly memory; null when SIMD is unavailable. Same bytes as the JS passes.
 */
export function resizeWithWasm(src: Uint8Array, width: number, height: number, channels: 3 | 4, outWidth: number, outHeight: number, plan: ResizePlan): Uint8Array | null {
  const k = instance();
  if (!k) return null;
  const { horizontal, vertical, horizontalFirst, firstRow, rows } = plan;
  const arena = new Arena();
  // Horizontal: first tap, tap pairs and, per pair, the weights' high and low halves as 16-bit lanes.
  const h = horizontal && {
    axis: horizontal,
    kpairs: (horizontal.ksize + 1) >> 1,
    first: arena.reserve(4 * outWidth),
    pairs: arena.reserve(4 * outWidth),
    coeffs: arena.reserve(32 * ((horizontal.ksize + 1) >> 1) * outWidth),
    mask: arena.reserve(16),
  };
  // Vertical: first row (relative to the horizontal pass's first row when that ran first), count, 32-bit weights.
  const v = vertical && {
    axis: vertical,
    shift: horizontal && horizontalFirst ? firstRow : 0,
    first: arena.reserve(4 * outHeight),
    count: arena.reserve(4 * outHeight),
    coeffs: arena.reserve(4 * vertical.coeffs.length),
  };
  const input = arena.reserve(width * height * channels);
  const midWidth = horizontalFirst ? outWidth : width;
  const midRows = horizontalFirst ? rows : outHeight;
  const middle = horizontal && vertical ? arena.reserve(midWidth * midRows * channels) : -1;
  const output = arena.reserve(outWidth * outHeight * channels);
  growWasmMemory(k.memory, arena.size);
  const heap = k.memory.buffer;
  if (h) writePairTables(heap, h, channels);
  if (v) {
    const first = new Int32Array(heap, v.first, outHeight);
    for (let i = 0; i < outHeight; i++) first[i] = v.axis.first[i]! - v.shift;
    new Int32Array(heap, v.count, outHeight).set(v.axis.count);
    new Int32Array(heap, v.coeffs, v.axis.coeffs.length).set(v.axis.coeffs);
  }
  new Uint8Array(heap, input, width * height * channels).set(src.subarray(0, width * height * channels));
  // Both passes go in slices of rows, many calls each: V8 first runs WebAssembly
  // unoptimised and swaps in optimised code only at a call boundary, so one
  // long call would run a whole 12 MP photo in the slow tier (~5x slower).
  const runH = (from: number, fromRow: number, rowCount: number, to: number) => {
    const inStride = width * channels;
    const outStride = outWidth * channels;
    const call = (kernel: HorizontalKernel, y: number, n: number) =>
      kernel(from + (fromRow + y) * inStride, inStride, n, outWidth, h!.first, h!.pairs, h!.coeffs, h!.kpairs, to + y * outStride, channels, h!.mask);
    const whole = rowCount & ~3;
    for (let y = 0; y < whole; y += SLICE_ROWS) call(k.h4, y, Math.min(SLICE_ROWS, whole - y));
    for (let y = whole; y < rowCount; y++) call(k.h1, y, 1);
  };
  const runV = (from: number, rowLength: number, to: number) => {
    for (let y = 0; y < outHeight; y += SLICE_ROWS) {
      const n = Math.min(SLICE_ROWS, outHeight - y);
      const at = 4 * y;
      k.v(from, rowLength, n, v!.first + at, v!.count + at, v!.coeffs + at * v!.axis.ksize, v!.axis.ksize, to + y * rowLength);
    }
  };
  if (h && v && horizontalFirst) {
    runH(input, firstRow, rows, middle);
    runV(middle, outWidth * channels, output);
  } else if (h && v) {
    runV(input, width * channels, middle);
    runH(middle, 0, outHeight, output);
  } else if (h) {
    runH(input, 0, height, output);
  } else if (v) {
    runV(input, width * channels, output);
  }
  const out = new Uint8Array(outWidth * outHeight * channels);
  out.set(new Uint8Array(heap, output, out.length));
  if (heap.byteLength > KEEP_BYTES) kernels = undefined;
  return out;
}
