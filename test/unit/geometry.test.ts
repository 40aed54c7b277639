import { describe, expect, it } from 'vitest';
import {
  actualSize,
  boxFromPoints,
  clampBox,
  containsPoint,
  enforceAmodal,
  fitViewport,
  handleAt,
  handlePoints,
  hitTest,
  imageToStage,
  moveBoxWithin,
  normalizeBox,
  resizeBox,
  stageToImage,
  unionBox,
  zoomAt,
  type Viewport,
} from '@core/geometry';
import type { Box, Point } from '@core/types';

describe('stage <-> image transform', () => {
  const vp: Viewport = { scale: 2.5, x: -40, y: 17 };

  it('round-trips points', () => {
    const p: Point = [123.4, 56.7];
    const back = stageToImage(imageToStage(p, vp), vp);
    expect(back[0]).toBeCloseTo(p[0], 9);
    expect(back[1]).toBeCloseTo(p[1], 9);
  });

  it('maps image origin to the viewport offset and scales distances', () => {
    expect(imageToStage([0, 0], vp)).toEqual([-40, 17]);
    expect(imageToStage([10, 0], vp)).toEqual([-15, 17]);
  });

  it('zoomAt keeps the image point under the cursor fixed', () => {
    const cursor: Point = [300, 200];
    const before = stageToImage(cursor, vp);
    const z = zoomAt(vp, 1.7, cursor);
    expect(z.scale).toBeCloseTo(4.25);
    const after = stageToImage(cursor, z);
    expect(after[0]).toBeCloseTo(before[0], 9);
    expect(after[1]).toBeCloseTo(before[1], 9);
  });

  it('zoomAt clamps the scale', () => {
    expect(zoomAt(vp, 1e9, [0, 0]).scale).toBe(64);
    expect(zoomAt(vp, 1e-9, [0, 0]).scale).toBe(0.02);
  });

  it('fit centres the whole image with padding', () => {
    const f = fitViewport(1000, 500, 800, 600, 0);
    expect(f.scale).toBeCloseTo(0.8);
    expect(f.x).toBeCloseTo(0);
    expect(f.y).toBeCloseTo((600 - 400) / 2);
    // The view's left and right edges land on the image's.
    expect(stageToImage([0, 0], f)[0]).toBeCloseTo(0);
    expect(stageToImage([800, 600], f)[0]).toBeCloseTo(1000);
  });

  it('1:1 sets scale 1 around the view centre', () => {
    const f = fitViewport(1000, 500, 800, 600, 0);
    const centre = stageToImage([400, 300], f);
    const one = actualSize(f, 800, 600);
    expect(one.scale).toBe(1);
    const c2 = stageToImage([400, 300], one);
    expect(c2[0]).toBeCloseTo(centre[0]);
    expect(c2[1]).toBeCloseTo(centre[1]);
  });
});

describe('boxes', () => {
  it('normalises reversed corners', () => {
    expect(normalizeBox([10, 20, 5, 2])).toEqual([5, 2, 10, 20]);
    expect(boxFromPoints([9, 1], [3, 4])).toEqual([3, 1, 9, 4]);
  });

  it('clamps into the image', () => {
    expect(clampBox([-5, 10, 700, -3], 640, 480)).toEqual([0, 0, 640, 10]);
  });

  it('moves within the image keeping size', () => {
    expect(moveBoxWithin([10, 10, 30, 40], -50, 5, 100, 100)).toEqual([0, 15, 20, 45]);
    expect(moveBoxWithin([10, 10, 30, 40], 100, 100, 100, 100)).toEqual([80, 70, 100, 100]);
  });

  it('amodal grows to contain the visible box unless forced', () => {
    const visible: Box = [10, 10, 50, 50];
    const amodal: Box = [20, 0, 80, 40];
    const grown = enforceAmodal(amodal, visible);
    expect(grown).toEqual([10, 0, 80, 50]);
    expect(unionBox(grown, visible)).toEqual(grown); // grown contains visible
    expect(enforceAmodal(amodal, visible, true)).toEqual(amodal);
    expect(unionBox(amodal, visible)).not.toEqual(amodal);
  });
});

describe('handles', () => {
  const b: Box = [0, 0, 100, 50];

  it('lists 8 handles at corners and edge midpoints', () => {
    const h = handlePoints(b);
    expect(Object.keys(h)).toHaveLength(8);
    expect(h.n).toEqual([50, 0]);
    expect(h.se).toEqual([100, 50]);
    expect(h.w).toEqual([0, 25]);
  });

  it('finds the handle near a point', () => {
    expect(handleAt(b, [98, 49], 4)).toBe('se');
    expect(handleAt(b, [51, 2], 4)).toBe('n');
    expect(handleAt(b, [50, 25], 4)).toBeNull();
  });

  it('resizes from each kind of handle', () => {
    expect(resizeBox(b, 'e', [120, 999])).toEqual([0, 0, 120, 50]);
    expect(resizeBox(b, 'nw', [10, 5])).toEqual([10, 5, 100, 50]);
    expect(resizeBox(b, 's', [999, 80])).toEqual([0, 0, 100, 80]);
  });

  it('flips when dragged past the opposite edge', () => {
    expect(resizeBox(b, 'w', [130, 0])).toEqual([100, 0, 130, 50]);
  });
});

describe('point in box (the one rule: hit test, proposal drag, point hint)', () => {
  it('includes the border, honours slack and reads a box with swapped corners as the same box', () => {
    expect(containsPoint([0, 0, 10, 10], [10, 10])).toBe(true);
    expect(containsPoint([0, 0, 10, 10], [10.5, 5])).toBe(false);
    expect(containsPoint([0, 0, 10, 10], [10.5, 5], 1)).toBe(true);
    // Before, geometry's containsPoint said no here while grounding-ui's pointInBox said yes.
    expect(containsPoint([10, 10, 0, 0], [5, 5])).toBe(true);
    expect(containsPoint([10, 10, 0, 0], [11, 5])).toBe(false);
  });
});

describe('hit test and culling', () => {
  const items = [
    { id: 1, box: [0, 0, 100, 100] as Box },
    { id: 2, box: [20, 20, 40, 40] as Box },
    { id: 3, box: [500, 500, 600, 600] as Box },
  ];

  it('picks the smallest box containing the point', () => {
    expect(hitTest(items, (i) => i.box, [30, 30])?.id).toBe(2);
    expect(hitTest(items, (i) => i.box, [80, 80])?.id).toBe(1);
    expect(hitTest(items, (i) => i.box, [300, 300])).toBeNull();
    expect(hitTest(items, (i) => i.box, [101, 50], 2)?.id).toBe(1);
  });
});
