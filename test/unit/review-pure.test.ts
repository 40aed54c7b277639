// Issue 18's pure rules of the review loop: a proposal's edits after an undo
// step, and what *Fit* shows (amodal boxes past the edge). The handle rules
// are in test/renderer/review-handles.test.ts.
import { describe, expect, it } from 'vitest';
import { fitExtent, fitViewport, fitViewportTo, imageToStage } from '@core/geometry';
import { proposalEditsAfter } from '@core/grounding-ui';

describe('proposalEditsAfter: a proposal edit as an undo step', () => {
  const a = { visible: [1, 2, 3, 4] as [number, number, number, number], amodal: null };
  const b = { visible: [1, 2, 5, 6] as [number, number, number, number], amodal: [0, 0, 9, 9] as [number, number, number, number] };

  it('create and update set the edit, delete drops it; no change keeps the same object', () => {
    const none = {};
    expect(proposalEditsAfter(none, [])).toBe(none);
    const one = proposalEditsAfter(none, [{ type: 'create', after: { id: 7, ...a } }]);
    expect(one).toEqual({ 7: a });
    expect(proposalEditsAfter(one, [{ type: 'update', before: { id: 7, ...a }, after: { id: 7, ...b } }])).toEqual({ 7: b });
    expect(proposalEditsAfter({ 7: b, 8: a }, [{ type: 'delete', before: { id: 7, ...b } }])).toEqual({ 8: a });
    expect(none).toEqual({});
  });
});

describe('Fit: the image and every box past it', () => {
  it('the extent grows by an amodal box past the edge; boxes inside change nothing', () => {
    expect(fitExtent(640, 427, [null, [269, 0, 358, 371], [269, -64, 358, 371]])).toEqual([0, -64, 640, 427]);
    expect(fitExtent(640, 427, [[10, 10, 20, 20], undefined])).toEqual([0, 0, 640, 427]);
  });

  it('fits the extent centred with the padding, and is fitViewport for the image alone', () => {
    expect(fitViewportTo([0, 0, 640, 427], 800, 600)).toEqual(fitViewport(640, 427, 800, 600));
    const vp = fitViewportTo([0, -64, 640, 427], 800, 600);
    const top = imageToStage([0, -64], vp);
    const bottom = imageToStage([640, 427], vp);
    expect(Math.min(top[0], top[1])).toBeGreaterThanOrEqual(16 - 1e-9);
    expect(bottom[0]).toBeLessThanOrEqual(800 - 16 + 1e-9);
    expect(bottom[1]).toBeLessThanOrEqual(600 - 16 + 1e-9);
    expect(Math.abs(top[0] + bottom[0] - 800)).toBeLessThan(1e-9); // centred
  });
});
