// When a pan or wheel-zoom gesture is on (the overlay canvases are moved, not
// redrawn) and when it settles into one crisp redraw: the real pointer
// controller and view store on a fresh workbench, fake timers for the settle delay.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SETTLE_MS } from '../../renderer/src/state/viewport-gesture';
import { TestWorkbench } from './test-workbench';

let tw: TestWorkbench;
let settled: number;
let off: () => void;
beforeEach(async () => {
  tw = await TestWorkbench.open({ images: ['coffee.png'] });
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  settled = 0;
  off = tw.wb.gesture.onSettle(() => settled++);
});
afterEach(async () => {
  tw.wb.gesture.settle();
  off();
  vi.useRealTimers();
  await tw.dispose();
});

describe('viewport gesture', () => {
  it('is on from the first move and settles once, SETTLE_MS after the last', () => {
    const g = tw.wb.gesture;
    expect(g.active).toBe(false);
    g.move();
    expect(g.active).toBe(true);
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(SETTLE_MS - 10); // moves keep coming: not settled
      g.move();
    }
    expect(settled).toBe(0);
    vi.advanceTimersByTime(SETTLE_MS - 1);
    expect(g.active).toBe(true);
    vi.advanceTimersByTime(1);
    expect(g.active).toBe(false);
    expect(settled).toBe(1);
    vi.advanceTimersByTime(10 * SETTLE_MS);
    expect(settled).toBe(1);
  });

  it('settling at once ends the gesture; with none on it does nothing', () => {
    tw.wb.gesture.settle();
    expect(settled).toBe(0);
    tw.wb.gesture.move();
    tw.wb.gesture.settle();
    expect(settled).toBe(1);
    vi.advanceTimersByTime(SETTLE_MS * 2);
    expect(settled).toBe(1);
  });

  it("a fresh workbench has its own gesture: another's timer never settles it", async () => {
    tw.wb.gesture.move();
    const other = await TestWorkbench.open({ images: [] });
    try {
      expect(other.wb.gesture.active).toBe(false);
      vi.advanceTimersByTime(SETTLE_MS);
      expect(tw.wb.gesture.active).toBe(false); // its own timer still ran
      expect(other.wb.gesture.active).toBe(false);
      expect(settled).toBe(1);
    } finally {
      await other.dispose();
    }
  });

  it('a middle-button pan is a gesture; the view is exact every move, and a drag after it uses the settled view', () => {
    tw.resetRedraws();
    tw.pointerDown(300, 300, { button: 1 });
    expect(tw.wb.gesture.active).toBe(false); // pressing is not moving
    tw.pointerMove(310, 305);
    expect(tw.wb.gesture.active).toBe(true);
    expect(tw.wb.view.getState().vp).toEqual({ scale: 2, x: 20, y: 25 });
    tw.pointerMove(341.5, 310);
    expect(tw.wb.view.getState().vp).toEqual({ scale: 2, x: 51.5, y: 30 });
    tw.pointerUp();
    expect(tw.redraws).toEqual({ boxes: 0, selection: 0, draft: 0, proposals: 0 }); // panning asks no layer for a redraw: CanvasView moves them
    vi.advanceTimersByTime(SETTLE_MS);
    expect(settled).toBe(1);
    // Draw a box right after: image pixels come from the settled viewport.
    tw.keyDown('r');
    tw.pointerDown(...tw.stage(100, 100)).pointerMove(...tw.stage(150, 140));
    expect(tw.wb.gesture.active).toBe(false); // drawing is no view gesture
    expect(tw.redraws.draft).toBe(1);
    expect(tw.wb.scene.draft?.box).toEqual([100, 100, 150, 140]);
  });
});
