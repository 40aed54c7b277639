// Box colours by category (issue 18, "Classes"): a box is drawn in its
// category's colour, a box without one in a neutral grey. The colour follows
// the category's id, not its place in a list, so it stays the same on every
// image, across sessions, and when other categories are added, merged or
// deleted. The palette is made for boxes over photos and the dark UI: every
// colour light enough for the labels' dark text (CIELAB L ≥ 45), no two alike (CIE76 ΔE ≥ 27
// between any two), and none near the proposal magenta (#ff5cf0), its dimmed
// lavender (#c58cd8), the missed-point red (#ff6b57) or the neutral grey (ΔE
// ≥ 30 each; test/unit/category-colors.test.ts measures all of it). Reds,
// pinks and purples are left out for that reason. Pure.
import type { Category } from './types';

/** The proposal under review (grounding/canvas/proposal-draw.ts draws with these): magenta, its dimmed form, and a box that misses the user's point. */
export const PROPOSAL_COLOR = '#ff5cf0';
export const PROPOSAL_DIM = '#c58cd8';
export const MISS_COLOR = '#ff6b57';

/** Colours of categories, by id: id 1 takes the first, id 11 the first again. */
export const CATEGORY_PALETTE: readonly string[] = [
  '#56b4e9', // sky blue
  '#e69f00', // amber
  '#2ec27e', // green
  '#f0e442', // yellow
  '#1e88e5', // blue
  '#ff7f0e', // orange
  '#4db6ac', // teal
  '#aed581', // light green
  '#ffd180', // peach
  '#8d6e63', // brown
];

/** Boxes without a category: a neutral grey, not one of the palette's. */
export const NO_CATEGORY_COLOR = '#bdbdbd';

/** The colour of boxes of this category (null: none). */
export function categoryColor(categoryId: number | null): string {
  if (categoryId === null) return NO_CATEGORY_COLOR;
  const n = CATEGORY_PALETTE.length;
  return CATEGORY_PALETTE[(((categoryId - 1) % n) + n) % n]!;
}

/** The keys 1–9 give the selection a category: the project's categories by id (the Categories dialog's order), the first nine. */
export const CATEGORY_KEYS = 9;

/** The categories in key order (by id), whatever order the list holds them in. */
export function rankedCategories(categories: readonly Category[]): Category[] {
  return [...categories].sort((a, b) => a.id - b.id);
}

/** The category whose key is `rank` (1–9), or null. */
export function categoryOfKey(categories: readonly Category[], rank: number): Category | null {
  if (!Number.isInteger(rank) || rank < 1 || rank > CATEGORY_KEYS) return null;
  return rankedCategories(categories)[rank - 1] ?? null;
}

/** The key (1–9) of a category, or null when it has none (10th and later, or not in the list). */
export function categoryKeyOf(categories: readonly Category[], categoryId: number): number | null {
  const i = rankedCategories(categories).findIndex((c) => c.id === categoryId);
  return i >= 0 && i < CATEGORY_KEYS ? i + 1 : null;
}
