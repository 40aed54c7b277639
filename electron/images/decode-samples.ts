// The decode behind pil-decode.ts, with the sharp module passed in: the
// engine's image worker (vision-worker.ts) loads sharp itself when it can and
// falls back to the model's thread when it cannot, so nothing here imports it.
// What the pipeline does and is told not to do: pil-decode.ts.
import { readFile } from 'node:fs/promises';
import type SharpModule from 'sharp';
import { ImageProblem } from './image-problem';
import { MAX_IMAGE_PIXELS, uprightSize } from './image-size';
import { readBmpFile, type BmpPixels } from './bmp-file';
import { gifInfo, pngInfo, type DecodedSamples } from './pil-rgb';
import type { StoredSamples } from './pil-pixels';

type Sharp = typeof SharpModule;

/** The decode itself (libvips, on its own threads; a BMP here), with the sharp module given; failures are ImageProblems. */
export async function decodeSamplesWith(sharp: Sharp, path: string): Promise<StoredSamples> {
  const bmp = await readBmp(path);
  if (bmp) {
    const samples: DecodedSamples = { data: bmp.rgb, width: bmp.width, height: bmp.height, channels: 3, kind: 'rgb' };
    return { samples, white: null, orientation: 1, uprightWidth: bmp.width, uprightHeight: bmp.height };
  }
  let meta: Awaited<ReturnType<ReturnType<Sharp>["metadata"]>>;
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
