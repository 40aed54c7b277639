// The two passes of Pillow's bicubic resample (pil-resize.ts) with
// WebAssembly SIMD: the same 32-bit integer sums, four at a time, so the same
// bytes, several times faster than the JS loops on a 12 MP photo. The module
// is assembled below (no build step, nothing to ship); where WebAssembly SIMD
// is missing, pil-resize.ts keeps its JS passes.
//
// (func $h1/$h4 (src stride rows outW first pairs coeffs kpairs dst step mask)
//   for each of `rows` rows (1 or 4 at a time, sharing the weight loads), for
//   each output pixel x: four lanes (R, G, B, X) sum px·k over the taps
//   first[x] .. first[x]+count[x], two taps per step (see $h below), >> 22,
//   saturate to 0..255, store `step` bytes)
// (func $v (src rowLength outH first count coeffs ksize dst)
//   for each output row y, for each 16-byte column strip: 16 sums of
//   byte·k over the source rows first[y] .. first[y]+count[y], >> 22,
//   saturate, store 16 bytes (a strip past the row end spills into the next
//   output row, written after it, or into the padding))
// Pure: WebAssembly is a language global, not a Node API.
import { sleb, uleb, wasmSection } from '@core/leb128';
import type { ResampleAxis } from './pil-resize';

const I32 = 0x7f;
const V128 = 0x7b;
const simd = (op: number) => [0xfd, ...uleb(op)];
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const tee = (i: number) => [0x22, i];
const i32 = (v: number) => [0x41, ...sleb(v)];
const add = 0x6a;
const mul = 0x6c;
const shl = 0x74;
const geU = 0x4f;
const eqz = 0x45;
const sub = 0x6b;
/** i32.load at the address on the stack (align 4, offset 0). */
const load = [0x28, 0x02, 0x00];
// SIMD ops (opcode after the 0xfd prefix) and memory args (align hint, offset 0).
const v128load = [...simd(0x00), 0x00, 0x00];
const v128store = [...simd(0x0b), 0x00, 0x00];
const load32Splat = [...simd(0x09), 0x02, 0x00];
const store32Lane0 = [...simd(0x5a), 0x00, 0x00, 0];
const i32x4Splat = simd(0x11);
const narrowU8 = simd(0x66); // i8x16.narrow_i16x8_u (saturating)
const narrowS16 = simd(0x85); // i16x8.narrow_i32x4_s (saturating)
const extendLowU8 = simd(0x89); // i16x8.extend_low_i8x16_u
const extendHighU8 = simd(0x8a);
const extendLowU16 = simd(0xa9); // i32x4.extend_low_i16x8_u
const extendHighU16 = simd(0xaa);
const shrS = simd(0xac); // i32x4.shr_s
const addV = simd(0xae); // i32x4.add
const mulV = simd(0xb5); // i32x4.mul

const PRECISION_BITS = 22;
const HALF = 1 << (PRECISION_BITS - 1);

/** while (cond) { body }: `cond` leaves 1 to stop. */
const whileNot = (stop: number[], body: number[]) => [0x02, 0x40, 0x03, 0x40, ...stop, 0x0d, 1, ...body, 0x0c, 0, 0x0b, 0x0b];
/** $x += step */
const inc = (x: number, step: number[]) => [...get(x), ...step, add, ...set(x)];
const scaleDown = (acc: number) => [...get(acc), ...i32(PRECISION_BITS), ...shrS];

// $h (R rows per step, R = 1 or 4): params 0..10, i32 locals 11..21, v128 locals 22...
// Pixels are read two taps at a time: load 8 bytes (pixels t, t+1), swizzle
// them into 16-bit lanes (R_t, R_t+1, G_t, G_t+1, B_t, B_t+1, X_t, X_t+1) and
// take i32x4.dot_i16x8_s with the weights split into 16-bit halves,
// k = kh·2^11 + kl, one dot product each: Σ v·k = (Σ v·kh)·2^11 + Σ v·kl,
// the same integer. A tap pair beyond count has weights 0.
const [SRC, STRIDE, ROWS, OUTW, FIRST, PAIRS, COEFFS, KPAIRS, DST, STEP, MASK] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const [Y, X, P, N, KP, ROW, KBYTES, OUTSTRIDE, LASTX, STRIDE2, STRIDE3] = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21];
const [VMASK, VHALF, PX, KH, KL] = [22, 23, 24, 25, 26];
const accH = (r: number) => 27 + 2 * r;
const accL = (r: number) => 28 + 2 * r;
/** Address of row r's pixels at P: P + r·stride (multiples kept in locals). */
const rowAt = (r: number) => [...get(P), ...[[], get(STRIDE), get(STRIDE2), get(STRIDE3)][r]!, ...(r ? [add] : [])];
const swizzle = simd(0x0e); // i8x16.swizzle
const load64Zero = [...simd(0x5d), 0x00, 0x00];
const dot = simd(0xba); // i32x4.dot_i16x8_s
const shlV = simd(0xab); // i32x4.shl
const store16Lane0 = [...simd(0x59), 0x00, 0x00, 0];
const store8Lane2 = [...simd(0x58), 0x00, 0x02, 2];
const zeroV = [...i32(0), ...i32x4Splat];
/** v = swizzle(load 8 bytes at p + r·stride); accH += dot(v, kh); accL += dot(v, kl) */
const pairTaps = (r: number) => [
  ...rowAt(r), ...load64Zero, ...get(VMASK), ...swizzle, ...set(PX),
  ...get(accH(r)), ...get(PX), ...get(KH), ...dot, ...addV, ...set(accH(r)),
  ...get(accL(r)), ...get(PX), ...get(KL), ...dot, ...addV, ...set(accL(r)),
];
/** The row's finished pixel, four saturated bytes in lanes 0..3 (on the stack). */
const finish = (r: number) => [
  ...get(accH(r)), ...i32(11), ...shlV, ...get(accL(r)), ...addV, ...get(VHALF), ...addV, ...i32(PRECISION_BITS), ...shrS,
  ...tee(PX), ...get(PX), ...narrowS16, ...tee(PX), ...get(PX), ...narrowU8,
];
const outAddr = (r: number) => [...get(DST), ...(r ? [...get(OUTSTRIDE), ...i32(r), mul, add] : [])];
/**
 * Stores row r's pixel: 4 bytes, the 4th spilling into the next pixel (written
 * after it). The last pixel of a row gets exactly `step` bytes: its spill would
 * land on the next output row, which with R rows per step is already written.
 */
const storePixel = (r: number) => [
  ...get(X), ...get(LASTX), 0x46 /* i32.eq */, ...get(STEP), ...i32(3), 0x46, 0x71 /* i32.and */,
  0x04, 0x40, // if (last pixel of a 3-byte row)
  ...outAddr(r), ...finish(r), ...store16Lane0, ...outAddr(r), ...finish(r), ...store8Lane2,
  0x05, // else
  ...outAddr(r), ...finish(r), ...store32Lane0,
  0x0b,
];
const horizontalRows = (R: number) => [
  0x02, 11, I32, 5 + 2 * R, V128,
  ...get(KPAIRS), ...i32(5), shl, ...set(KBYTES),
  ...get(STRIDE), ...i32(1), shl, ...set(STRIDE2),
  ...get(STRIDE2), ...get(STRIDE), add, ...set(STRIDE3),
  ...get(OUTW), ...get(STEP), mul, ...set(OUTSTRIDE),
  ...get(OUTW), ...i32(1), sub, ...set(LASTX),
  ...get(MASK), ...v128load, ...set(VMASK),
  ...i32(HALF), ...i32x4Splat, ...set(VHALF),
  ...whileNot([...get(Y), ...get(ROWS), geU], [
    ...get(SRC), ...get(Y), ...get(STRIDE), mul, add, ...set(ROW),
    ...i32(0), ...set(X),
    ...whileNot([...get(X), ...get(OUTW), geU], [
      ...get(ROW), ...get(FIRST), ...get(X), ...i32(2), shl, add, ...load, ...get(STEP), mul, add, ...set(P),
      ...get(PAIRS), ...get(X), ...i32(2), shl, add, ...load, ...set(N),
      ...get(COEFFS), ...get(X), ...get(KBYTES), mul, add, ...set(KP),
      ...Array.from({ length: R }, (_, r) => [...zeroV, ...tee(accH(r)), ...set(accL(r))]).flat(),
      ...whileNot([...get(N), eqz], [
        ...get(KP), ...v128load, ...set(KH),
        ...get(KP), ...i32(16), add, ...v128load, ...set(KL),
        ...Array.from({ length: R }, (_, r) => pairTaps(r)).flat(),
        ...get(P), ...get(STEP), ...i32(1), shl, add, ...set(P),
        ...inc(KP, i32(32)), ...get(N), ...i32(1), sub, ...set(N),
      ]),
      ...Array.from({ length: R }, (_, r) => storePixel(r)).flat(),
      ...inc(DST, get(STEP)), ...inc(X, i32(1)),
    ]),
    // The x loop advanced DST by one output row; skip the other R − 1.
    ...(R > 1 ? [...get(DST), ...get(OUTSTRIDE), ...i32(R - 1), mul, add, ...set(DST)] : []),
    ...inc(Y, i32(R)),
  ]),
  0x0b,
];

// $v: params 0..7, then i32 locals 8..16 and v128 locals 17..22.
const [VSRC, ROWLEN, OUTH, VFIRST, VCOUNT, VCOEFFS, VKSIZE, VDST] = [0, 1, 2, 3, 4, 5, 6, 7];
const [YY, I, BASE, VP, VKP, VN, VKBYTES, KP0, TAPS] = [8, 9, 10, 11, 12, 13, 14, 15, 16];
const [A0, A1, A2, A3, K, LO, HI] = [17, 18, 19, 20, 21, 22, 23];
/** acc += widen(half) · k */
const madd = (acc: number, half: number, extend: number[]) => [...get(acc), ...get(half), ...extend, ...get(K), ...mulV, ...addV, ...set(acc)];
const vertical = [
  0x02, 9, I32, 7, V128,
  ...get(VKSIZE), ...i32(2), shl, ...set(VKBYTES),
  ...whileNot([...get(YY), ...get(OUTH), geU], [
    ...get(VSRC), ...get(VFIRST), ...get(YY), ...i32(2), shl, add, ...load, ...get(ROWLEN), mul, add, ...set(BASE),
    ...get(VCOUNT), ...get(YY), ...i32(2), shl, add, ...load, ...set(TAPS),
    ...get(VCOEFFS), ...get(YY), ...get(VKBYTES), mul, add, ...set(KP0),
    ...i32(0), ...set(I),
    ...whileNot([...get(I), ...get(ROWLEN), geU], [
      ...i32(HALF), ...i32x4Splat, ...tee(A0), ...tee(A1), ...tee(A2), ...set(A3),
      ...get(BASE), ...get(I), add, ...set(VP),
      ...get(KP0), ...set(VKP),
      ...get(TAPS), ...set(VN),
      ...whileNot([...get(VN), eqz], [
        ...get(VP), ...v128load, ...tee(HI), ...extendLowU8, ...set(LO),
        ...get(HI), ...extendHighU8, ...set(HI),
        ...get(VKP), ...load32Splat, ...set(K),
        ...madd(A0, LO, extendLowU16), ...madd(A1, LO, extendHighU16), ...madd(A2, HI, extendLowU16), ...madd(A3, HI, extendHighU16),
        ...inc(VP, get(ROWLEN)), ...inc(VKP, i32(4)), ...get(VN), ...i32(1), sub, ...set(VN),
      ]),
      ...get(VDST), ...get(I), add,
      ...scaleDown(A0), ...scaleDown(A1), ...narrowS16, ...scaleDown(A2), ...scaleDown(A3), ...narrowS16, ...narrowU8,
      ...v128store,
      ...inc(I, i32(16)),
    ]),
    ...inc(VDST, get(ROWLEN)), ...inc(YY, i32(1)),
  ]),
  0x0b,
];

const section = wasmSection;
const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
const params = (n: number) => [0x60, n, ...Array<number>(n).fill(I32), 0];
const code = (body: number[]) => [...uleb(body.length), ...body];

const MODULE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [2, ...params(11), ...params(8)]),
  ...section(3, [3, 0, 0, 1]),
  ...section(5, [1, 0x00, 1]),
  ...section(7, [4, ...name('h1'), 0x00, 0, ...name('h4'), 0x00, 1, ...name('v'), 0x00, 2, ...name('mem'), 0x02, 0]),
  ...section(10, [3, ...code(horizontalRows(1)), ...code(horizontalRows(4)), ...code(vertical)]),
]);

// The Node typings in use here do not declare the WebAssembly constructors; these are the parts used.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}
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
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  try {
    if (!api) throw new Error('no WebAssembly');
    const { exports } = new api.Instance(new api.Module(MODULE));
    kernels = { memory: exports.mem as WasmMemory, h1: exports.h1 as HorizontalKernel, h4: exports.h4 as HorizontalKernel, v: exports.v as Kernels['v'] };
  } catch {
    // No SIMD in this engine: pil-resize.ts keeps its JS passes.
    kernels = null;
  }
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
  const missing = arena.size - k.memory.buffer.byteLength;
  if (missing > 0) k.memory.grow(Math.ceil(missing / 65536));
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
