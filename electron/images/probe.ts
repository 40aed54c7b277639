// Reads what the project needs to know about an image file without decoding
// all its pixels: upright size (EXIF orientation applied), orientation, format.
// Every failure is an ImageProblem with a one-line reason naming the file.
import { open, stat } from 'node:fs/promises';
import sharp from 'sharp';
import { oneLine } from '@core/errors';
import { bmpHeader, bmpSizeProblem, isBmp } from './bmp';
import { ImageProblem } from './image-problem';
import { MAX_IMAGE_PIXELS, uprightSize } from './image-size';

export { MAX_IMAGE_PIXELS, uprightSize } from './image-size';

export interface ImageProbe {
  width: number;
  height: number;
  orientation: number;
  format: string;
}

export { ImageProblem } from './image-problem';

/** Why probing a file failed, for a skipped-file list: the ImageProblem's reason, or the unexpected error's one line. */
export function probeFailure(err: unknown): string {
  return err instanceof ImageProblem ? err.reason : `probe failed (${oneLine(err)})`;
}

const SUPPORTED = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif', 'heif', 'bmp']);

export async function probeImage(path: string): Promise<ImageProbe> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    throw new ImageProblem(path, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `cannot read file (${(err as Error).message})`);
  }
  if (size === 0) throw new ImageProblem(path, 'empty file (0 bytes)');
  const unsupported = await unsupportedKind(path);
  if (unsupported) throw new ImageProblem(path, unsupported);
  const bmp = await probeBmp(path, size);
  if (bmp) return bmp;
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>["metadata"]>>;
  try {
    meta = await sharp(path, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new ImageProblem(path, `not a readable image (${oneLine(err)})`);
  }
  const format = meta.format ?? 'unknown';
  if (!SUPPORTED.has(format)) throw new ImageProblem(path, `unsupported image format '${format}'`);
  if (!meta.width || !meta.height) throw new ImageProblem(path, 'image has no width/height');
  const pixels = meta.width * meta.height;
  if (pixels > MAX_IMAGE_PIXELS) {
    throw new ImageProblem(path, `image is ${(pixels / 1e6).toFixed(1)} megapixels, over the ${MAX_IMAGE_PIXELS / 1e6} MP limit`);
  }
  if (await isTruncated(path, format, size)) throw new ImageProblem(path, `truncated ${format.toUpperCase()} file (no end marker)`);
  const orientation = meta.orientation && meta.orientation >= 1 && meta.orientation <= 8 ? meta.orientation : 1;
  return { ...uprightSize(meta.width, meta.height, orientation), orientation, format };
}

// HEIF brands of HEVC-coded images (HEIC): sharp's prebuilt libvips reads
// AVIF only (no HEVC decoder), so these cannot be shown or sent to a model.
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);

/** A BMP's probe from its header (sharp has no BMP loader; bmp.ts decodes it), or null when the file is no BMP. */
async function probeBmp(path: string, size: number): Promise<ImageProbe | null> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return null;
  let head: Buffer;
  try {
    head = Buffer.alloc(Math.min(size, 64));
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  if (!isBmp(head)) return null;
  const header = bmpHeader(head);
  if ('reason' in header) throw new ImageProblem(path, header.reason);
  const problem = bmpSizeProblem(header, size, MAX_IMAGE_PIXELS);
  if (problem) throw new ImageProblem(path, problem);
  return { width: header.width, height: header.height, orientation: 1, format: 'bmp' };
}

/** Why a file of a format this build cannot decode is not added, from its first bytes; undefined otherwise. */
async function unsupportedKind(path: string): Promise<string | undefined> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return undefined; // sharp's path words an unreadable file
  try {
    const head = Buffer.alloc(12);
    const { bytesRead } = await handle.read(head, 0, 12, 0);
    if (bytesRead === 12 && head.toString('latin1', 4, 8) === 'ftyp' && HEIC_BRANDS.has(head.toString('latin1', 8, 12))) {
      return 'HEIC image (HEVC-coded): this build has no HEVC decoder; convert it to JPEG or PNG to label it';
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

/**
 * Cheap truncation check: JPEG must end with EOI (FF D9, maybe followed by
 * padding), PNG with the IEND chunk. Reads at most 1 KiB from the end instead
 * of decoding the whole image.
 */
async function isTruncated(path: string, format: string, size: number): Promise<boolean> {
  if (format !== 'jpeg' && format !== 'png') return false;
  const length = Math.min(size, 1024);
  const handle = await open(path, 'r');
  try {
    const tail = Buffer.alloc(length);
    await handle.read(tail, 0, length, size - length);
    if (format === 'png') return tail.indexOf(Buffer.from('IEND')) < 0;
    return tail.lastIndexOf(Buffer.from([0xff, 0xd9])) < 0;
  } finally {
    await handle.close();
  }
}
