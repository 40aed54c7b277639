// EXIF orientation as Pillow's ImageOps.exif_transpose applies it, and the
// resize that reads stored pixels as if upright (pil-resize.ts resizeUpright).
import { describe, expect, it } from 'vitest';
import { exifTranspose } from '../../electron/images/orientation';
import { resizeBicubic, resizeUpright } from '../../electron/images/pil-resize';

describe('exifTranspose', () => {
  // Pillow's Image.transpose of the 3×2 image [[0 1 2] [3 4 5]] for each orientation's method.
  const pillow: Record<number, [number, number, number[]]> = {
    2: [3, 2, [2, 1, 0, 5, 4, 3]],
    3: [3, 2, [5, 4, 3, 2, 1, 0]],
    4: [3, 2, [3, 4, 5, 0, 1, 2]],
    5: [2, 3, [0, 3, 1, 4, 2, 5]],
    6: [2, 3, [3, 0, 4, 1, 5, 2]],
    7: [2, 3, [5, 2, 4, 1, 3, 0]],
    8: [2, 3, [2, 5, 1, 4, 0, 3]],
  };
  it.each(Object.entries(pillow))('orientation %s as Pillow', (o, [width, height, values]) => {
    const grey = exifTranspose(Uint8Array.from([0, 1, 2, 3, 4, 5]), 3, 2, 1, Number(o));
    expect([grey.width, grey.height, Array.from(grey.data)]).toEqual([width, height, values]);
    // RGB: the same move of whole pixels.
    const rgb = exifTranspose(Uint8Array.from([0, 1, 2, 3, 4, 5].flatMap((v) => [v, v + 10, v + 20])), 3, 2, 3, Number(o));
    expect(Array.from(rgb.data)).toEqual(values.flatMap((v) => [v, v + 10, v + 20]));
  });
  it('leaves orientation 1 and unknown values as they are', () => {
    const src = Uint8Array.from([1, 2, 3]);
    expect(exifTranspose(src, 3, 1, 1, 1).data).toBe(src);
    expect(exifTranspose(src, 3, 1, 1, 9).data).toBe(src);
  });
});

describe('resizeUpright', () => {
  const src = Uint8Array.from({ length: 61 * 37 * 3 }, (_, i) => (Math.imul(i, 2654435761) >>> 24) & (i % 5 ? 255 : 0));
  // Up, down, one axis, and sizes that put Pillow's vertical pass first in upright terms.
  const targets: [number, number][] = [[50, 70], [20, 12], [37, 90], [61, 20], [16, 61], [200, 130], [30, 5]];
  for (const simd of [true, false]) {
    it(`equals exif_transpose then resize, all orientations (simd ${simd})`, () => {
      for (let o = 1; o <= 8; o++) {
        const upright = exifTranspose(src, 61, 37, 3, o);
        for (const [ow, oh] of [...targets, [upright.width, upright.height] as [number, number]]) {
          const expected = resizeBicubic(upright.data, upright.width, upright.height, 3, ow, oh, { simd: false });
          const got = resizeUpright(src, 61, 37, 3, o, ow, oh, { simd });
          expect(Buffer.from(got).equals(Buffer.from(expected)), `orientation ${o} -> ${ow}x${oh}`).toBe(true);
        }
      }
    });
  }
});
