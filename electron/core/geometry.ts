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
  const availW = Math.max(1, viewW - 2 * padding);
  const availH = Math.max(1, viewH - 2 * padding);
  const scale = clampScale(Math.min(availW / imageW, availH / imageH));
  return { scale, x: (viewW - imageW * scale) / 2, y: (viewH - imageH * scale) / 2 };
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
