// When a pan or wheel-zoom gesture is on (the overlay canvases are moved, not
// redrawn) and when it settles into one crisp redraw: the real pointer
// controller and view store, fake timers for the settle delay.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImageRecord } from '../../electron/core/types';
import { gesture, gestureMove, onGestureSettle, SETTLE_MS, settleGesture } from '../../renderer/src/state/viewport-gesture';

interface Ctl {
  down(p: [number, number], button: number, mods: { shift: boolean; alt: boolean }): void;
  move(p: [number, number], mods: { shift: boolean; alt: boolean }): void;
  up(p: [number, number], mods: { shift: boolean; alt: boolean }): void;
}
interface Store<S> {
  getState(): S;
  setState(p: Partial<S>): void;
}
// Loaded by computed paths (like history-drag.test.ts) so the Node typecheck skips DOM-typed code.
const R = '../../renderer/src/';
let Pointer: new (redraw: (what: string) => void) => Ctl;
let useApp: Store<{ annotations: unknown[]; selection: number[]; tool: string; images: ImageRecord[]; currentImageId: number | null }>;
let useView: Store<{ vp: { scale: number; x: number; y: number } }>;
let scene: { draft: { box: number[] } };

const image: ImageRecord = { id: 1, path: 'a.jpg', fileName: 'a.jpg', width: 400, height: 300, orientation: 1, status: 'in-progress', missing: false, annotationCount: 0, unreviewedCount: 0, proposalCount: 0 };
const no = { shift: false, alt: false };

beforeAll(async () => {
  (globalThis as unknown as { window: unknown }).window = { egm: new Proxy({}, { get: () => async () => ({}) }) };
  ({ PointerController: Pointer } = await import(/* @vite-ignore */ `${R}canvas/pointer`));
  ({ useApp } = await import(/* @vite-ignore */ `${R}state/store`));
  ({ useView } = await import(/* @vite-ignore */ `${R}state/view`));
  ({ scene } = await import(/* @vite-ignore */ `${R}canvas/scene`));
});

let settled: number;
let off: () => void;
beforeEach(() => {
  vi.useFakeTimers();
  settled = 0;
  off = onGestureSettle(() => settled++);
  useApp.setState({ images: [image], currentImageId: 1, annotations: [], selection: [], tool: 'select' });
  useView.setState({ vp: { scale: 2, x: 10, y: 20 } });
});
afterEach(() => {
  settleGesture();
  off();
  vi.useRealTimers();
});

describe('viewport gesture', () => {
  it('is on from the first move and settles once, SETTLE_MS after the last', () => {
    expect(gesture.active).toBe(false);
    gestureMove();
    expect(gesture.active).toBe(true);
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(SETTLE_MS - 10); // moves keep coming: not settled
      gestureMove();
    }
    expect(settled).toBe(0);
    vi.advanceTimersByTime(SETTLE_MS - 1);
    expect(gesture.active).toBe(true);
    vi.advanceTimersByTime(1);
    expect(gesture.active).toBe(false);
    expect(settled).toBe(1);
    vi.advanceTimersByTime(10 * SETTLE_MS);
    expect(settled).toBe(1);
  });

  it('settling at once ends the gesture; with none on it does nothing', () => {
    settleGesture();
    expect(settled).toBe(0);
    gestureMove();
    settleGesture();
    expect(settled).toBe(1);
    vi.advanceTimersByTime(SETTLE_MS * 2);
    expect(settled).toBe(1);
  });

  it('a middle-button pan is a gesture; the view is exact every move, and a drag after it uses the settled view', () => {
    const redraws: string[] = [];
    const ctl = new Pointer((what) => redraws.push(what));
    ctl.down([300, 300], 1, no);
    expect(gesture.active).toBe(false); // pressing is not moving
    ctl.move([310, 305], no);
    expect(gesture.active).toBe(true);
    expect(useView.getState().vp).toEqual({ scale: 2, x: 20, y: 25 });
    ctl.move([341.5, 310], no);
    expect(useView.getState().vp).toEqual({ scale: 2, x: 51.5, y: 30 });
    ctl.up([341.5, 310], no);
    expect(redraws).toEqual([]); // panning asks no layer for a redraw: CanvasView moves them
    vi.advanceTimersByTime(SETTLE_MS);
    expect(settled).toBe(1);
    // Draw a box right after: image pixels come from the settled viewport.
    useApp.setState({ tool: 'visible' });
    const at = (x: number, y: number): [number, number] => [x * 2 + 51.5, y * 2 + 30];
    ctl.down(at(100, 100), 0, no);
    ctl.move(at(150, 140), no);
    expect(gesture.active).toBe(false); // drawing is no view gesture
    expect(redraws).toEqual(['draft']);
    expect(scene.draft.box).toEqual([100, 100, 150, 140]);
  });
});
