// Pillow's Image.resize(size, Image.BICUBIC) on 8-bit pixels, bit for bit.
//
// Why: Hugging Face's Qwen2-VL/Qwen3-VL image processor in transformers 5.24
// without torchvision (Qwen2VLImageProcessorPil, the one the pinned CPU torch
// allows) resizes with Pillow, and the model was trained on what that gives.
// libvips' cubic (sharp) uses another kernel centre, precision and shrink
// strategy, so its pixels differ by several grey levels.
//
// The algorithm is Pillow's src/libImaging/Resample.c, transcribed:
// - bicubic kernel with a = -0.5, support 2, stretched by the scale when
//   downscaling (antialiasing), evaluated in double precision;
// - per output pixel: centre (x + 0.5)·scale, taps from
//   trunc(centre − support + 0.5) to trunc(centre + support + 0.5) clipped to
//   the image, weights normalised by their sum, then turned into 22-bit fixed
//   point (round half away from zero);
// - two passes, each result clipped to uint8: horizontal first (over only the
//   rows the vertical pass reads), unless the height shrinks by more than
//   twice as many pixels as the width, then vertical first (Pillow 13's
//   ImagingResampleInner rule); each sum starts at 2^21 (rounding), is
//   shifted right by 22 (floor) and clipped to 0..255;
// - a pass whose size is unchanged is skipped; with both skipped it is a copy.
// test/unit/pil-resize.test.ts checks it against Pillow's own output.
//
// Pure (no Node APIs): interleaved 8-bit pixels in, interleaved pixels out.
// The passes run in WebAssembly SIMD (pil-resize-wasm.ts) for 3 and 4
// channels, with these JS passes as the fallback and the readable reference.
import { axisMap, exifTranspose, isTransposing } from './orientation';
import { resizeWithWasm, type ResizePlan } from './pil-resize-wasm';

/** Fixed-point bits of the coefficients (Resample.c PRECISION_BITS = 32 − 8 − 2). */
const PRECISION_BITS = 22;
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);
const BICUBIC_SUPPORT = 2;

/** Resample.c bicubic_filter, a = −0.5, same operation order (double). */
function bicubic(x: number): number {
  if (x < 0) x = -x;
  if (x < 1) return (1.5 * x - 2.5) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * -0.5;
  return 0;
}

/** One axis' taps: output i reads `count[i]` inputs from `first[i]`, weights at coeffs[i·ksize …]. */
export interface ResampleAxis {
  ksize: number;
  first: Int32Array;
  count: Int32Array;
  /** 22-bit fixed-point weights, ksize per output (unused tail zero). */
  coeffs: Int32Array;
}

/** Resample.c precompute_coeffs + normalize_coeffs_8bpc for box [0, inSize). */
export function bicubicAxis(inSize: number, outSize: number): ResampleAxis {
  if (!(inSize >= 1 && outSize >= 1)) throw new Error(`bicubicAxis: sizes must be positive (${inSize} → ${outSize})`);
  const scale = inSize / outSize;
  const filterscale = scale < 1 ? 1 : scale;
  const support = BICUBIC_SUPPORT * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const coeffs = new Int32Array(outSize * ksize);
  const weights = new Float64Array(ksize);
  const ss = 1 / filterscale;
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    // C's (int) cast truncates toward zero.
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const w = bicubic((x + xmin - center + 0.5) * ss);
      weights[x] = w;
      ww += w;
    }
    const row = xx * ksize;
    for (let x = 0; x < xmax; x++) {
      const k = ww !== 0 ? weights[x]! / ww : weights[x]!;
      coeffs[row + x] = k < 0 ? Math.trunc(-0.5 + k * ONE) : Math.trunc(0.5 + k * ONE);
    }
    first[xx] = xmin;
    count[xx] = xmax;
  }
  return { ksize, first, count, coeffs };
}

/**
 * The same taps read backwards: output j of the mirrored axis is output
 * m−1−j of `axis` over an input of `inSize` read from its far end. Integer
 * sums do not depend on the order of their terms, so resizing a mirrored
 * image with `axis` equals mirroring the result of resizing with this one.
 */
export function mirrorAxis(axis: ResampleAxis, inSize: number): ResampleAxis {
  const { ksize, first, count, coeffs } = axis;
  const m = first.length;
  const mirrored: ResampleAxis = { ksize, first: new Int32Array(m), count: new Int32Array(m), coeffs: new Int32Array(coeffs.length) };
  for (let j = 0; j < m; j++) {
    const from = m - 1 - j;
    const n = count[from]!;
    mirrored.first[j] = inSize - (first[from]! + n);
    mirrored.count[j] = n;
    for (let t = 0; t < n; t++) mirrored.coeffs[j * ksize + t] = coeffs[from * ksize + n - 1 - t]!;
  }
  return mirrored;
}

/**
 * Which passes run, in which order, over which rows (Resample.c
 * ImagingResampleInner), for the upright image of a stored one: Pillow's
 * axes and order are those of the upright image; each is carried over to the
 * stored axis it reads (mirrored where the orientation reverses it), so the
 * passes run on the stored pixels and give the upright result in stored
 * orientation (exifTranspose then turns it).
 */
export function resizePlan(width: number, height: number, outWidth: number, outHeight: number, orientation = 1): ResizePlan {
  const { swapped, mirrorX, mirrorY } = axisMap(orientation);
  const uprightWidth = swapped ? height : width;
  const uprightHeight = swapped ? width : height;
  const ax = outWidth !== uprightWidth ? bicubicAxis(uprightWidth, outWidth) : null;
  const ay = outHeight !== uprightHeight ? bicubicAxis(uprightHeight, outHeight) : null;
  // Pillow 13: "If height is being scaled down more than twice the amount the
  // width is, run the vertical pass first" (rounding differs with the order).
  const uprightXFirst = !(uprightHeight - outHeight > 0 && uprightHeight - outHeight > (uprightWidth - outWidth) * 2);
  const sx = ax && mirrorX ? mirrorAxis(ax, uprightWidth) : ax;
  const sy = ay && mirrorY ? mirrorAxis(ay, uprightHeight) : ay;
  const horizontal = swapped ? sy : sx;
  const vertical = swapped ? sx : sy;
  const horizontalFirst = swapped ? !uprightXFirst : uprightXFirst;
  // Horizontal first: only the source rows the vertical pass reads (all unless the ends are cut off).
  const last = vertical ? vertical.first.length - 1 : 0;
  const firstRow = vertical ? vertical.first[0]! : 0;
  const rows = vertical ? vertical.first[last]! + vertical.count[last]! - firstRow : height;
  return { horizontal, vertical, horizontalFirst, firstRow, rows };
}

export interface ResizeOptions {
  /** Use the WebAssembly SIMD passes where available (default true); false runs the JS passes (tests compare both). */
  simd?: boolean;
}

/**
 * Resizes interleaved 8-bit pixels (`channels` per pixel, 1 to 4) as Pillow's
 * BICUBIC resize does. Returns a new buffer (a copy when the size is unchanged).
 */
export function resizeBicubic(src: Uint8Array, width: number, height: number, channels: number, outWidth: number, outHeight: number, options: ResizeOptions = {}): Uint8Array {
  return resizeUpright(src, width, height, channels, 1, outWidth, outHeight, options);
}

/**
 * Pillow's exif_transpose then BICUBIC resize to outWidth × outHeight
 * (upright), in one go: the passes read the stored pixels (`width` ×
 * `height` as stored), and only the small result is turned. Same bytes as
 * turning first; libvips' rotation of a 12 MP photo costs as much as its decode.
 */
export function resizeUpright(src: Uint8Array, width: number, height: number, channels: number, orientation: number, outWidth: number, outHeight: number, options: ResizeOptions = {}): Uint8Array {
  if (!Number.isInteger(channels) || channels < 1 || channels > 4) throw new Error(`resizeBicubic: ${channels} channels (1 to 4 supported)`);
  if (src.length < width * height * channels) throw new Error(`resizeBicubic: ${src.length} bytes for ${width}x${height}x${channels}`);
  const { swapped } = axisMap(orientation);
  const storedOutWidth = swapped ? outHeight : outWidth;
  const storedOutHeight = swapped ? outWidth : outHeight;
  let stored: Uint8Array;
  if (storedOutWidth === width && storedOutHeight === height) stored = src.subarray(0, width * height * channels);
  else stored = resizeStored(src, width, height, channels, storedOutWidth, storedOutHeight, resizePlan(width, height, outWidth, outHeight, orientation), options);
  if (isTransposing(orientation)) return exifTranspose(stored, storedOutWidth, storedOutHeight, channels, orientation).data;
  return stored === src || stored.buffer === src.buffer ? stored.slice() : stored;
}

/** Runs a plan's passes on stored pixels: WebAssembly SIMD for 3 and 4 channels where available, else the JS passes. */
function resizeStored(src: Uint8Array, width: number, height: number, channels: number, outWidth: number, outHeight: number, plan: ResizePlan, options: ResizeOptions): Uint8Array {
  if (options.simd !== false && (channels === 3 || channels === 4)) {
    const done = resizeWithWasm(src, width, height, channels, outWidth, outHeight, plan);
    if (done) return done;
  }
  const { horizontal, vertical, horizontalFirst, firstRow, rows } = plan;
  if (horizontal && vertical && !horizontalFirst) {
    const temp = new Uint8ClampedArray(width * outHeight * channels);
    verticalPass(src, width * channels, 0, vertical, outHeight, temp);
    const out = new Uint8ClampedArray(outWidth * outHeight * channels);
    horizontalPass(new Uint8Array(temp.buffer), width, 0, outHeight, channels, horizontal, outWidth, out);
    return new Uint8Array(out.buffer);
  }
  let image = src;
  let rowOffset = 0;
  if (horizontal) {
    const out = new Uint8ClampedArray(outWidth * rows * channels);
    horizontalPass(src, width, firstRow, rows, channels, horizontal, outWidth, out);
    image = new Uint8Array(out.buffer);
    // The vertical taps are now relative to the first row kept.
    rowOffset = firstRow;
  }
  if (!vertical) return image;
  const out = new Uint8ClampedArray(outWidth * outHeight * channels);
  verticalPass(image, outWidth * channels, rowOffset, vertical, outHeight, out);
  return new Uint8Array(out.buffer);
}

// The passes below sum in int32 as Resample.c does (Math.imul, | 0: V8 keeps
// them in integer registers, with no overflow checks or float conversions).

/** Resample.c ImagingResampleHorizontal_8bpc: `rows` source rows from `firstRow`. Stores into a clamped array, which clips to 0..255. */
function horizontalPass(src: Uint8Array, width: number, firstRow: number, rows: number, channels: number, axis: ResampleAxis, outWidth: number, out: Uint8ClampedArray): void {
  if (channels === 3) return horizontalPass3(src, width, firstRow, rows, axis, outWidth, out);
  const { ksize, first, count, coeffs } = axis;
  const inStride = width * channels;
  let o = 0;
  for (let y = 0; y < rows; y++) {
    const rowStart = (y + firstRow) * inStride;
    for (let xx = 0; xx < outWidth; xx++) {
      const n = count[xx]!;
      const k0 = xx * ksize;
      const p0 = rowStart + first[xx]! * channels;
      for (let c = 0; c < channels; c++) {
        let s = HALF;
        for (let t = 0, p = p0 + c; t < n; t++, p += channels) s = (s + Math.imul(src[p]!, coeffs[k0 + t]!)) | 0;
        out[o++] = s >> PRECISION_BITS;
      }
    }
  }
}

/** The RGB case of horizontalPass, three sums per tap (EGM's case: every query). */
function horizontalPass3(src: Uint8Array, width: number, firstRow: number, rows: number, axis: ResampleAxis, outWidth: number, out: Uint8ClampedArray): void {
  const { ksize, first, count, coeffs } = axis;
  const inStride = width * 3;
  let o = 0;
  for (let y = 0; y < rows; y++) {
    const rowStart = (y + firstRow) * inStride;
    for (let xx = 0; xx < outWidth; xx++) {
      let k = xx * ksize;
      const end = k + count[xx]!;
      let p = rowStart + first[xx]! * 3;
      let s0 = HALF;
      let s1 = HALF;
      let s2 = HALF;
      for (; k < end; k++, p += 3) {
        const w = coeffs[k]!;
        s0 = (s0 + Math.imul(src[p]!, w)) | 0;
        s1 = (s1 + Math.imul(src[p + 1]!, w)) | 0;
        s2 = (s2 + Math.imul(src[p + 2]!, w)) | 0;
      }
      out[o] = s0 >> PRECISION_BITS;
      out[o + 1] = s1 >> PRECISION_BITS;
      out[o + 2] = s2 >> PRECISION_BITS;
      o += 3;
    }
  }
}

/** Resample.c ImagingResampleVertical_8bpc: each output byte sums its column's taps, rows `rowOffset` and on. */
function verticalPass(src: Uint8Array, rowLength: number, rowOffset: number, axis: ResampleAxis, outHeight: number, out: Uint8ClampedArray): void {
  const { ksize, first, count, coeffs } = axis;
  for (let yy = 0; yy < outHeight; yy++) {
    const n = count[yy]!;
    const k0 = yy * ksize;
    const r0 = (first[yy]! - rowOffset) * rowLength;
    const o = yy * rowLength;
    for (let i = 0; i < rowLength; i++) {
      let s = HALF;
      for (let t = 0, p = r0 + i; t < n; t++, p += rowLength) s = (s + Math.imul(src[p]!, coeffs[k0 + t]!)) | 0;
      out[o + i] = s >> PRECISION_BITS;
    }
  }
}
