// Whether the view is in the middle of a pan or wheel-zoom gesture. While it
// is, the canvas moves its last crisp bitmap of the boxes instead of drawing
// 2,000 boxes again each frame (canvas/gesture-layers.ts); SETTLE_MS after the
// last move the gesture ends and the settle listeners redraw crisply. The
// viewport itself (state/view.ts) is always exact: hit tests and drags read it,
// never the bitmap. One ViewportGesture per workbench; the functions below act
// on the installed one.
import { workbench } from '../workbench/current';
import type { Timers } from '../workbench/timers';

export const SETTLE_MS = 100;

type Listener = () => void;

export class ViewportGesture {
  active = false;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly timers: Timers) {}

  /** Called by the pan and wheel handlers just before they move the view. */
  move(): void {
    this.active = true;
    this.timers.start('gesture', SETTLE_MS, () => this.settle());
  }

  /** Ends the gesture now (timer, or anything that needs the crisp view at once). */
  settle(): void {
    this.timers.clear('gesture');
    if (!this.active) return;
    this.active = false;
    for (const fn of this.listeners) fn();
  }

  onSettle(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

export const gestureMove = (): void => workbench().gesture.move();
export const settleGesture = (): void => workbench().gesture.settle();
export const onGestureSettle = (fn: Listener): (() => void) => workbench().gesture.onSettle(fn);
export const gestureActive = (): boolean => workbench().gesture.active;
