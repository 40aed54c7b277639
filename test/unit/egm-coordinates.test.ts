import { describe, expect, it } from 'vitest';
import { scoringBox, toAmodalPixelBox, toGrid, toPixelBox } from '@core/egm/coordinates';

describe('toPixelBox: the authors scoring rules', () => {
  it('scales x by W/1000 and y by H/1000 and rounds', () => {
    expect(toPixelBox([100, 200, 500, 750], 640, 480)).toEqual([64, 96, 320, 360]);
    expect(toPixelBox([333, 333, 667, 667], 100, 50)).toEqual([33, 17, 67, 33]);
  });

  it('clamps to [0, 1000] before scaling', () => {
    expect(toPixelBox([-50, -1, 1200, 5000], 200, 100)).toEqual([0, 0, 199, 99]);
  });

  it('clips to W-1 / H-1 after scaling (1000 maps to the last pixel)', () => {
    expect(toPixelBox([0, 0, 1000, 1000], 640, 480)).toEqual([0, 0, 639, 479]);
    expect(toPixelBox([999.9, 999.9, 1000, 1000], 640, 480)).toEqual([639, 479, 640, 480]);
  });

  it('widens a zero-width or zero-height box by one pixel', () => {
    expect(toPixelBox([500, 100, 500, 900], 640, 480)).toEqual([320, 48, 321, 432]);
    expect(toPixelBox([100, 500, 900, 500], 640, 480)).toEqual([64, 240, 576, 241]);
    expect(toPixelBox([501, 500, 502, 500], 10, 10)).toEqual([5, 5, 6, 6]);
  });

  it('does not swap x1 > x2 or y1 > y2', () => {
    expect(toPixelBox([800, 900, 200, 100], 1000, 1000)).toEqual([800, 900, 200, 100]);
  });

  it('treats Qwen2.5-style absolute numbers as 0–1000 (clamped, not rescaled)', () => {
    expect(toPixelBox([1200, 800, 1920, 1080], 1920, 1080)).toEqual([1919, 864, 1919 + 1, 1079]);
  });

  it('rounds half up and handles decimals', () => {
    expect(toPixelBox([2.5, 0, 7.5, 10], 200, 100)).toEqual([1, 0, 2, 1]); // 0.5 → 1, 1.5 → 2
    expect(toPixelBox([10.4, 10.6, 20, 20], 1000, 1000)).toEqual([10, 11, 20, 20]);
  });

  it('uses the upright original size, so a downscaled model input maps back exactly', () => {
    // A 4000x3000 photo seen as 1154x866: the answer is relative, so the mapping uses 4000x3000.
    expect(toPixelBox([250, 250, 750, 750], 4000, 3000)).toEqual([1000, 750, 3000, 2250]);
    // EXIF-rotated portrait: upright 3000 wide, 4000 tall.
    expect(toPixelBox([250, 250, 750, 750], 3000, 4000)).toEqual([750, 1000, 2250, 3000]);
  });

  it('handles a 1x1 image', () => {
    expect(toPixelBox([0, 0, 1000, 1000], 1, 1)).toEqual([0, 0, 1, 1]);
  });

  it('throws, naming the problem, on bad input', () => {
    expect(() => toPixelBox([1, 2, 3], 10, 10)).toThrow(/four finite numbers/);
    expect(() => toPixelBox([1, 2, 3, NaN], 10, 10)).toThrow(/four finite numbers/);
    expect(() => toPixelBox([1, 2, 3, 4], 0, 10)).toThrow(/image size/);
  });
});

describe('toAmodalPixelBox: an amodal answer keeps what lies past the frame (issue 18, item 1)', () => {
  it('keeps a value below 0 or above 1000 as answered: "the rocket amodally" on the 640×427 rocket', () => {
    // It became 269,0 → 358,371 with the scoring clamp; the object's top is cut by the frame.
    expect(toAmodalPixelBox([420, -150, 560, 870], 640, 427)).toEqual([269, -64, 358, 371]);
    expect(toAmodalPixelBox([-100, 0, 1250, 1000], 200, 100)).toEqual([-20, 0, 250, 99]);
  });

  it('maps a value inside [0, 1000] exactly as the visible box is mapped (they meet at the edge)', () => {
    for (const box of [[0, 0, 1000, 1000], [100, 200, 500, 750], [999.9, 999.9, 1000, 1000], [2.5, 0, 7.5, 10]]) {
      expect(toAmodalPixelBox(box, 640, 480)).toEqual(toPixelBox(box, 640, 480));
    }
  });

  it('holds a box to the amodal bound, one image size past each edge', () => {
    expect(toAmodalPixelBox([-5000, -1001, 9000, 2000], 200, 100)).toEqual([-200, -100, 400, 200]);
  });

  it('widens a zero-width box by one pixel, inward at the bound; never -0', () => {
    expect(toAmodalPixelBox([-300, -300, -300, 10], 10, 10)).toEqual([-3, -3, -2, 0]);
    expect(toAmodalPixelBox([3000, 0, 3000, 500], 10, 10)).toEqual([19, 0, 20, 5]);
    expect(Object.is(toAmodalPixelBox([-0.1, 0, 10, 10], 100, 100)[0], -0)).toBe(false);
  });

  it('throws on bad input as toPixelBox does', () => {
    expect(() => toAmodalPixelBox([1, 2, 3], 10, 10)).toThrow(/four finite numbers/);
    expect(() => toAmodalPixelBox([1, 2, 3, 4], 10, 0)).toThrow(/image size/);
  });
});

describe('scoringBox: the box the authors score, from either mapping', () => {
  it('equals the authors\' clamped mapping of the same answer, past the edge or not', () => {
    const sizes = [[640, 427], [1, 1], [10, 10], [1920, 1080], [333, 777]] as const;
    const values = [-5000, -1000, -150, -0.4, 0, 0.4, 2.5, 333, 500, 999.4, 999.9, 1000, 1000.3, 1001, 1500, 2000, 9000];
    for (const [w, h] of sizes) {
      for (const a of values) {
        for (const b of values) {
          for (const [c, d] of [[a, b], [a + 250, b + 10], [1000, 1000], [2500, -20]]) {
            const answer = [a, b, c!, d!];
            expect(scoringBox(toAmodalPixelBox(answer, w, h), w, h), `${answer} on ${w}x${h}`).toEqual(toPixelBox(answer, w, h));
            expect(scoringBox(toPixelBox(answer, w, h), w, h)).toEqual(toPixelBox(answer, w, h));
          }
        }
      }
    }
  });
});

describe('toGrid: pixel point → 0–1000 hint', () => {
  it('is the inverse scaling, rounded and clamped', () => {
    expect(toGrid([320, 240], 640, 480)).toEqual([500, 500]);
    expect(toGrid([0, 479], 640, 480)).toEqual([0, 998]);
    expect(toGrid([-10, 1e6], 640, 480)).toEqual([0, 1000]);
    expect(toGrid([1, 1], 3, 3)).toEqual([333, 333]);
  });

  it('round-trips with toPixelBox to within one pixel', () => {
    for (const [w, h] of [[640, 480], [1920, 1080], [333, 777]] as const) {
      for (const [x, y] of [[10, 20], [w / 2, h / 3], [w - 2, h - 2]]) {
        const [gx, gy] = toGrid([x!, y!], w, h);
        const [px, py] = toPixelBox([gx, gy, gx, gy], w, h);
        expect(Math.abs(px - x!)).toBeLessThanOrEqual(Math.ceil(w / 2000) + 1);
        expect(Math.abs(py - y!)).toBeLessThanOrEqual(Math.ceil(h / 2000) + 1);
      }
    }
  });

  it('throws on a non-finite point', () => {
    expect(() => toGrid([NaN, 1], 10, 10)).toThrow(/finite point/);
  });
});
