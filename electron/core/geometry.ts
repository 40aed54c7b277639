// Pure 2-D geometry for the canvas: the stage↔image transform, zoom/fit,
// box normalising/clamping, amodal containment, resize handles, hit tests and
// culling. Boxes are always [x1, y1, x2, y2] in upright original-image pixels;
// only this module knows how they map to the screen.
import type { Box, Point } from './types';

/** Screen = image * scale + (x, y). The stage (or its layers) carries exactly this transform. */
export interface Viewport {
  scale: number;
  x: number;
  y: number;
}

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 64;

export function imageToStage(p: Point, vp: Viewport): Point {
  return [p[0] * vp.scale + vp.x, p[1] * vp.scale + vp.y];
}

export function stageToImage(p: Point, vp: Viewport): Point {
  return [(p[0] - vp.x) / vp.scale, (p[1] - vp.y) / vp.scale];
}

export function clampScale(scale: number, min = MIN_SCALE, max = MAX_SCALE): number {
  return Math.min(max, Math.max(min, scale));
}

/** Zooms by `factor` keeping the image point under `cursor` (stage px) fixed on screen. */
export function zoomAt(vp: Viewport, factor: number, cursor: Point): Viewport {
  const scale = clampScale(vp.scale * factor);
  const anchor = stageToImage(cursor, vp);
  return { scale, x: cursor[0] - anchor[0] * scale, y: cursor[1] - anchor[1] * scale };
}

/** Wheel delta (px, as DOM gives it) to a zoom factor: smooth, symmetric in and out. */
export function wheelZoomFactor(deltaY: number): number {
  return Math.exp(-deltaY * 0.0015);
}

export function panBy(vp: Viewport, dx: number, dy: number): Viewport {
  return { scale: vp.scale, x: vp.x + dx, y: vp.y + dy };
}

/** The whole image centred in the view with `padding` px around it. */
export function fitViewport(imageW: number, imageH: number, viewW: number, viewH: number, padding = 16): Viewport {
  return fitViewportTo([0, 0, imageW, imageH], viewW, viewH, padding);
}

/** A region of the image plane (image px, e.g. fitExtent's) centred in the view with `padding` px around it. */
export function fitViewportTo(region: Box, viewW: number, viewH: number, padding = 16): Viewport {
  const [x1, y1, x2, y2] = normalizeBox(region);
  const availW = Math.max(1, viewW - 2 * padding);
  const availH = Math.max(1, viewH - 2 * padding);
  const scale = clampScale(Math.min(availW / Math.max(1e-9, x2 - x1), availH / Math.max(1e-9, y2 - y1)));
  return { scale, x: (viewW - (x2 - x1) * scale) / 2 - x1 * scale, y: (viewH - (y2 - y1) * scale) / 2 - y1 * scale };
}

/**
 * What *Fit* shows: the image, and every box that reaches past it (an amodal
 * box past the edge, issue 18), so no part of a label is cut off.
 */
export function fitExtent(imageW: number, imageH: number, boxes: readonly (Box | null | undefined)[]): Box {
  let extent: Box = [0, 0, imageW, imageH];
  for (const b of boxes) if (b) extent = unionBox(extent, normalizeBox(b));
  return extent;
}

/** Scale 1 (one image pixel per screen pixel), keeping the view's centre on the same image point. */
export function actualSize(vp: Viewport, viewW: number, viewH: number): Viewport {
  return zoomAt(vp, 1 / vp.scale, [viewW / 2, viewH / 2]);
}

export function normalizeBox(b: Box): Box {
  return [Math.min(b[0], b[2]), Math.min(b[1], b[3]), Math.max(b[0], b[2]), Math.max(b[1], b[3])];
}

export function boxFromPoints(a: Point, b: Point): Box {
  return normalizeBox([a[0], a[1], b[0], b[1]]);
}

/** Normalised and kept inside [0, w]×[0, h]. */
export function clampBox(b: Box, w: number, h: number): Box {
  const n = normalizeBox(b);
  const cx = (v: number) => Math.min(w, Math.max(0, v));
  const cy = (v: number) => Math.min(h, Math.max(0, v));
  return [cx(n[0]), cy(n[1]), cx(n[2]), cy(n[3])];
}

export function clampPoint(p: Point, w: number, h: number): Point {
  return [Math.min(w, Math.max(0, p[0])), Math.min(h, Math.max(0, p[1]))];
}

export function roundBox(b: Box, digits = 2): Box {
  const f = 10 ** digits;
  return b.map((v) => Math.round(v * f) / f) as Box;
}

export function boxWidth(b: Box): number {
  return b[2] - b[0];
}
export function boxHeight(b: Box): number {
  return b[3] - b[1];
}
export function boxArea(b: Box): number {
  return Math.max(0, boxWidth(b)) * Math.max(0, boxHeight(b));
}

export function unionBox(a: Box, b: Box): Box {
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

/**
 * The one point-in-box rule (edges count as inside; a box with its corners
 * swapped is read as the same box). `slack` widens it on every side.
 */
export function containsPoint(b: Box, p: Point, slack = 0): boolean {
  const [x1, y1, x2, y2] = normalizeBox(b);
  return p[0] >= x1 - slack && p[0] <= x2 + slack && p[1] >= y1 - slack && p[1] <= y2 + slack;
}

/**
 * The amodal box covers the whole object, so it must contain the visible part.
 * Unless the user insists (`force`, e.g. Alt held), grow it to do so.
 */
export function enforceAmodal(amodal: Box, visible: Box, force = false): Box {
  const a = normalizeBox(amodal);
  return force ? a : unionBox(a, normalizeBox(visible));
}

/** Moves a box by (dx, dy) without letting it leave the image (its size is kept). */
export function moveBoxWithin(b: Box, dx: number, dy: number, w: number, h: number): Box {
  const n = normalizeBox(b);
  const mdx = Math.min(w - n[2], Math.max(-n[0], dx));
  const mdy = Math.min(h - n[3], Math.max(-n[1], dy));
  return [n[0] + mdx, n[1] + mdy, n[2] + mdx, n[3] + mdy];
}

export type Handle = 'nw' | 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w';
export const HANDLES: readonly Handle[] = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'];

/** The 8 resize handle positions of a box (corners and edge midpoints). */
export function handlePoints(b: Box): Record<Handle, Point> {
  const [x1, y1, x2, y2] = normalizeBox(b);
  const mx = (x1 + x2) / 2;
  const my = (y1 + y2) / 2;
  return { nw: [x1, y1], n: [mx, y1], ne: [x2, y1], e: [x2, my], se: [x2, y2], s: [mx, y2], sw: [x1, y2], w: [x1, my] };
}

/** The handle within `radius` of p (image px), if any; corners win over edges. */
export function handleAt(b: Box, p: Point, radius: number): Handle | null {
  const pts = handlePoints(b);
  for (const h of HANDLES) {
    const q = pts[h];
    if (Math.abs(q[0] - p[0]) <= radius && Math.abs(q[1] - p[1]) <= radius) return h;
  }
  return null;
}

/** Drags one handle to p; the result is normalised, so dragging past the opposite edge flips. */
export function resizeBox(b: Box, handle: Handle, p: Point): Box {
  let [x1, y1, x2, y2] = normalizeBox(b);
  if (handle.includes('w')) x1 = p[0];
  if (handle.includes('e')) x2 = p[0];
  if (handle.includes('n')) y1 = p[1];
  if (handle.includes('s')) y2 = p[1];
  return normalizeBox([x1, y1, x2, y2]);
}

/**
 * The box under p for a click: the smallest containing box wins so nested
 * objects stay reachable; `slack` (image px) makes thin boxes clickable.
 */
export function hitTest<T>(items: readonly T[], boxOf: (item: T) => Box, p: Point, slack = 0): T | null {
  let best: T | null = null;
  let bestArea = Infinity;
  for (const item of items) {
    const b = boxOf(item);
    if (!containsPoint(b, p, slack)) continue;
    const area = boxArea(b);
    if (area < bestArea) {
      best = item;
      bestArea = area;
    }
  }
  return best;
}

// Amodal boxes past the image edge (issue 11, item 8). An object's full extent
// often leaves the picture (a car cut by the frame), so its amodal box may
// reach past the image; the visible box never does. The bound keeps a slip of
// the mouse or a bad file from storing a box miles away: at most
// AMODAL_MARGIN image sizes beyond each edge (one width left and right, one
// height above and below). The store, the COCO import and the renderer all use
// these helpers, so they agree on the one bound.

/** How far past each edge an amodal box may reach, in image sizes. */
export const AMODAL_MARGIN = 1;

/** The region an amodal box must stay in: the image grown by AMODAL_MARGIN sizes on every side. */
export function amodalBounds(w: number, h: number): Box {
  return [-AMODAL_MARGIN * w, -AMODAL_MARGIN * h, (1 + AMODAL_MARGIN) * w, (1 + AMODAL_MARGIN) * h];
}

/** Normalised and kept inside amodalBounds (the amodal counterpart of clampBox). */
export function clampAmodalBox(b: Box, w: number, h: number): Box {
  const [bx1, by1, bx2, by2] = amodalBounds(w, h);
  const n = normalizeBox(b);
  const cx = (v: number) => Math.min(bx2, Math.max(bx1, v));
  const cy = (v: number) => Math.min(by2, Math.max(by1, v));
  return [cx(n[0]), cy(n[1]), cx(n[2]), cy(n[3])];
}

/** Whether an amodal box lies within amodalBounds, `slack` pixels more on every side (rounding). */
export function amodalWithinBounds(b: Box, w: number, h: number, slack = 0): boolean {
  const [bx1, by1, bx2, by2] = amodalBounds(w, h);
  const n = normalizeBox(b);
  return n[0] >= bx1 - slack && n[1] >= by1 - slack && n[2] <= bx2 + slack && n[3] <= by2 + slack;
}

/** Moves a box by (dx, dy) as far as it can without leaving `bounds` (its size kept; a box larger than bounds does not move on that axis). */
export function moveBoxWithinBounds(b: Box, dx: number, dy: number, bounds: Box): Box {
  const n = normalizeBox(b);
  const axis = (d: number, lo: number, hi: number, min: number, max: number) => (hi - lo > max - min ? 0 : Math.min(max - hi, Math.max(min - lo, d)));
  const mdx = axis(dx, n[0], n[2], bounds[0], bounds[2]);
  const mdy = axis(dy, n[1], n[3], bounds[1], bounds[3]);
  return [n[0] + mdx, n[1] + mdy, n[2] + mdx, n[3] + mdy];
}

/**
 * Moves an object's two boxes together by (dx, dy), as far as both may go: the
 * visible box stays in the image, the amodal box in amodalBounds. What the
 * renderer's move and nudge of a whole object should call.
 */
export function moveObjectBoxes(visible: Box, amodal: Box | null, dx: number, dy: number, w: number, h: number): { visible: Box; amodal: Box | null } {
  const v = moveBoxWithinBounds(visible, dx, dy, [0, 0, w, h]);
  let mdx = v[0] - normalizeBox(visible)[0];
  let mdy = v[1] - normalizeBox(visible)[1];
  if (amodal) {
    const a = moveBoxWithinBounds(amodal, mdx, mdy, amodalBounds(w, h));
    mdx = a[0] - normalizeBox(amodal)[0];
    mdy = a[1] - normalizeBox(amodal)[1];
  }
  const shift = (b: Box): Box => {
    const n = normalizeBox(b);
    return [n[0] + mdx, n[1] + mdy, n[2] + mdx, n[3] + mdy];
  };
  return { visible: shift(visible), amodal: amodal && shift(amodal) };
}
