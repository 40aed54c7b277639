import { describe, expect, it } from 'vitest';
import { iou } from '@core/egm/iou';
import { fuseBoxes } from '@core/egm/fuse';

describe('iou and Acc@0.5', () => {
  it('computes continuous IoU', () => {
    expect(iou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
    expect(iou([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(50 / 150);
    expect(iou([0, 0, 10, 10], [20, 20, 30, 30])).toBe(0);
    expect(iou([0, 0, 10, 10], [10, 0, 20, 10])).toBe(0); // touching edges
  });

  it('scores no box and swapped boxes as 0', () => {
    expect(iou(null, [0, 0, 1, 1])).toBe(0);
    expect(iou([10, 10, 0, 0], [0, 0, 10, 10])).toBe(0);
    expect(iou([0, 0, 0, 0], [0, 0, 0, 0])).toBe(0);
  });

  it('counts a hit only when IoU is strictly above 0.5', () => {
    // IoU exactly 0.5: [0,0,10,10] vs [0,0,10,20] → 100/200.
    expect(iou([0, 0, 10, 10], [0, 0, 10, 20])).toBe(0.5);
  });
});

describe('fuseBoxes', () => {
  it('returns null for no boxes', () => {
    expect(fuseBoxes([])).toBeNull();
  });

  it('takes the coordinate-wise median and ignores a wild sample', () => {
    const fused = fuseBoxes([
      [10, 10, 50, 50],
      [12, 8, 52, 50],
      [900, 900, 990, 990],
    ])!;
    expect(fused.box).toEqual([12, 10, 52, 50]);
    expect(fused.count).toBe(3);
    expect(fused.agreement).toBeGreaterThan(0.5);
    expect(fused.agreement).toBeLessThan(0.7);
  });

  it('averages the middle two for an even count', () => {
    expect(fuseBoxes([[0, 0, 10, 10], [2, 2, 12, 12]])!.box).toEqual([1, 1, 11, 11]);
  });

  it('agreement is 1 when all samples coincide', () => {
    expect(fuseBoxes([[1, 2, 3, 4], [1, 2, 3, 4]])!.agreement).toBe(1);
  });

  it('skips malformed samples', () => {
    expect(fuseBoxes([[1, 2, 3], [1, 2, 3, NaN], [0, 0, 5, 5]])).toEqual({ box: [0, 0, 5, 5], agreement: 1, count: 1 });
  });
});
