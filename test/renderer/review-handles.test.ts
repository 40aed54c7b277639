// Issue 18: which of two handles a press takes (the nearer; a tie to the
// kind being edited; past the image edge or with Alt, the amodal twin) and
// where a drag lands (whole pixels). Pure functions of renderer/src/lib/handles.ts.
import { describe, expect, it } from 'vitest';
import { dragged, draggedPart, handleUnder, wholePixel } from '../../renderer/src/lib/handles';

const IMG = { width: 640, height: 427 };

describe('handleUnder: the nearer handle wins, a tie goes to the kind being edited', () => {
  // At fit zoom (scale ~1) the reach is 8 image px: handles 2 px apart are both within it.
  const twoApart = { visible: [300, 100, 400, 214] as [number, number, number, number], amodal: [300, 100, 400, 216] as [number, number, number, number] };

  it('takes the amodal handle pressed on, not the visible one 2 px away (it used to)', () => {
    expect(handleUnder(twoApart, [350, 216], 1)).toEqual({ part: 'amodal', handle: 's' });
    expect(handleUnder(twoApart, [350, 214], 1)).toEqual({ part: 'visible', handle: 's' });
    expect(handleUnder(twoApart, [350, 215.2], 1)).toEqual({ part: 'amodal', handle: 's' });
  });

  it('on a tie (the boxes meet there) takes the kind being edited; a visible win names its amodal twin', () => {
    const same = { visible: [64, 0, 192, 384] as [number, number, number, number], amodal: [64, 0, 192, 384] as [number, number, number, number] };
    expect(handleUnder(same, [128, 0], 1)).toEqual({ part: 'visible', handle: 'n', amodalTwin: 'n' });
    expect(handleUnder(same, [128, 0], 1, 'amodal')).toEqual({ part: 'amodal', handle: 'n' });
    expect(handleUnder(same, [128, 3], 1, 'visible')).toEqual({ part: 'visible', handle: 'n', amodalTwin: 'n' });
  });

  it('takes the amodal handle when no visible one is within reach, and nothing far from both', () => {
    expect(handleUnder({ visible: [30, 30, 60, 60], amodal: [20, 20, 80, 80] }, [20, 20], 2)).toEqual({ part: 'amodal', handle: 'nw' });
    expect(handleUnder({ visible: [30, 30, 60, 60], amodal: null }, [45, 45], 2)).toBeNull();
  });
});

describe('draggedPart and dragged: past the edge or with Alt, a tie goes to the amodal twin', () => {
  const same = { visible: [64, 0, 192, 384] as [number, number, number, number], amodal: [64, 0, 192, 384] as [number, number, number, number] };
  const grab = { part: 'visible' as const, handle: 'n' as const, amodalTwin: 'n' as const };

  it('inside the image the visible box is dragged; past the edge, or with Alt, the amodal one', () => {
    expect(draggedPart(grab, [128, 20], IMG, false).part).toBe('visible');
    expect(draggedPart(grab, [128, -30], IMG, false)).toEqual({ part: 'amodal', handle: 'n' });
    expect(draggedPart(grab, [128, 20], IMG, true)).toEqual({ part: 'amodal', handle: 'n' });
  });

  it('a drag up past the top edge extends the amodal box and leaves the visible box at the edge', () => {
    expect(dragged(same, grab, [128, 0], [128, -40.4], IMG, false)).toEqual({ visible: [64, 0, 192, 384], amodal: [64, -40, 192, 384] });
    // Alt inside the image: the amodal box alone moves, even inward (it may part from the visible box).
    expect(dragged(same, grab, [128, 0], [128, 20], IMG, true)).toEqual({ visible: [64, 0, 192, 384], amodal: [64, 20, 192, 384] });
    // Without either, the visible box (and the amodal box grows with it).
    expect(dragged(same, grab, [128, 0], [128, 20], IMG, false)).toEqual({ visible: [64, 20, 192, 384], amodal: [64, 0, 192, 384] });
  });

  it('lands on whole pixels: a handle at the nearest pixel, a move by whole pixels (a fractional edge it carries keeps its value)', () => {
    expect(wholePixel([338.4, -0.2])).toEqual([338, 0]);
    expect(Object.is(wholePixel([-0.2, 0])[0], -0)).toBe(false);
    const box = { visible: [10.25, 10, 50, 50] as [number, number, number, number], amodal: null };
    expect(dragged(box, { part: 'visible', handle: 'se' }, [50, 50], [338.4, 60.6], IMG, false).visible).toEqual([10.25, 10, 338, 61]);
    expect(dragged(box, { part: 'visible', handle: null }, [20, 20], [25.4, 22.6], IMG, false).visible).toEqual([15.25, 13, 55, 53]);
  });
});

