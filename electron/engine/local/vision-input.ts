// Turns an image file into the vision encoder's input (pixel_values
// [patches, 3·T·P·P], image_grid_thw [1, 3]) without transformers.js' image
// processor, whose generic 9-D permute in JS costs over a second for a 1 MP
// photo. Same maths as Qwen2VLImageProcessor: smart_resize to a multiple of
// patch·merge, rescale, normalise, repeat the frame temporal_patch_size times,
// and order patches so each merge×merge group is contiguous.
// test/integration/local-vision-input.test.ts checks it against transformers.js.
import { Tensor } from '@huggingface/transformers';
import { loadModelImage } from '../../images/model-input';

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

/** Reads preprocessor_config.json values, with Qwen3-VL's defaults. */
export function visionConfigFrom(config: Json): VisionConfig {
  const size = (config.size ?? {}) as Json;
  const normalize = config.do_normalize === true;
  return {
    patchSize: num(config.patch_size, 16),
    mergeSize: num(config.merge_size, 2),
    temporalPatchSize: num(config.temporal_patch_size, 2),
    mean: normalize ? triple(config.image_mean, 0.5) : [0, 0, 0],
    std: normalize ? triple(config.image_std, 0.5) : [1, 1, 1],
    rescale: config.do_rescale === false ? 1 : num(config.rescale_factor, 1 / 255),
    minPixels: num(config.min_pixels, num(size.shortest_edge, 65536)),
    maxPixels: num(config.max_pixels, num(size.longest_edge, 16777216)),
  };
}

/** Qwen's smart_resize: nearest multiple of factor, scaled into [minPixels, maxPixels] keeping the aspect ratio. */
export function smartResize(height: number, width: number, factor: number, minPixels: number, maxPixels: number): { height: number; width: number } {
  let h = Math.max(factor, Math.round(height / factor) * factor);
  let w = Math.max(factor, Math.round(width / factor) * factor);
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

/** Interleaved RGB (width, height multiples of patch·merge) → flattened patches in the encoder's order. */
export function patchify(rgb: Uint8Array, width: number, height: number, cfg: VisionConfig): { data: Float32Array; gridH: number; gridW: number } {
  const { patchSize: P, mergeSize: M, temporalPatchSize: T } = cfg;
  const gridH = height / P;
  const gridW = width / P;
  if (!Number.isInteger(gridH / M) || !Number.isInteger(gridW / M)) throw new Error(`patchify: ${width}x${height} is not a multiple of ${P * M}`);
  // One lookup per channel and byte value instead of a multiply-add per sample.
  const [r, g, b] = [0, 1, 2].map((c) => Float32Array.from({ length: 256 }, (_, v) => (v * cfg.rescale - cfg.mean[c]!) / cfg.std[c]!)) as [Float32Array, Float32Array, Float32Array];
  const area = P * P;
  // A patch row is [channel][frame][py][px]; the frames of a still image are the same picture.
  const rowLength = 3 * T * area;
  const gOff = T * area;
  const bOff = 2 * T * area;
  const out = new Float32Array(gridH * gridW * rowLength);
  let o = 0;
  for (let bh = 0; bh < gridH / M; bh++) {
    for (let bw = 0; bw < gridW / M; bw++) {
      for (let mh = 0; mh < M; mh++) {
        for (let mw = 0; mw < M; mw++) {
          const y0 = (bh * M + mh) * P;
          const x0 = (bw * M + mw) * P;
          // Each pixel read once; its three values written to every frame (one pass, no copies).
          for (let py = 0; py < P; py++) {
            let src = ((y0 + py) * width + x0) * 3;
            const rowStart = o + py * P;
            for (let px = 0; px < P; px++, src += 3) {
              const vr = r[rgb[src]!]!;
              const vg = g[rgb[src + 1]!]!;
              const vb = b[rgb[src + 2]!]!;
              const d = rowStart + px;
              out[d] = vr;
              out[d + gOff] = vg;
              out[d + bOff] = vb;
              // Qwen's temporal_patch_size is 2: one more frame, unrolled.
              if (T === 2) {
                out[d + area] = vr;
                out[d + gOff + area] = vg;
                out[d + bOff + area] = vb;
              } else {
                for (let t = 1; t < T; t++) {
                  out[d + t * area] = vr;
                  out[d + gOff + t * area] = vg;
                  out[d + bOff + t * area] = vb;
                }
              }
            }
          }
          o += rowLength;
        }
      }
    }
  }
  return { data: out, gridH, gridW };
}

export interface VisionInput {
  pixelValues: Tensor;
  imageGridThw: Tensor;
  /** Image tokens the prompt must hold (grid cells / merge²). */
  visualTokens: number;
  originalWidth: number;
  originalHeight: number;
  /** Size the model saw. */
  width: number;
  height: number;
}

export async function loadVisionInput(path: string, cfg: VisionConfig, maxPixels: number): Promise<VisionInput> {
  const cap = Math.min(maxPixels, cfg.maxPixels);
  // Upright (EXIF applied) and resized, in one decode, straight to the
  // multiple of patch·merge the encoder needs (smart_resize of the upright
  // original), so nothing resizes twice.
  const image = await loadModelImage(path, {
    format: 'rgb',
    maxPixels: cap,
    kernel: 'cubic',
    size: (width, height) => smartResize(height, width, cfg.patchSize * cfg.mergeSize, cfg.minPixels, cap),
  });
  const { data, gridH, gridW } = patchify(image.data, image.width, image.height, cfg);
  return {
    pixelValues: new Tensor('float32', data, [gridH * gridW, data.length / (gridH * gridW)]),
    imageGridThw: new Tensor('int64', BigInt64Array.from([1n, BigInt(gridH), BigInt(gridW)]), [1, 3]),
    visualTokens: (gridH * gridW) / (cfg.mergeSize * cfg.mergeSize),
    originalWidth: image.originalWidth,
    originalHeight: image.originalHeight,
    width: image.width,
    height: image.height,
  };
}
