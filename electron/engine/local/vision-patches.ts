// The pure half of the local engine's image input (vision-input.ts holds the
// decode and the tensors): the preprocessor config, smart_resize, the resize
// (visionPixelsOf) and patching into pixel_values. Free of sharp and
// transformers.js, so the image worker (vision-worker.ts) loads only this.
// The reference is Hugging Face transformers 5.24's Qwen2VLImageProcessorPil;
// see vision-input.ts.
import { MAX_PIXELS_RANGE } from '@core/settings-schemas';
import type { ModelImage } from '../../images/model-input';
import { pillowModelImage, type StoredSamples } from '../../images/pil-pixels';

export interface VisionConfig {
  patchSize: number;
  mergeSize: number;
  temporalPatchSize: number;
  mean: [number, number, number];
  std: [number, number, number];
  rescale: number;
  minPixels: number;
  maxPixels: number;
}

type Json = Record<string, unknown>;
const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const triple = (v: unknown, fallback: number): [number, number, number] =>
  Array.isArray(v) && v.length === 3 ? [num(v[0], fallback), num(v[1], fallback), num(v[2], fallback)] : [fallback, fallback, fallback];

/**
 * Reads preprocessor_config.json values. The pixel bounds as transformers
 * 5.24 reads them: `min_pixels`/`max_pixels` when present (they override
 * `size` in Qwen2VLImageProcessor's constructor), else `size.shortest_edge` /
 * `size.longest_edge` (Qwen3-VL's files: 65,536 / 16,777,216), else the
 * processor class defaults (3,136 / 1,003,520).
 */
export function visionConfigFrom(config: Json): VisionConfig {
  const size = (config.size ?? {}) as Json;
  const normalize = config.do_normalize === true;
  // A downloaded model's lower bound is not trusted: a min_pixels of 1.5e8 upscaled every
  // image to 4 GB (issue 16). No image is given a model above the app's largest cap.
  const [minKey, minValue] = config.min_pixels !== undefined ? ['min_pixels', config.min_pixels] : ['size.shortest_edge', size.shortest_edge];
  if (typeof minValue === 'number' && minValue > MAX_PIXELS_RANGE.max) {
    throw new Error(`preprocessor_config.json: ${minKey} ${minValue} is more pixels than any image is given (at most ${MAX_PIXELS_RANGE.max}); the model folder's preprocessor config is not usable`);
  }
  return {
    patchSize: num(config.patch_size, 16),
    mergeSize: num(config.merge_size, 2),
    temporalPatchSize: num(config.temporal_patch_size, 2),
    mean: normalize ? triple(config.image_mean, 0.5) : [0, 0, 0],
    std: normalize ? triple(config.image_std, 0.5) : [1, 1, 1],
    rescale: config.do_rescale === false ? 1 : num(config.rescale_factor, 1 / 255),
    minPixels: num(config.min_pixels, num(size.shortest_edge, 56 * 56)),
    maxPixels: num(config.max_pixels, num(size.longest_edge, 28 * 28 * 1280)),
  };
}

/**
 * The max_pixels the image is resized under: the model's (preprocessor
 * config) and the app's own cap (DEFAULT_MAX_PIXELS, or a request's
 * maxPixels), whichever is smaller. The app's cap is a deliberate setting on
 * top of the reference: Hugging Face gives the same pixels when called with
 * this max_pixels (as the parity test does).
 */
export function effectiveMaxPixels(cfg: VisionConfig, appMaxPixels: number): number {
  return Math.min(appMaxPixels, cfg.maxPixels);
}

/** Python's round(): halves go to the even neighbour (round(18.75) = 19, round(12.5) = 12). */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * transformers' smart_resize (Qwen2-VL image processor), same double
 * arithmetic: each side rounded to a multiple of factor (Python round, half
 * to even: 600×400 → 608×384), then, when outside [minPixels, maxPixels],
 * scaled by beta and floored (down) or ceiled (up) to multiples of factor.
 * An aspect ratio over 200 is refused, as there.
 */
export function smartResize(height: number, width: number, factor: number, minPixels: number, maxPixels: number): { height: number; width: number } {
  if (Math.max(height, width) / Math.min(height, width) > 200) {
    throw new Error(`absolute aspect ratio must be smaller than 200, got ${Math.max(height, width) / Math.min(height, width)}`);
  }
  let h = roundHalfEven(height / factor) * factor;
  let w = roundHalfEven(width / factor) * factor;
  if (h * w > maxPixels) {
    const beta = Math.sqrt((height * width) / maxPixels);
    h = Math.max(factor, Math.floor(height / beta / factor) * factor);
    w = Math.max(factor, Math.floor(width / beta / factor) * factor);
  } else if (h * w < minPixels) {
    const beta = Math.sqrt(minPixels / (height * width));
    h = Math.ceil((height * beta) / factor) * factor;
    w = Math.ceil((width * beta) / factor) * factor;
  }
  return { height: h, width: w };
}

/** Normalised value of each byte, per channel: (v·rescale − mean) / std, computed once per config. */
const luts = new WeakMap<VisionConfig, [Float32Array, Float32Array, Float32Array]>();
function channelLuts(cfg: VisionConfig): [Float32Array, Float32Array, Float32Array] {
  let found = luts.get(cfg);
  if (!found) {
    // transformers' float32 steps: rescale in float64 then to float32, then
    // (x − mean) / std with mean and std as float32 (each op rounded to float32).
    const f = Math.fround;
    const lut = (c: number) => Float32Array.from({ length: 256 }, (_, v) => f(f(f(v * cfg.rescale) - f(cfg.mean[c]!)) / f(cfg.std[c]!)));
    found = [lut(0), lut(1), lut(2)];
    luts.set(cfg, found);
  }
  return found;
}

/** Length of the pixel_values array patchify writes for an image of this size. */
export function patchValuesLength(width: number, height: number, cfg: VisionConfig): number {
  return width * height * 3 * cfg.temporalPatchSize;
}

/**
 * Interleaved RGB (width, height multiples of patch·merge) → flattened patches
 * in the encoder's order. `out` (patchValuesLength long) is written over in
 * full, so a recycled buffer needs no clearing.
 */
export function patchify(
  rgb: Uint8Array,
  width: number,
  height: number,
  cfg: VisionConfig,
  out?: Float32Array,
): { data: Float32Array; gridH: number; gridW: number } {
  const { patchSize: P, mergeSize: M, temporalPatchSize: T } = cfg;
  const gridH = height / P;
  const gridW = width / P;
  if (!Number.isInteger(gridH / M) || !Number.isInteger(gridW / M)) throw new Error(`patchify: ${width}x${height} is not a multiple of ${P * M}`);
  const length = patchValuesLength(width, height, cfg);
  if (out && out.length !== length) throw new Error(`patchify: output buffer holds ${out.length} values, ${width}x${height} needs ${length}`);
  const data = out ?? new Float32Array(length);
  const [lr, lg, lb] = channelLuts(cfg);
  const area = P * P;
  // A patch row is [channel][frame][py][px]; the frames of a still image are the same picture.
  const chan = T * area;
  const rowLength = 3 * chan;
  // Pass 1, in image order (the RGB bytes are read once, sequentially): each
  // image row fills row py of frame 0 of the patches it crosses, P values per
  // channel, with no per-pixel calls.
  const words = P === 16 && T === 2 && rgb.byteOffset % 4 === 0 && LITTLE_ENDIAN;
  if (words) fillFrame0Words16x2(rgb, width, height, data, cfg, lr, lg, lb);
  else fillFrame0Bytes(rgb, width, height, data, cfg, lr, lg, lb);
  // Pass 2: the other frames are copies of frame 0 (memcpy, block by block).
  for (let o = 0; o < length; o += rowLength) {
    for (let t = 1; t < T; t++) {
      data.copyWithin(o + t * area, o, o + area);
      data.copyWithin(o + chan + t * area, o + chan, o + chan + area);
      data.copyWithin(o + 2 * chan + t * area, o + 2 * chan, o + 2 * chan + area);
    }
  }
  return { data, gridH, gridW };
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * Where image row y, patch column gx starts in frame 0: rowStart(y) +
 * column[gx]. Patches are ordered by merge block (row-major), then inside the
 * block; a patch row is [channel][frame][py][px].
 */
function patchOffsets(width: number, cfg: VisionConfig): { column: Int32Array; rowStart: (y: number) => number } {
  const { patchSize: P, mergeSize: M, temporalPatchSize: T } = cfg;
  const gridW = width / P;
  const rowLength = 3 * T * P * P;
  const column = Int32Array.from({ length: gridW }, (_, gx) => (Math.floor(gx / M) * M * M + (gx % M)) * rowLength);
  const rowStart = (y: number) => {
    const gy = Math.floor(y / P);
    return (Math.floor(gy / M) * gridW * M + (gy % M) * M) * rowLength + (y % P) * P;
  };
  return { column, rowStart };
}

/** Pass 1, one byte per read (any patch size or buffer alignment). */
function fillFrame0Bytes(rgb: Uint8Array, width: number, height: number, data: Float32Array, cfg: VisionConfig, lr: Float32Array, lg: Float32Array, lb: Float32Array): void {
  const P = cfg.patchSize;
  const chan = cfg.temporalPatchSize * P * P;
  const { column, rowStart } = patchOffsets(width, cfg);
  const gridW = column.length;
  let s = 0;
  for (let y = 0; y < height; y++) {
    const row = rowStart(y);
    for (let gx = 0; gx < gridW; gx++) {
      let r = row + column[gx]!;
      let g = r + chan;
      let b = g + chan;
      for (let px = 0; px < P; px++, s += 3) {
        data[r++] = lr[rgb[s]!]!;
        data[g++] = lg[rgb[s + 1]!]!;
        data[b++] = lb[rgb[s + 2]!]!;
      }
    }
  }
}

/**
 * Pass 1 for Qwen3-VL's patch 16, 2 frames (EGM's case): four pixels (three
 * 32-bit words, little-endian) per step, a quarter of the reads of the byte
 * version, and literal strides V8 compiles into the addressing: about twice
 * as fast on a 1 MP photo. Needs a 4-byte-aligned buffer; rows then start on
 * word boundaries too (3·16·gridW bytes).
 */
function fillFrame0Words16x2(rgb: Uint8Array, width: number, height: number, data: Float32Array, cfg: VisionConfig, lr: Float32Array, lg: Float32Array, lb: Float32Array): void {
  const { column, rowStart } = patchOffsets(width, cfg);
  const gridW = column.length;
  const words = new Uint32Array(rgb.buffer, rgb.byteOffset, (width * height * 3) / 4);
  let w = 0;
  for (let y = 0; y < height; y++) {
    const row = rowStart(y);
    for (let gx = 0; gx < gridW; gx++) {
      let r = row + column[gx]!;
      const end = r + 16;
      // w0 = r0 g0 b0 r1, w1 = g1 b1 r2 g2, w2 = b2 r3 g3 b3 (lowest byte first);
      // a channel block of a patch row is 2 frames × 256 values = 512 apart.
      for (; r < end; r += 4, w += 3) {
        const a = words[w]!;
        const b = words[w + 1]!;
        const c = words[w + 2]!;
        data[r] = lr[a & 255]!;
        data[r + 512] = lg[(a >>> 8) & 255]!;
        data[r + 1024] = lb[(a >>> 16) & 255]!;
        data[r + 1] = lr[a >>> 24]!;
        data[r + 513] = lg[b & 255]!;
        data[r + 1025] = lb[(b >>> 8) & 255]!;
        data[r + 2] = lr[(b >>> 16) & 255]!;
        data[r + 514] = lg[b >>> 24]!;
        data[r + 1026] = lb[c & 255]!;
        data[r + 3] = lr[(c >>> 8) & 255]!;
        data[r + 515] = lg[(c >>> 16) & 255]!;
        data[r + 1027] = lb[c >>> 24]!;
      }
    }
  }
}

/** The size facts of a decoded, resized image (ModelImage's, without its pixels). */
export interface VisionSizes {
  width: number;
  height: number;
  originalWidth: number;
  originalHeight: number;
}

/**
 * Resize, the expensive JS half (after decodeSamples): the upright image
 * (EXIF applied) as Pillow reads the file, resized once as Pillow's bicubic,
 * straight to smart_resize's multiple of patch·merge. `maxPixels` is the
 * app's cap (see effectiveMaxPixels), applied on top of the model's.
 */
export function visionPixelsOf(stored: StoredSamples, path: string, cfg: VisionConfig, maxPixels: number): ModelImage {
  const cap = effectiveMaxPixels(cfg, maxPixels);
  return pillowModelImage(stored, path, {
    maxPixels: cap,
    // The lower bound never above the cap: an image is not upscaled past the pixels it may have.
    size: (width, height) => smartResize(height, width, cfg.patchSize * cfg.mergeSize, Math.min(cfg.minPixels, cap), cap),
  });
}
