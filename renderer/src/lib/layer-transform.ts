// Pure geometry for moving already-drawn layer canvases during a pan or
// wheel-zoom gesture (canvas/gesture-layers.ts): a canvas drawn at viewport
// vp0 shows the view at vp1 when CSS-transformed by screen1 = screen0*k + d.
// It can stand in while the zoom ratio stays near 1 (else strokes thicken or
// the image blurs) and while the strips of the view it leaves uncovered hold
// (almost) none of the image: boxes are clamped to the image, so off the
// image an uncovered strip is missing nothing.
import type { Viewport } from '@core/geometry';

/** Screen rect [x1, y1, x2, y2] in CSS px. */
export type Rect = [number, number, number, number];

/** Beyond this zoom ratio from the drawn canvas, redraw it. */
export const MAX_RATIO = 1.5;
/** Widest uncovered strip over the image (CSS px) a moved canvas may leave before it is redrawn. */
export const MAX_GAP_PX = 32;

export interface Moved {
  k: number;
  dx: number;
  dy: number;
}

export function movedBy(vp0: Viewport, vp1: Viewport): Moved {
  const k = vp1.scale / vp0.scale;
  // A pure pan moves by whole pixels: the compositor copies the canvas instead
  // of resampling it, and it stays sharp (at most half a pixel off until the
  // settle redraw).
  if (k === 1) return { k, dx: Math.round(vp1.x - vp0.x), dy: Math.round(vp1.y - vp0.y) };
  return { k, dx: vp1.x - vp0.x * k, dy: vp1.y - vp0.y * k };
}

/** The CSS transform (with transform-origin 0 0) that moves a canvas by m; 'none' for no move. */
export function cssTransform(m: Moved): string {
  if (m.k === 1 && m.dx === 0 && m.dy === 0) return 'none';
  return `matrix(${m.k}, 0, 0, ${m.k}, ${m.dx}, ${m.dy})`;
}

/** The parts of a w×h view a moved w×h canvas leaves uncovered (0 to 4 strips, none overlapping). */
export function uncovered(m: Moved, w: number, h: number): Rect[] {
  const x1 = Math.max(0, Math.min(w, m.dx));
  const y1 = Math.max(0, Math.min(h, m.dy));
  const x2 = Math.max(0, Math.min(w, m.dx + w * m.k));
  const y2 = Math.max(0, Math.min(h, m.dy + h * m.k));
  const out: Rect[] = [];
  if (y1 > 0) out.push([0, 0, w, y1]);
  if (y2 < h) out.push([0, y2, w, h]);
  if (x1 > 0 && y2 > y1) out.push([0, y1, x1, y2]);
  if (x2 < w && y2 > y1) out.push([x2, y1, w, y2]);
  return out;
}

/** The image's rect on screen at vp. */
export function imageRect(vp: Viewport, imageW: number, imageH: number): Rect {
  return [vp.x, vp.y, vp.x + imageW * vp.scale, vp.y + imageH * vp.scale];
}

/** Whether a canvas drawn at vp0 can stand in for vp1 (view w×h, image imageW×imageH). */
export function canStandIn(vp0: Viewport, vp1: Viewport, w: number, h: number, imageW: number, imageH: number): boolean {
  const m = movedBy(vp0, vp1);
  if (m.k > MAX_RATIO || m.k < 1 / MAX_RATIO) return false;
  const img = imageRect(vp1, imageW, imageH);
  for (const s of uncovered(m, w, h)) {
    const gw = Math.min(s[2], img[2]) - Math.max(s[0], img[0]);
    const gh = Math.min(s[3], img[3]) - Math.max(s[1], img[1]);
    if (gw > 0 && gh > 0 && Math.min(gw, gh) > MAX_GAP_PX) return false;
  }
  return true;
}
