// Turns an image file into what a grounding model sees: upright (EXIF applied,
// exactly as the canvas shows it) and at most `maxPixels`, so a 4000×3000 photo
// does not cost 12k visual tokens. libvips shrinks JPEGs while decoding, which
// makes the downscale far cheaper than decoding at full size.
import sharp from 'sharp';
import { ImageProblem } from './probe';

/** Qwen3-VL default cap used by the app: ~1 MP ≈ 1,000 visual tokens. */
export const DEFAULT_MAX_PIXELS = 1_003_520;

export interface ModelImage {
  /** Raw interleaved RGB (format 'rgb') or JPEG bytes (format 'jpeg'). */
  data: Buffer;
  width: number;
  height: number;
  /** Upright size of the original image: model boxes are mapped back to this. */
  originalWidth: number;
  originalHeight: number;
  decodeMs: number;
}

/** Largest size with the same aspect ratio and at most maxPixels pixels. */
export function fitToPixels(width: number, height: number, maxPixels: number): { width: number; height: number } {
  if (width * height <= maxPixels) return { width, height };
  const scale = Math.sqrt(maxPixels / (width * height));
  return { width: Math.max(1, Math.floor(width * scale)), height: Math.max(1, Math.floor(height * scale)) };
}

export interface ModelImageOptions {
  maxPixels?: number;
  format: 'rgb' | 'jpeg';
  jpegQuality?: number;
  /**
   * Exact output size from the upright original size (default: fitToPixels
   * with maxPixels). A caller that needs a particular grid (the local engine's
   * multiples of 32) gets it from this one decode, with no second resize.
   */
  size?: (width: number, height: number) => { width: number; height: number };
  /** Resampling kernel (default linear; the local engine asks for cubic, as Qwen's processor uses). */
  kernel?: 'linear' | 'cubic';
}

export async function loadModelImage(path: string, options: ModelImageOptions): Promise<ModelImage> {
  const started = performance.now();
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  try {
    const base = sharp(path, { failOn: 'error', limitInputPixels: false });
    const meta = await base.metadata();
    if (!meta.width || !meta.height) throw new Error('image has no width/height');
    const orientation = meta.orientation ?? 1;
    const swap = orientation >= 5 && orientation <= 8;
    const originalWidth = swap ? meta.height : meta.width;
    const originalHeight = swap ? meta.width : meta.height;
    const target = options.size ? options.size(originalWidth, originalHeight) : fitToPixels(originalWidth, originalHeight, maxPixels);
    let pipeline = base.clone().rotate().removeAlpha();
    if (target.width !== originalWidth || target.height !== originalHeight) {
      // A large reduction lets libvips shrink a JPEG in the DCT domain while
      // decoding (fastShrinkOnLoad, sharp's default), then reduce the rest.
      pipeline = pipeline.resize(target.width, target.height, { fit: 'fill', kernel: options.kernel ?? 'linear', fastShrinkOnLoad: true });
    }
    const { data, info } =
      options.format === 'jpeg'
        ? await pipeline.jpeg({ quality: options.jpegQuality ?? 90 }).toBuffer({ resolveWithObject: true })
        : await pipeline.raw().toBuffer({ resolveWithObject: true });
    return {
      data,
      width: info.width,
      height: info.height,
      originalWidth,
      originalHeight,
      decodeMs: performance.now() - started,
    };
  } catch (err) {
    if (err instanceof ImageProblem) throw err;
    throw new ImageProblem(path, `cannot decode image (${String((err as Error).message).split('\n')[0]})`);
  }
}
