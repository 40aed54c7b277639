// Self-consistency: N sampled boxes → one box plus a confidence. The
// coordinate-wise median ignores a minority of wild samples (one box on the
// wrong object moves a mean, not a median); agreement = mean IoU of the
// samples to the fused box, 1 when all samples coincide.
import { iou } from './iou';

export interface FusedBox {
  box: [number, number, number, number];
  /** Mean IoU of the input boxes to the fused box, in [0, 1]. */
  agreement: number;
  count: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Null for no boxes. Works on any one coordinate system (pixels or 0–1000). */
export function fuseBoxes(boxes: ReadonlyArray<readonly number[]>): FusedBox | null {
  const valid = boxes.filter((b) => b.length === 4 && b.every(Number.isFinite));
  if (valid.length === 0) return null;
  const box = [0, 1, 2, 3].map((i) => median(valid.map((b) => b[i]!))) as [number, number, number, number];
  const agreement = valid.reduce((sum, b) => sum + iou(b, box), 0) / valid.length;
  return { box, agreement, count: valid.length };
}
