// Handles and drags of a two-box object (visible box, optional amodal box),
// one rule for every box the pointer edits: an annotation and the model
// proposal under review alike (issue 10: proposals are editable boxes).
// Hit-testing a handle, the boxes after a drag (resize by a handle, move by
// the inside), the box as stored at pointer-up, the handles' look.
import { moveObject, resizeObject, type TwoBoxes } from '@core/box-edit';
import { amodalBounds, clampAmodalBox, clampBox, clampPoint, handleAt, handlePoints, HANDLES, moveBoxWithinBounds, normalizeBox, roundBox, type Handle, type Viewport } from '@core/geometry';
import type { Box, BoxKind, Point } from '@core/types';

/** Side of a handle on screen (CSS px); also its hit radius. */
export const HANDLE_PX = 8;

export const CURSORS: Record<Handle, string> = { nw: 'nwse-resize', se: 'nwse-resize', ne: 'nesw-resize', sw: 'nesw-resize', n: 'ns-resize', s: 'ns-resize', e: 'ew-resize', w: 'ew-resize' };

/** What a press took hold of: a handle of one box, or (handle null) the object to move by that box. */
export interface Grab {
  part: BoxKind;
  handle: Handle | null;
  /**
   * The amodal box's handle at the very spot of the visible handle held (the
   * two boxes meet there, e.g. at the image edge): the drag goes to it when
   * Alt is held or the pointer leaves the image, where only the amodal box
   * may go (issue 18).
   */
  amodalTwin?: Handle;
}

interface Size {
  width: number;
  height: number;
}

const distance = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/**
 * The handle of the object's boxes under image point p, at view scale
 * `scale`: the nearer of the two boxes' handles within reach wins (at fit
 * zoom two handles 2 px apart both lie within reach; the visible one used to
 * win always), a tie (the boxes meet there) goes to `prefer`, the kind being
 * edited; a tie won by the visible box names its amodal twin.
 */
export function handleUnder(b: TwoBoxes, p: Point, scale: number, prefer: BoxKind = 'visible'): (Grab & { handle: Handle }) | null {
  const r = HANDLE_PX / scale;
  const hv = handleAt(b.visible, p, r);
  const ha = b.amodal ? handleAt(b.amodal, p, r) : null;
  if (!ha) return hv ? { part: 'visible', handle: hv } : null;
  if (!hv) return { part: 'amodal', handle: ha };
  const dv = distance(handlePoints(b.visible)[hv], p);
  const da = distance(handlePoints(b.amodal!)[ha], p);
  const tie = Math.abs(dv - da) < 1e-9;
  if (da < dv || (tie && prefer === 'amodal')) return { part: 'amodal', handle: ha };
  return tie ? { part: 'visible', handle: hv, amodalTwin: ha } : { part: 'visible', handle: hv };
}

/** Whether image point p lies outside the image (where only an amodal box may go). */
function outside(p: Point, img: Size): boolean {
  return p[0] < 0 || p[1] < 0 || p[0] > img.width || p[1] > img.height;
}

/** The part a drag of `grab` to p acts on: the amodal twin with Alt (`force`) or past the image edge, else what was grabbed. */
export function draggedPart(grab: Grab, p: Point, img: Size, force: boolean): Grab {
  return grab.amodalTwin && (force || outside(p, img)) ? { part: 'amodal', handle: grab.amodalTwin } : grab;
}

/**
 * Where a point dragging a box of this kind may go: the image for a visible
 * box, amodalBounds for an amodal box (an object's full extent often leaves
 * the picture, issue 11).
 */
export function clampFor(kind: BoxKind, p: Point, img: Size): Point {
  if (kind === 'visible') return clampPoint(p, img.width, img.height);
  const [x1, y1, x2, y2] = amodalBounds(img.width, img.height);
  return [Math.min(x2, Math.max(x1, p[0])), Math.min(y2, Math.max(y1, p[1]))];
}

/** A pointer position on the nearest whole image pixel: what the pointer places is stored in whole pixels, as shown (issue 18, item 8). */
export function wholePixel(p: Point): Point {
  return [Math.round(p[0]) + 0, Math.round(p[1]) + 0];
}

/**
 * The object after dragging what `grab` holds from `start` to `p` (image px);
 * Alt (`force`) lets amodal and visible part ways. `amodalOnly`: the object's
 * one box, in the `visible` slot, is an amodal box (a proposal with no visible
 * box), so it is held by the amodal bound. A handle lands on a whole pixel and
 * a move goes by whole pixels, so an edge the drag placed is a whole pixel and
 * one it only carried keeps its value.
 */
export function dragged<T extends TwoBoxes>(before: T, grab: Grab, start: Point, p: Point, img: Size, force: boolean, amodalOnly = false): T {
  const held = draggedPart(grab, p, img, force);
  const kind: BoxKind = amodalOnly ? 'amodal' : held.part;
  if (held.handle) return resizeObject(before, held.part, held.handle, wholePixel(clampFor(kind, p, img)), force);
  const [dx, dy] = wholePixel([p[0] - start[0], p[1] - start[1]]);
  if (amodalOnly) return { ...before, visible: moveBoxWithinBounds(before.visible, dx, dy, amodalBounds(img.width, img.height)) };
  return moveObject(before, held.part, dx, dy, img.width, img.height, force);
}

/** A dragged box as it is stored: corners in order, inside the image (an amodal box: within amodalBounds), to 1/100 px. */
export function settledBox(b: Box, img: Size, kind: BoxKind = 'visible'): Box {
  const n = normalizeBox(b);
  return roundBox(kind === 'amodal' ? clampAmodalBox(n, img.width, img.height) : clampBox(n, img.width, img.height));
}

/** The 8 handles of a box, in screen pixels (the context's transform is the device pixel ratio). */
export function drawHandles(ctx: CanvasRenderingContext2D, b: Box, vp: Viewport, fill: string, stroke: string): void {
  const pts = handlePoints(b);
  ctx.setLineDash([]);
  ctx.lineWidth = 1;
  ctx.fillStyle = fill;
  ctx.strokeStyle = stroke;
  for (const h of HANDLES) {
    const [x, y] = pts[h];
    const sx = Math.round(x * vp.scale + vp.x - HANDLE_PX / 2) + 0.5;
    const sy = Math.round(y * vp.scale + vp.y - HANDLE_PX / 2) + 0.5;
    ctx.fillRect(sx, sy, HANDLE_PX, HANDLE_PX);
    ctx.strokeRect(sx, sy, HANDLE_PX, HANDLE_PX);
  }
}
