// Handles and drags of a two-box object (visible box, optional amodal box),
// one rule for every box the pointer edits: an annotation and the model
// proposal under review alike (issue 10: proposals are editable boxes).
// Hit-testing a handle, the boxes after a drag (resize by a handle, move by
// the inside), the box as stored at pointer-up, the handles' look.
import { moveObject, resizeObject, type TwoBoxes } from '../../../electron/core/box-edit';
import { clampBox, clampPoint, handleAt, handlePoints, HANDLES, normalizeBox, roundBox, type Handle, type Viewport } from '../../../electron/core/geometry';
import type { Box, BoxKind, Point } from '../../../electron/core/types';

/** Side of a handle on screen (CSS px); also its hit radius. */
export const HANDLE_PX = 8;

export const CURSORS: Record<Handle, string> = { nw: 'nwse-resize', se: 'nwse-resize', ne: 'nesw-resize', sw: 'nesw-resize', n: 'ns-resize', s: 'ns-resize', e: 'ew-resize', w: 'ew-resize' };

/** What a press took hold of: a handle of one box, or (handle null) the object to move by that box. */
export interface Grab {
  part: BoxKind;
  handle: Handle | null;
}

interface Size {
  width: number;
  height: number;
}

/** The handle of the object's boxes under image point p (visible box first), at view scale `scale`. */
export function handleUnder(b: TwoBoxes, p: Point, scale: number): (Grab & { handle: Handle }) | null {
  const r = HANDLE_PX / scale;
  const hv = handleAt(b.visible, p, r);
  if (hv) return { part: 'visible', handle: hv };
  const ha = b.amodal && handleAt(b.amodal, p, r);
  return ha ? { part: 'amodal', handle: ha } : null;
}

/** The object after dragging what `grab` holds from `start` to `p` (image px); Alt (`force`) lets amodal and visible part ways. */
export function dragged<T extends TwoBoxes>(before: T, grab: Grab, start: Point, p: Point, img: Size, force: boolean): T {
  return grab.handle
    ? resizeObject(before, grab.part, grab.handle, clampPoint(p, img.width, img.height), force)
    : moveObject(before, grab.part, p[0] - start[0], p[1] - start[1], img.width, img.height, force);
}

/** A dragged box as it is stored: corners in order, whole pixels, inside the image. */
export function settledBox(b: Box, img: Size): Box {
  return roundBox(clampBox(normalizeBox(b), img.width, img.height));
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
