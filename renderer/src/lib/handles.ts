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

/**
 * The object after dragging what `grab` holds from `start` to `p` (image px);
 * Alt (`force`) lets amodal and visible part ways. `amodalOnly`: the object's
 * one box, in the `visible` slot, is an amodal box (a proposal with no visible
 * box), so it is held by the amodal bound.
 */
export function dragged<T extends TwoBoxes>(before: T, grab: Grab, start: Point, p: Point, img: Size, force: boolean, amodalOnly = false): T {
  const kind: BoxKind = amodalOnly ? 'amodal' : grab.part;
  if (grab.handle) return resizeObject(before, grab.part, grab.handle, clampFor(kind, p, img), force);
  const [dx, dy] = [p[0] - start[0], p[1] - start[1]];
  if (amodalOnly) return { ...before, visible: moveBoxWithinBounds(before.visible, dx, dy, amodalBounds(img.width, img.height)) };
  return moveObject(before, grab.part, dx, dy, img.width, img.height, force);
}

/** A dragged box as it is stored: corners in order, whole pixels, inside the image (an amodal box: within amodalBounds). */
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
