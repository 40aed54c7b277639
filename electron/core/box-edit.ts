// How a drag changes an object's two boxes (pure, image pixels):
//  - moving the object moves both boxes by the same amount, as far as both may
//    go: the visible box inside the image, the amodal box within amodalBounds
//    (it may reach past the edge, issue 11);
//  - moving or resizing the amodal box keeps it around the visible box unless
//    `force` (Alt held);
//  - resizing the visible box grows the amodal box with it unless `force`.
import { amodalBounds, enforceAmodal, moveBoxWithinBounds, moveObjectBoxes, resizeBox, unionBox, type Handle } from './geometry';
import type { Box, BoxKind, Point } from './types';

export interface TwoBoxes {
  visible: Box;
  amodal: Box | null;
}

export function moveObject<T extends TwoBoxes>(a: T, part: BoxKind, dx: number, dy: number, w: number, h: number, force = false): T {
  if (part === 'amodal' && a.amodal) {
    return { ...a, amodal: enforceAmodal(moveBoxWithinBounds(a.amodal, dx, dy, amodalBounds(w, h)), a.visible, force) };
  }
  // Each box is held by its own bound: moving by the union of the two (as
  // before) made an object whose amodal box is past the edge jump on any drag.
  return { ...a, ...moveObjectBoxes(a.visible, a.amodal, dx, dy, w, h) };
}

export function resizeObject<T extends TwoBoxes>(a: T, part: BoxKind, handle: Handle, p: Point, force = false): T {
  if (part === 'amodal') return a.amodal ? { ...a, amodal: enforceAmodal(resizeBox(a.amodal, handle, p), a.visible, force) } : a;
  const visible = resizeBox(a.visible, handle, p);
  return { ...a, visible, amodal: a.amodal && (force ? a.amodal : unionBox(a.amodal, visible)) };
}
