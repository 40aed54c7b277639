// Image size rules shared by the probe (probe.ts) and the decoders, in a file
// of their own (re-exported by probe.ts) so code that must not load sharp
// statically (the local engine's image worker) can use them.

/** Larger images are refused: decoding one costs > 400 MB and no canvas shows it whole. */
export const MAX_IMAGE_PIXELS = 100_000_000;

/** Orientations 5..8 rotate by 90°, so the displayed width is the stored height. */
export function uprightSize(width: number, height: number, orientation: number): { width: number; height: number } {
  return orientation >= 5 && orientation <= 8 ? { width: height, height: width } : { width, height };
}
