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
import sharp from 'sharp';
import { decodeSamplesWith } from './decode-samples';
import { pillowRgbOf, type StoredRgb, type StoredSamples } from './pil-pixels';

export type { StoredRgb, StoredSamples } from './pil-pixels';
export { readBmp } from './decode-samples';

/** Decodes `path` at full size; failures are ImageProblems with a one-line reason. */
export async function decodeLikePillow(path: string): Promise<StoredRgb> {
  return pillowRgbOf(await decodeSamples(path), path);
}

/** The decode itself (libvips, on its own threads; a BMP here); failures are ImageProblems. */
export function decodeSamples(path: string): Promise<StoredSamples> {
  return decodeSamplesWith(sharp, path);
}
