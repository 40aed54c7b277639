// An image file → the 8-bit RGB pixels that Hugging Face's processor resizes
// for an image path (transformers' load_image, then convert_to_rgb; see
// pil-rgb.ts for what that means per pixel format), as stored, with the EXIF
// orientation that load_image's exif_transpose applies: pil-resize.ts
// resizeUpright applies it while resizing (libvips' rotation of a 12 MP photo
// costs as much as decoding it).
//
// libvips (sharp) decodes; what it would do on its own, and is told not to:
// - embedded ICC profiles: sharp converts to sRGB; PIL ignores them (ignoreIcc);
// - CMYK: sharp converts through a CMYK profile; Pillow uses its plain formula
//   (the pipeline stays in CMYK and pil-rgb.ts converts);
// - 16-bit grey: sharp scales to 8 bits; Pillow clips (read as 16-bit here);
// - shrink-on-load: none, the full image is decoded (Pillow never drafts).
// The orientation is libvips' reading of the EXIF tag, as probe.ts and the
// canvas use (Pillow would also take an XMP tiff:Orientation when there is no
// EXIF one; the app does not, anywhere, so boxes stay where the user sees them).
// The pixel limit (MAX_IMAGE_PIXELS) is checked from the header before
// anything is decoded.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { ImageProblem, MAX_IMAGE_PIXELS, uprightSize } from './probe';
import { readBmpFile, type BmpPixels } from './bmp-file';
import { gifInfo, pngInfo, type DecodedSamples } from './pil-rgb';
import { pillowRgbOf, type StoredRgb, type StoredSamples } from './pil-pixels';

export type { StoredRgb, StoredSamples } from './pil-pixels';

/** Decodes `path` at full size; failures are ImageProblems with a one-line reason. */
export async function decodeLikePillow(path: string): Promise<StoredRgb> {
  return pillowRgbOf(await decodeSamples(path), path);
}

/** The decode itself (libvips, on its own threads; a BMP here); failures are ImageProblems. */
export async function decodeSamples(path: string): Promise<StoredSamples> {
  const bmp = await readBmp(path);
  if (bmp) {
    const samples: DecodedSamples = { data: bmp.rgb, width: bmp.width, height: bmp.height, channels: 3, kind: 'rgb' };
    return { samples, white: null, orientation: 1, uprightWidth: bmp.width, uprightHeight: bmp.height };
  }
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>["metadata"]>>;
  try {
    meta = await sharp(path, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new ImageProblem(path, `cannot decode image (${firstLine(err)})`);
  }
  if (!meta.width || !meta.height) throw new ImageProblem(path, 'cannot decode image (image has no width/height)');
  const pixels = meta.width * meta.height;
  if (pixels > MAX_IMAGE_PIXELS) {
    throw new ImageProblem(path, `image is ${(pixels / 1e6).toFixed(1)} megapixels, over the ${MAX_IMAGE_PIXELS / 1e6} MP limit`);
  }
  try {
    // A PNG's or GIF's bytes are read here once: its tRNS chunk or transparent index decides which pixels turn white.
    const bytes = meta.format === 'png' || meta.format === 'gif' ? await readFile(path) : null;
    const png = bytes && meta.format === 'png' ? pngInfo(bytes) : null;
    const white = png ? png.transparent : bytes ? (gifInfo(bytes)?.transparent ?? null) : null;
    let pipeline = sharp(bytes ?? path, { failOn: 'error', limitInputPixels: MAX_IMAGE_PIXELS, ignoreIcc: true });
    let kind: DecodedSamples['kind'] = 'rgb';
    if (meta.space === 'cmyk') {
      kind = 'cmyk';
      pipeline = pipeline.pipelineColourspace('cmyk').toColourspace('cmyk').raw();
    } else if (meta.space === 'grey16' && (png ? png.colourType === 0 : !meta.hasAlpha)) {
      // Pillow's I;16 (a PNG tRNS key gives libvips an alpha channel, not Pillow).
      kind = 'grey16';
      pipeline = pipeline.toColourspace('grey16').raw({ depth: 'ushort' });
    } else {
      // libvips' default sRGB output: grey repeated into three bands, 16-bit RGB(A) and grey+alpha to their high byte, as Pillow reads them.
      pipeline = pipeline.raw();
    }
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    const samples = kind === 'grey16' ? uint16(data) : new Uint8Array(data.buffer, data.byteOffset, data.length);
    const orientation = meta.orientation && meta.orientation >= 1 && meta.orientation <= 8 ? meta.orientation : 1;
    const upright = uprightSize(info.width, info.height, orientation);
    return { samples: { data: samples, width: info.width, height: info.height, channels: info.channels, kind }, white, orientation, uprightWidth: upright.width, uprightHeight: upright.height };
  } catch (err) {
    throw new ImageProblem(path, `cannot decode image (${firstLine(err)})`);
  }
}

/** A BMP's RGB (bmp.ts: sharp cannot read BMP), or null when the file is no BMP; its header is checked before it is read whole. */
export async function readBmp(path: string): Promise<BmpPixels | null> {
  try {
    return await readBmpFile(path, MAX_IMAGE_PIXELS);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code) return null; // cannot open it: sharp's path words the failure
    throw new ImageProblem(path, `cannot decode image (${firstLine(err)})`);
  }
}

/** Native-endian 16-bit samples (a copy only if the buffer is not 2-byte aligned). */
const uint16 = (data: Buffer) =>
  data.byteOffset % 2 === 0 ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2) : new Uint16Array(Uint8Array.from(data).buffer);

const firstLine = (err: unknown) => String((err as Error)?.message ?? err).split('\n')[0];
