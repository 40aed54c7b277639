// EXIF orientation on interleaved pixels, as Pillow's ImageOps.exif_transpose
// applies it: 2 FLIP_LEFT_RIGHT, 3 ROTATE_180, 4 FLIP_TOP_BOTTOM, 5 TRANSPOSE,
// 6 ROTATE_270 (90° clockwise), 7 TRANSVERSE, 8 ROTATE_90; anything else is
// upright already. Pure: pil-resize.ts uses the axis map to resize a stored
// image as if it were upright, and exifTranspose to turn the (small) result.

/** How an upright axis reads the stored image: which stored axis, and whether reversed. */
export interface AxisMap {
  /** The upright x axis runs along the stored y axis (orientations 5 to 8). */
  swapped: boolean;
  /** Upright x runs backwards along its stored axis. */
  mirrorX: boolean;
  /** Upright y runs backwards along its stored axis. */
  mirrorY: boolean;
}

/**
 * Upright pixel (x, y) is stored pixel (sx, sy) with: 2: (W−1−x, y); 3: (W−1−x, H−1−y);
 * 4: (x, H−1−y); 5: (y, x); 6: (y, H−1−x); 7: (W−1−y, H−1−x); 8: (W−1−y, x).
 */
export function axisMap(orientation: number): AxisMap {
  switch (orientation) {
    case 2:
      return { swapped: false, mirrorX: true, mirrorY: false };
    case 3:
      return { swapped: false, mirrorX: true, mirrorY: true };
    case 4:
      return { swapped: false, mirrorX: false, mirrorY: true };
    case 5:
      return { swapped: true, mirrorX: false, mirrorY: false };
    case 6:
      return { swapped: true, mirrorX: true, mirrorY: false };
    case 7:
      return { swapped: true, mirrorX: true, mirrorY: true };
    case 8:
      return { swapped: true, mirrorX: false, mirrorY: true };
    default:
      return { swapped: false, mirrorX: false, mirrorY: false };
  }
}

/** Orientations that move pixels (2 to 8). */
export const isTransposing = (orientation: number): boolean => orientation >= 2 && orientation <= 8;

/** The upright image of stored pixels (width × height as stored), as exif_transpose gives it. */
export function exifTranspose(src: Uint8Array, width: number, height: number, channels: number, orientation: number): { data: Uint8Array; width: number; height: number } {
  const { swapped, mirrorX, mirrorY } = axisMap(orientation);
  if (!isTransposing(orientation)) return { data: src, width, height };
  const outWidth = swapped ? height : width;
  const outHeight = swapped ? width : height;
  const out = new Uint8Array(outWidth * outHeight * channels);
  // Stored offset of upright (x, y) = base + x·dx + y·dy (in pixels).
  const along = (mirror: boolean, size: number, step: number) => (mirror ? { base: (size - 1) * step, step: -step } : { base: 0, step });
  const xs = swapped ? along(mirrorX, height, width) : along(mirrorX, width, 1);
  const ys = swapped ? along(mirrorY, width, 1) : along(mirrorY, height, width);
  let o = 0;
  for (let y = 0; y < outHeight; y++) {
    let s = xs.base + ys.base + y * ys.step;
    if (channels === 3) {
      for (let x = 0; x < outWidth; x++, s += xs.step, o += 3) {
        const p = s * 3;
        out[o] = src[p]!;
        out[o + 1] = src[p + 1]!;
        out[o + 2] = src[p + 2]!;
      }
    } else {
      for (let x = 0; x < outWidth; x++, s += xs.step) for (let c = 0; c < channels; c++) out[o++] = src[s * channels + c]!;
    }
  }
  return { data: out, width: outWidth, height: outHeight };
}
