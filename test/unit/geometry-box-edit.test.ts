import { describe, expect, it } from 'vitest';
import { moveObject, resizeObject } from '@core/box-edit';
import { unionBox } from '@core/geometry';
import type { Box } from '@core/types';

const obj = { id: 7, visible: [10, 10, 50, 50] as Box, amodal: [5, 5, 70, 60] as Box | null };

describe('moving an object', () => {
  it('moves both boxes together', () => {
    const m = moveObject(obj, 'visible', 10, 5, 200, 200);
    expect(m.visible).toEqual([20, 15, 60, 55]);
    expect(m.amodal).toEqual([15, 10, 80, 65]);
    expect(m.id).toBe(7);
  });

  it('stops when the visible box reaches the image edge; the amodal box may go past it', () => {
    const m = moveObject(obj, 'visible', -100, 0, 200, 200);
    expect(m.visible[0]).toBe(0);
    expect(m.amodal![0]).toBe(-5);
  });

  it('an amodal box already past the edge moves by the drag, no jump (the union of the two boxes is wider than the image)', () => {
    const past = { visible: [10, 10, 50, 50] as Box, amodal: [-150, 0, 50, 60] as Box | null };
    const m = moveObject(past, 'visible', 3, 2, 200, 100);
    expect(m.visible).toEqual([13, 12, 53, 52]);
    expect(m.amodal).toEqual([-147, 2, 53, 62]);
  });

  it('the amodal box stops at its bound (one image size past the edge)', () => {
    const past = { visible: [150, 10, 190, 50] as Box, amodal: [-150, 0, 190, 60] as Box | null };
    const m = moveObject(past, 'visible', -100, 0, 200, 100);
    expect(m.amodal![0]).toBe(-200);
    expect(m.visible).toEqual([100, 10, 140, 50]); // held back with it: the two boxes keep their offset
    expect(moveObject(past, 'amodal', -100, 0, 200, 100, true).amodal).toEqual([-200, 0, 140, 60]);
  });

  it('moving the amodal box alone keeps it around the visible box unless forced', () => {
    const m = moveObject(obj, 'amodal', 30, 0, 200, 200);
    expect(unionBox(m.amodal!, m.visible)).toEqual(m.amodal); // still contains the visible box
    expect(m.visible).toEqual(obj.visible);
    const forced = moveObject(obj, 'amodal', 30, 0, 200, 200, true);
    expect(forced.amodal).toEqual([35, 5, 100, 60]);
  });
});

describe('resizing an object', () => {
  it('growing the visible box grows the amodal box with it', () => {
    const r = resizeObject(obj, 'visible', 'se', [90, 80]);
    expect(r.visible).toEqual([10, 10, 90, 80]);
    expect(r.amodal).toEqual([5, 5, 90, 80]);
  });

  it('with force the amodal box is left alone', () => {
    expect(resizeObject(obj, 'visible', 'se', [90, 80], true).amodal).toEqual(obj.amodal);
  });

  it('shrinking the amodal box inside the visible box is refused unless forced', () => {
    const r = resizeObject(obj, 'amodal', 'nw', [30, 30]);
    expect(r.amodal).toEqual([10, 10, 70, 60]);
    expect(resizeObject(obj, 'amodal', 'nw', [30, 30], true).amodal).toEqual([30, 30, 70, 60]);
  });

  it('an object without an amodal box has no amodal handles to drag', () => {
    const r = resizeObject({ visible: [0, 0, 10, 10] as Box, amodal: null }, 'amodal', 'e', [20, 5]);
    expect(r).toEqual({ visible: [0, 0, 10, 10], amodal: null });
  });
});
