// How a drag changes an object's two boxes (pure, image pixels):
//  - moving the object moves both boxes by the same amount, kept in the image;
//  - moving or resizing the amodal box keeps it around the visible box unless
//    `force` (Alt held);
//  - resizing the visible box grows the amodal box with it unless `force`.
import { enforceAmodal, moveBoxWithin, resizeBox, unionBox, type Handle } from './geometry';
import type { Box, BoxKind, Point } from './types';

export interface TwoBoxes {
  visible: Box;
  amodal: Box | null;
}

export function moveObject<T extends TwoBoxes>(a: T, part: BoxKind, dx: number, dy: number, w: number, h: number, force = false): T {
  if (part === 'amodal' && a.amodal) {
    return { ...a, amodal: enforceAmodal(moveBoxWithin(a.amodal, dx, dy, w, h), a.visible, force) };
  }
  const all = a.amodal ? unionBox(a.visible, a.amodal) : a.visible;
  const moved = moveBoxWithin(all, dx, dy, w, h);
  const mdx = moved[0] - all[0];
  const mdy = moved[1] - all[1];
  const shift = (b: Box): Box => [b[0] + mdx, b[1] + mdy, b[2] + mdx, b[3] + mdy];
  return { ...a, visible: shift(a.visible), amodal: a.amodal && shift(a.amodal) };
}

export function resizeObject<T extends TwoBoxes>(a: T, part: BoxKind, handle: Handle, p: Point, force = false): T {
  if (part === 'amodal') return a.amodal ? { ...a, amodal: enforceAmodal(resizeBox(a.amodal, handle, p), a.visible, force) } : a;
  const visible = resizeBox(a.visible, handle, p);
  return { ...a, visible, amodal: a.amodal && (force ? a.amodal : unionBox(a.amodal, visible)) };
}
