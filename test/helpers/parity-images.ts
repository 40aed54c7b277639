// Images chosen to break preprocessing, made with sharp from the sample photos
// (assets/samples): each one targets a step where the app could drift from
// Hugging Face's processor (smart_resize rounding, Pillow's resize in both
// directions and both pass orders, EXIF, ICC, alpha, grey, CMYK, 16-bit).
// Used by test/integration/vision-input-pillow.test.ts and `npm run parity`.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import sharp from 'sharp';

const SAMPLES = resolve(import.meta.dirname, '../../assets/samples');
const sample = (name: string) => join(SAMPLES, name);

export interface ParityImage {
  name: string;
  file: string;
  /** What the image exercises. */
  note: string;
}

type Make = (file: string) => Promise<unknown>;

/** A textured w×h crop of a sample photo (cover-resized with lanczos, so every size has detail). */
const photo = (name: string, width: number, height: number) => sharp(sample(name)).resize(width, height, { fit: 'cover', kernel: 'lanczos3' });

/** Stored w×h with EXIF orientation `o`: Pillow and the app must both show it upright (5–8 swap the sides). */
const oriented = (o: number): [string, string, Make] => [
  `exif-orientation-${o}.jpg`,
  `EXIF orientation ${o}, stored 150x100 (upright ${o >= 5 ? '100x150' : '150x100'}), as ImageOps.exif_transpose`,
  (file) => photo('rocket.jpg', 150, 100).jpeg({ quality: 90 }).withMetadata({ orientation: o }).toFile(file),
];

const IMAGES: [string, string, Make][] = [
  ['half-even-600x400.jpg', 'smart_resize half to even: 600x400 -> 608x384 (half-up would give 608x416)', (file) => photo('coffee.png', 600, 400).jpeg({ quality: 92 }).toFile(file)],
  ['mod64-624x464.png', 'sides 48 and 16 mod 64: 19.5 rounds up to 20, 14.5 down to 14 (640x448)', (file) => photo('chelsea.png', 624, 464).png().toFile(file)],
  ['odd-641x479.jpg', 'sides 1 and 31 mod 32: 641 rounds down, 479 up (640x480), a resize by a fraction of a pixel', (file) => photo('messi5.jpg', 641, 479).jpeg({ quality: 92 }).toFile(file)],
  ['exact-640x480.png', 'already a multiple of 32 inside the bounds: no resize at all', (file) => photo('stuff.jpg', 640, 480).png().toFile(file)],
  ['tiny-23x17.png', 'below min_pixels: scaled up (bicubic upsampling, ceil branch of smart_resize)', (file) => photo('fruits.jpg', 23, 17).png().toFile(file)],
  ['wide-3000x60.jpg', 'aspect ratio 50: 3000x60 -> 3008x64, enlarged along both sides', (file) => photo('home.jpg', 3000, 60).jpeg({ quality: 92 }).toFile(file)],
  ['big-2000x1500.jpg', 'over the app pixel cap: downscaled (antialiased bicubic, horizontal pass first)', (file) => photo('fruits.jpg', 2000, 1500).jpeg({ quality: 90 }).toFile(file)],
  ['tall-600x2400.jpg', 'height shrinks over twice as much as the width: Pillow runs the vertical pass first', (file) => photo('squirrel_cls.jpg', 600, 2400).jpeg({ quality: 90 }).toFile(file)],
  ['icc-p3.jpg', 'embedded Display P3 profile: PIL ignores it (libvips would convert to sRGB)', (file) => photo('astronaut.png', 400, 300).withIccProfile('p3').jpeg({ quality: 92 }).toFile(file)],
  ['rgba-transparent.png', 'RGBA with transparent and half-transparent areas: load_image drops alpha (the stored colours stay)', makeRgba],
  ['palette-alpha.png', 'palette PNG with per-entry alpha (tRNS): alpha dropped, palette colours kept', (file) => rgbaPhoto().then((img) => img.png({ palette: true, colours: 64, dither: 0 }).toFile(file))],
  ['transparent.gif', 'GIF with a transparent palette index: Pillow turns that colour white (and other pixels of that colour)', (file) => rgbaPhoto().then((img) => img.gif({ colours: 32, dither: 0 }).toFile(file))],
  ['alpha.webp', 'lossy WebP with alpha: alpha dropped', (file) => rgbaPhoto().then((img) => img.webp({ quality: 85 }).toFile(file))],
  ['grey.jpg', 'one-channel greyscale JPEG: grey repeated into R, G, B', (file) => photo('chelsea.png', 333, 222).toColourspace('b-w').jpeg({ quality: 90 }).toFile(file)],
  ['grey-alpha.png', 'greyscale + alpha PNG (mode LA): alpha dropped', (file) => rgbaPhoto(1).then((img) => img.png().toFile(file))],
  ['cmyk.jpg', 'CMYK JPEG (Adobe, inverted): Pillow cmyk2rgb, no colour profile', (file) => photo('rocket.jpg', 320, 213).toColourspace('cmyk').jpeg({ quality: 92 }).toFile(file)],
  ['rgb16.png', '16-bit RGB PNG: Pillow keeps the high byte of each sample', (file) => sharp(sample('home.jpg')).pipelineColourspace('rgb16').resize(300, 199, { fit: 'cover' }).toColourspace('rgb16').png().toFile(file)],
  ['grey16.png', '16-bit greyscale PNG with values 0..~370: Pillow (mode I;16) clips at 255 instead of scaling', (file) => sharp(sample('fruits.jpg')).pipelineColourspace('grey16').resize(257, 190, { fit: 'cover' }).linear(1 / 128, 0).toColourspace('grey16').png().toFile(file)],
  ...[2, 3, 4, 5, 6, 7, 8].map(oriented),
  ['exif-6-big-2400x1800.jpg', 'EXIF orientation 6 on a photo over the pixel cap (upright 1800x2400): the turn and the downscale together', (file) => photo('stuff.jpg', 2400, 1800).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toFile(file)],
  ['exif-8-wide-2400x600.jpg', 'EXIF orientation 8, stored 2400x600 (upright 600x2400): Pillow runs its vertical pass first on the upright image', (file) => photo('home.jpg', 2400, 600).jpeg({ quality: 90 }).withMetadata({ orientation: 8 }).toFile(file)],
];

/** 300×200 of a photo (colour, or grey with channels 1) with an alpha ramp and a fully transparent band. */
async function rgbaPhoto(channels: 1 | 3 = 3) {
  const width = 300;
  const height = 200;
  const alpha = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) alpha[y * width + x] = y < 40 ? 0 : Math.min(255, Math.round((x * 255) / (width - 1)));
  }
  const base = photo('astronaut.png', width, height).removeAlpha();
  const pixels = await (channels === 1 ? base.toColourspace('b-w') : base).raw().toBuffer();
  return sharp(pixels, { raw: { width, height, channels } }).joinChannel(alpha, { raw: { width, height, channels: 1 } });
}

async function makeRgba(file: string) {
  return (await rgbaPhoto()).png().toFile(file);
}

/** Writes the images into `dir` (created if needed) and lists them. */
export async function writeParityImages(dir: string): Promise<ParityImage[]> {
  await mkdir(dir, { recursive: true });
  const written: ParityImage[] = [];
  for (const [name, note, make] of IMAGES) {
    const file = join(dir, name);
    await make(file);
    written.push({ name, file, note });
  }
  return written;
}
