// Whether the view is in the middle of a pan or wheel-zoom gesture. While it
// is, the canvas moves its last crisp bitmap of the boxes instead of drawing
// 2,000 boxes again each frame (canvas/layer-cache.ts); SETTLE_MS after the
// last move the gesture ends and the settle listeners redraw crisply. The
// viewport itself (state/view.ts) is always exact: hit tests and drags read it,
// never the bitmap.
export const SETTLE_MS = 100;

type Listener = () => void;

export const gesture = {
  active: false,
  timer: null as ReturnType<typeof setTimeout> | null,
  listeners: new Set<Listener>(),
};

/** Called by the pan and wheel handlers just before they move the view. */
export function gestureMove(): void {
  gesture.active = true;
  if (gesture.timer !== null) clearTimeout(gesture.timer);
  gesture.timer = setTimeout(settleGesture, SETTLE_MS);
}

/** Ends the gesture now (timer, or anything that needs the crisp view at once). */
export function settleGesture(): void {
  if (gesture.timer !== null) clearTimeout(gesture.timer);
  gesture.timer = null;
  if (!gesture.active) return;
  gesture.active = false;
  for (const fn of gesture.listeners) fn();
}

export function onGestureSettle(fn: Listener): () => void {
  gesture.listeners.add(fn);
  return () => gesture.listeners.delete(fn);
}
