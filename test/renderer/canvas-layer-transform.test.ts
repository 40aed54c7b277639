// The geometry that lets a drawn overlay canvas stand in for a moved view
// during a pan or wheel-zoom gesture (renderer/src/canvas/layer-transform.ts).
import { describe, expect, it } from 'vitest';
import { imageToStage, panBy, zoomAt, type Viewport } from '@core/geometry';
import type { Point } from '@core/types';
import { canStandIn, cssTransform, MAX_GAP_PX, MAX_RATIO, movedBy, uncovered } from '../../renderer/src/lib/layer-transform';

const vp0: Viewport = { scale: 2, x: 10, y: 20 };

describe('movedBy', () => {
  it('maps where a point was drawn at vp0 to where vp1 shows it', () => {
    const vp1 = zoomAt(panBy(vp0, 37, -12), 1.3, [200, 150]);
    const m = movedBy(vp0, vp1);
    for (const p of [[0, 0], [123.4, 56.7], [512, 512]] as Point[]) {
      const s0 = imageToStage(p, vp0);
      const s1 = imageToStage(p, vp1);
      expect(s0[0] * m.k + m.dx).toBeCloseTo(s1[0], 9);
      expect(s0[1] * m.k + m.dy).toBeCloseTo(s1[1], 9);
    }
  });

  it('moves a pure pan by whole pixels, within half a pixel of the exact move', () => {
    const m = movedBy(vp0, panBy(vp0, 12.4, -7.6));
    expect(m).toEqual({ k: 1, dx: 12, dy: -8 });
    expect(cssTransform(m)).toBe('matrix(1, 0, 0, 1, 12, -8)');
    expect(cssTransform(movedBy(vp0, vp0))).toBe('none');
  });
});

describe('uncovered', () => {
  it('gives the strips a panned canvas leaves bare, without overlap', () => {
    expect(uncovered({ k: 1, dx: 30, dy: -20 }, 400, 300)).toEqual([
      [0, 280, 400, 300],
      [0, 0, 30, 280],
    ]);
    expect(uncovered({ k: 1, dx: 0, dy: 0 }, 400, 300)).toEqual([]);
    expect(uncovered({ k: 2, dx: -100, dy: -100 }, 400, 300)).toEqual([]); // zoomed in: covered
  });

  it('zooming out leaves a frame of four strips whose areas add up', () => {
    const s = uncovered({ k: 0.5, dx: 100, dy: 75 }, 400, 300);
    expect(s).toHaveLength(4);
    const area = s.reduce((a, r) => a + (r[2] - r[0]) * (r[3] - r[1]), 0);
    expect(area).toBe(400 * 300 - 200 * 150);
  });
});

describe('canStandIn', () => {
  const W = 800;
  const H = 600;
  // A 4000×3000 photo zoomed in so it fills the view and more.
  const big: Viewport = { scale: 1, x: -1000, y: -1000 };

  it('stands in for small pans and zooms, not beyond the zoom ratio', () => {
    expect(canStandIn(big, panBy(big, 10, -10), W, H, 4000, 3000)).toBe(true);
    expect(canStandIn(big, zoomAt(big, 1.2, [400, 300]), W, H, 4000, 3000)).toBe(true);
    expect(canStandIn(big, zoomAt(big, MAX_RATIO * 1.01, [400, 300]), W, H, 4000, 3000)).toBe(false);
    expect(canStandIn(big, zoomAt(big, 1 / (MAX_RATIO * 1.01), [400, 300]), W, H, 4000, 3000)).toBe(false);
  });

  it('not once a bare strip over the image is wider than MAX_GAP_PX', () => {
    expect(canStandIn(big, panBy(big, MAX_GAP_PX, 0), W, H, 4000, 3000)).toBe(true);
    expect(canStandIn(big, panBy(big, MAX_GAP_PX + 2, 0), W, H, 4000, 3000)).toBe(false);
  });

  it('any pan while the whole image is in view: the bare strips hold none of it', () => {
    const fitted: Viewport = { scale: 0.1, x: 200, y: 150 }; // 400×300 on screen, centred
    expect(canStandIn(fitted, panBy(fitted, 150, -120), W, H, 4000, 3000)).toBe(true);
    expect(canStandIn(fitted, panBy(fitted, -260, 0), W, H, 4000, 3000)).toBe(true);
    // An image wider than the view: panning it left bares a strip of it on the right.
    const wide: Viewport = { scale: 0.2, x: 200, y: 0 }; // 800 px wide from x=200
    expect(canStandIn(wide, panBy(wide, -100, 0), W, H, 4000, 3000)).toBe(false);
    expect(canStandIn(wide, panBy(wide, 100, 0), W, H, 4000, 3000)).toBe(true);
  });
});
