// Mapping between the model's 0–1000 grid and original-image pixels, exactly as
// the authors score (EGM.md, "How the authors score an answer", step 2):
// clamp to [0, 1000], scale x by W/1000 and y by H/1000, round, clip to
// [0, W−1] / [0, H−1], widen a zero-width or zero-height box by one pixel,
// never swap x1 > x2. W and H are the UPRIGHT original size: the model saw a
// pre-resized upright copy, and relative coordinates make the resize harmless.
// "Round" is half-up (Math.round); for non-negative values it differs from
// Python's banker's rounding only at exact .5, which a 0–1000 integer grid
// times an image size hits rarely and by one pixel.
//
// That clamp belongs to scoring (EGM.md, point 5). An AMODAL answer shown to a
// person keeps what lies past the frame (a value below 0 or above 1000: the
// part of the object the frame cuts, the point of the amodal kind), out to the
// app's amodal bound (geometry.ts amodalBounds); toAmodalPixelBox maps it, and
// scoringBox clamps it the authors' way where a score is computed.
import type { Box, Point } from '../types';
import { amodalBounds } from '../geometry';

export const GRID = 1000;

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function checkSize(width: number, height: number): void {
  if (!(width >= 1 && height >= 1 && Number.isFinite(width) && Number.isFinite(height))) {
    throw new Error(`image size must be positive, got ${width}x${height}`);
  }
}

/** 0–1000 box → pixel box of a width×height (upright) image. */
export function toPixelBox(box1000: readonly number[], width: number, height: number): Box {
  checkSize(width, height);
  if (box1000.length !== 4 || !box1000.every(Number.isFinite)) {
    throw new Error(`toPixelBox: expected four finite numbers, got ${JSON.stringify(box1000)}`);
  }
  const [a, b, c, d] = box1000.map((v) => clamp(v, 0, GRID)) as [number, number, number, number];
  const px = (v: number) => clamp(Math.round((v * width) / GRID), 0, width - 1);
  const py = (v: number) => clamp(Math.round((v * height) / GRID), 0, height - 1);
  const x1 = px(a);
  const y1 = py(b);
  let x2 = px(c);
  let y2 = py(d);
  // The authors widen a degenerate box so it still has an area; at the right or
  // bottom edge that puts x2 (y2) at W (H), an edge coordinate, not a pixel index.
  if (x2 === x1) x2 = x1 + 1;
  if (y2 === y1) y2 = y1 + 1;
  return [x1, y1, x2, y2];
}

/**
 * 0–1000 amodal box → pixel box, keeping what lies past the image edge. A
 * coordinate inside [0, 1000] maps exactly as toPixelBox maps it (so an amodal
 * box that ends at the edge meets the visible box there, pixel for pixel); one
 * outside is scaled without the clamp and held to the amodal bound (one image
 * size past each edge). Degenerate boxes widen by one pixel, inward at the
 * bound; x1 > x2 is not swapped (as toPixelBox).
 */
export function toAmodalPixelBox(box1000: readonly number[], width: number, height: number): Box {
  checkSize(width, height);
  if (box1000.length !== 4 || !box1000.every(Number.isFinite)) {
    throw new Error(`toAmodalPixelBox: expected four finite numbers, got ${JSON.stringify(box1000)}`);
  }
  const [bx1, by1, bx2, by2] = amodalBounds(width, height);
  const map = (v: number, size: number, low: number, high: number) => {
    if (v >= 0 && v <= GRID) return clamp(Math.round((v * size) / GRID), 0, size - 1);
    return clamp(Math.round((v * size) / GRID), low, high) + 0; // + 0: no -0
  };
  const [a, b, c, d] = box1000 as [number, number, number, number];
  let x1 = map(a, width, bx1, bx2);
  let y1 = map(b, height, by1, by2);
  let x2 = map(c, width, bx1, bx2);
  let y2 = map(d, height, by1, by2);
  if (x2 === x1) [x1, x2] = x2 + 1 > bx2 ? [x1 - 1, x2] : [x1, x2 + 1];
  if (y2 === y1) [y1, y2] = y2 + 1 > by2 ? [y1 - 1, y2] : [y1, y2 + 1];
  return [x1, y1, x2, y2];
}

/**
 * The box as the authors score it (EGM.md, step 2), from a pixel box mapped by
 * toPixelBox or toAmodalPixelBox: clipped to [0, W−1] / [0, H−1], a
 * zero-width or zero-height box widened by one pixel. For either mapping this
 * equals toPixelBox of the same 0–1000 answer, so an amodal answer past the
 * edge scores exactly as the authors' script scores it.
 */
export function scoringBox(box: Box, width: number, height: number): Box {
  checkSize(width, height);
  const px = (v: number) => clamp(v, 0, width - 1);
  const py = (v: number) => clamp(v, 0, height - 1);
  const x1 = px(box[0]);
  const y1 = py(box[1]);
  let x2 = px(box[2]);
  let y2 = py(box[3]);
  if (x2 === x1) x2 = x1 + 1;
  if (y2 === y1) y2 = y1 + 1;
  return [x1, y1, x2, y2];
}

/** Pixel point of a width×height (upright) image → integer point on the 0–1000 grid (for the hint). */
export function toGrid(point: Point | readonly number[], width: number, height: number): [number, number] {
  checkSize(width, height);
  const [x, y] = point;
  if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) {
    throw new Error(`toGrid: expected a finite point, got ${JSON.stringify(point)}`);
  }
  return [clamp(Math.round((x * GRID) / width), 0, GRID), clamp(Math.round((y * GRID) / height), 0, GRID)];
}
