// The pure half of the 'rgb' model input (model-input.ts): from what the
// decoder gave (pil-decode.ts decodeSamples) to the model-sized RGB: Pillow's
// RGB conversion (pil-rgb.ts), exif_transpose and bicubic resize
// (pil-resize.ts). Synchronous JS and WebAssembly, no sharp: the local
// engine's image worker (engine/local/vision-worker.ts) runs it.
import { ImageProblem } from './image-problem';
import { resizeUpright } from './pil-resize';
import { toPillowRgb, type DecodedSamples, type WhiteKey } from './pil-rgb';
import type { ModelImage, ModelImageOptions } from './model-input';

/**
 * The app's own pixel cap for model input, on top of the model's
 * (preprocessor_config.json's max_pixels, 16.7 MP for Qwen3-VL): ~1 MP ≈
 * 1,000 visual tokens. A request's maxPixels replaces it; the smaller of the
 * two caps applies (vision-input.ts effectiveMaxPixels).
 */
export const DEFAULT_MAX_PIXELS = 1_003_520;

export interface StoredRgb {
  /** Interleaved 8-bit RGB as stored (before the orientation), width·height·3 bytes. */
  rgb: Uint8Array;
  width: number;
  height: number;
  /** EXIF orientation, 1 to 8 (1 when absent or invalid). */
  orientation: number;
  /** Size once the orientation is applied. */
  uprightWidth: number;
  uprightHeight: number;
}

/**
 * What the decoder gave, before the conversion to Pillow's RGB: libvips'
 * samples (their kind and band count), the PNG/GIF colour that turns white,
 * and the orientation. A plain object of typed arrays, so it can be posted to
 * a worker that finishes the job (engine/local/vision-worker.ts).
 */
export interface StoredSamples {
  samples: DecodedSamples;
  white: WhiteKey | null;
  orientation: number;
  uprightWidth: number;
  uprightHeight: number;
}

/** The samples as Pillow's 8-bit RGB (pil-rgb.ts); `path` names the file in an error. */
export function pillowRgbOf(stored: StoredSamples, path: string): StoredRgb {
  const { samples, white, orientation, uprightWidth, uprightHeight } = stored;
  let rgb: Uint8Array;
  try {
    rgb = toPillowRgb(samples, white);
  } catch (err) {
    throw new ImageProblem(path, `cannot decode image (${String((err as Error)?.message ?? err).split('\n')[0]})`);
  }
  return { rgb, width: samples.width, height: samples.height, orientation, uprightWidth, uprightHeight };
}

/** Largest size with the same aspect ratio and at most maxPixels pixels. */
export function fitToPixels(width: number, height: number, maxPixels: number): { width: number; height: number } {
  if (width * height <= maxPixels) return { width, height };
  const scale = Math.sqrt(maxPixels / (width * height));
  return { width: Math.max(1, Math.floor(width * scale)), height: Math.max(1, Math.floor(height * scale)) };
}

/**
 * The 'rgb' format's second half, from what the decoder gave (pil-decode.ts
 * decodeSamples): Pillow's RGB conversion, exif_transpose and bicubic resize.
 * Synchronous, pure JS and WebAssembly: the local engine runs it in its image
 * worker (engine/local/vision-worker.ts).
 */
export function pillowModelImage(stored: StoredSamples, path: string, options: Omit<ModelImageOptions, 'format'>): ModelImage {
  const started = performance.now();
  const image = pillowRgbOf(stored, path);
  const { uprightWidth: originalWidth, uprightHeight: originalHeight } = image;
  let target: { width: number; height: number };
  try {
    target = options.size ? options.size(originalWidth, originalHeight) : fitToPixels(originalWidth, originalHeight, options.maxPixels ?? DEFAULT_MAX_PIXELS);
  } catch (err) {
    throw new ImageProblem(path, String((err as Error).message).split('\n')[0]!);
  }
  const rgb = resizeUpright(image.rgb, image.width, image.height, 3, image.orientation, target.width, target.height);
  const data = Buffer.from(rgb.buffer, rgb.byteOffset, rgb.length);
  return { data, ...target, originalWidth, originalHeight, decodeMs: performance.now() - started };
}
