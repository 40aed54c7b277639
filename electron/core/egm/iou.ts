// IoU and the authors' hit threshold (EGM.md, "How the authors score an answer",
// step 3): accuracy is the share of queries with IoU strictly above 0.5; a
// query without a box counts as IoU 0 and stays in the denominator (scored in
// core/eval/summary.ts).
// Boxes are continuous [x1, y1, x2, y2] (area = width × height, no +1), which
// is why a zero-width box has to be widened before it can score at all.
// A box with x1 > x2 (never swapped) has no area and scores 0.

export const ACC_THRESHOLD = 0.5;

export function boxArea(box: readonly number[]): number {
  const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = box;
  return Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
}

export function iou(a: readonly number[] | null | undefined, b: readonly number[] | null | undefined): number {
  if (!a || !b) return 0;
  const [ax1 = 0, ay1 = 0, ax2 = 0, ay2 = 0] = a;
  const [bx1 = 0, by1 = 0, bx2 = 0, by2 = 0] = b;
  const iw = Math.max(0, Math.min(ax2, bx2) - Math.max(ax1, bx1));
  const ih = Math.max(0, Math.min(ay2, by2) - Math.max(ay1, by1));
  const inter = iw * ih;
  const union = boxArea(a) + boxArea(b) - inter;
  return union > 0 ? inter / union : 0;
}
