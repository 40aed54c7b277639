// Mapping between the model's 0–1000 grid and original-image pixels, exactly as
// the authors score (EGM.md, "How the authors score an answer", step 2):
// clamp to [0, 1000], scale x by W/1000 and y by H/1000, round, clip to
// [0, W−1] / [0, H−1], widen a zero-width or zero-height box by one pixel,
// never swap x1 > x2. W and H are the UPRIGHT original size: the model saw a
// pre-resized upright copy, and relative coordinates make the resize harmless.
// "Round" is half-up (Math.round); for non-negative values it differs from
// Python's banker's rounding only at exact .5, which a 0–1000 integer grid
// times an image size hits rarely and by one pixel.
import type { Box, Point } from '../types';

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

/** Pixel point of a width×height (upright) image → integer point on the 0–1000 grid (for the hint). */
export function toGrid(point: Point | readonly number[], width: number, height: number): [number, number] {
  checkSize(width, height);
  const [x, y] = point;
  if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) {
    throw new Error(`toGrid: expected a finite point, got ${JSON.stringify(point)}`);
  }
  return [clamp(Math.round((x * GRID) / width), 0, GRID), clamp(Math.round((y * GRID) / height), 0, GRID)];
}
