// Rules a new or edited annotation gets, the same whichever process applies
// them: the renderer when a box is drawn or its amodal box set, the store when
// a proposal is accepted or annotations are imported.
import { boxArea } from './geometry';
import type { Box } from './types';

/**
 * Object colours: distinct from each other, readable on dark grey and on
 * photos. A new annotation gets the one least used on its image.
 */
export const PALETTE: readonly string[] = [
  '#4fc3f7', '#ffb74d', '#81c784', '#f06292', '#ba68c8', '#fff176',
  '#4db6ac', '#ff8a65', '#9575cd', '#aed581', '#e57373', '#90a4ae',
];

/** Uses per colour (colour -> count). */
export function countColors(colors: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of colors) counts.set(c, (counts.get(c) ?? 0) + 1);
  return counts;
}

/** First palette colour with the lowest use count on the image (counts: colour -> uses). */
export function pickColor(used: ReadonlyMap<string, number>): string {
  let best = PALETTE[0]!;
  let bestCount = Number.POSITIVE_INFINITY;
  for (const color of PALETTE) {
    const count = used.get(color) ?? 0;
    if (count < bestCount) {
      best = color;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Whether an amodal box marks its object as occluded: its area exceeds the
 * visible area by more than 2%. One rule for a box the user draws and a
 * proposal the user accepts, because the flag means the same thing in the
 * exported data and in evaluation. The area rule is the one right for both:
 * a model's visible and amodal answers come from separate queries, so the
 * amodal box is often a pixel off on some side (or does not even contain the
 * visible box), and "sticks out on any side" would flag nearly every accepted
 * proposal; a hand-dragged handle has the same pixel of slack. An object
 * really hidden in part adds more than 2% of its area. The user can still set
 * the flag by hand (O).
 */
export function isOccluded(visible: Box, amodal: Box | null): boolean {
  return amodal !== null && boxArea(amodal) > boxArea(visible) * 1.02;
}
