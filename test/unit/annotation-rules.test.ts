// The rules both processes apply to an annotation (electron/core/annotation-rules.ts):
// colour choice and the occluded flag. Before, the renderer and the store each
// had their own, and they disagreed in the cases below.
import { describe, expect, it } from 'vitest';
import { PALETTE, countColors, isOccluded, pickColor } from '@core/annotation-rules';

describe('colour of a new annotation', () => {
  it('takes the first unused colour', () => {
    expect(pickColor(new Map())).toBe(PALETTE[0]);
    expect(pickColor(countColors([PALETTE[0]!, PALETTE[2]!]))).toBe(PALETTE[1]);
  });

  it('once every colour is used, takes the least used one (not the box count modulo the palette)', () => {
    // 13 boxes: every colour once, PALETTE[1] twice. The renderer's old rule
    // gave PALETTE[13 % 12] = PALETTE[1], a third box of the same colour.
    const colors = [...PALETTE, PALETTE[1]!];
    expect(pickColor(countColors(colors))).toBe(PALETTE[0]);
  });

  it('is one palette: the store and the canvas draw from the same colours', () => {
    expect(new Set(PALETTE).size).toBe(PALETTE.length);
    expect(PALETTE).toContain('#4fc3f7');
  });
});

describe('occluded', () => {
  it('counts only an amodal box clearly (> 2%) larger than the visible one', () => {
    expect(isOccluded([0, 0, 100, 100], [0, 0, 100, 101])).toBe(false);
    expect(isOccluded([0, 0, 100, 100], [0, 0, 100, 120])).toBe(true);
    expect(isOccluded([0, 0, 100, 100], null)).toBe(false);
  });

  it('does not flag a drawn amodal box that sticks out by a pixel (the renderer did before)', () => {
    expect(isOccluded([0, 0, 100, 100], [-1, 0, 100, 100])).toBe(false);
  });

  it('does not flag a model amodal box a pixel off on every side (separate queries jitter)', () => {
    expect(isOccluded([10, 10, 110, 110], [9.5, 10.5, 110.5, 109.5])).toBe(false);
  });
});
