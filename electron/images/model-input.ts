// Turns an image file into what a grounding model sees: upright (EXIF applied,
// exactly as the canvas shows it) and at most `maxPixels`, so a 4000×3000 photo
// does not cost 12k visual tokens.
// - 'rgb' (the local engine): the pixels Hugging Face's PIL processor would
//   feed the model: decoded at full size as Pillow reads the file
//   (pil-decode.ts), then its EXIF transpose and BICUBIC resize (pil-resize.ts).
// - 'jpeg' (the server backend, whose processor resizes again itself): one
//   libvips pipeline, which shrinks JPEGs while decoding — far cheaper.
import sharp from 'sharp';
import { decodeSamples, readBmp } from './pil-decode';
import { DEFAULT_MAX_PIXELS, fitToPixels, pillowModelImage } from './pil-pixels';

export { DEFAULT_MAX_PIXELS, fitToPixels } from './pil-pixels';
import { ImageProblem } from './probe';

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
  /** libvips' resampling kernel for 'jpeg' (default linear); 'rgb' always resamples as Pillow's BICUBIC. */
  kernel?: 'linear' | 'cubic';
}

export async function loadModelImage(path: string, options: ModelImageOptions): Promise<ModelImage> {
  return options.format === 'rgb' ? loadPillowRgb(path, options) : loadJpeg(path, options);
}

/** Full-size decode as Pillow reads the file, then its exif_transpose and bicubic resize to the target size. */
async function loadPillowRgb(path: string, options: ModelImageOptions): Promise<ModelImage> {
  const started = performance.now();
  const image = pillowModelImage(await decodeSamples(path), path, options);
  return { ...image, decodeMs: performance.now() - started };
}

async function loadJpeg(path: string, options: ModelImageOptions): Promise<ModelImage> {
  const started = performance.now();
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  try {
    // A BMP is decoded here (sharp cannot read it) and handed over as raw RGB.
    const bmp = await readBmp(path);
    const base = bmp
      ? sharp(Buffer.from(bmp.rgb.buffer, bmp.rgb.byteOffset, bmp.rgb.length), { raw: { width: bmp.width, height: bmp.height, channels: 3 } })
      : sharp(path, { failOn: 'error', limitInputPixels: false });
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
    const { data, info } = await pipeline.jpeg({ quality: options.jpegQuality ?? 90 }).toBuffer({ resolveWithObject: true });
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
