// Category colours (issue 18): stable by id, a neutral grey for no category,
// every colour told apart from the others and from the proposal colours
// (CIE76 ΔE in CIELAB, D65), light enough for the labels' dark text; keys
// 1–9 number the categories by id.
import { describe, expect, it } from 'vitest';
import { CATEGORY_PALETTE, categoryColor, categoryKeyOf, categoryOfKey, MISS_COLOR, NO_CATEGORY_COLOR, PROPOSAL_COLOR, PROPOSAL_DIM } from '@core/category-colors';

function lab(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const x = f((r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047);
  const y = f(r * 0.2126 + g * 0.7152 + b * 0.0722);
  const z = f((r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}
const deltaE = (a: string, b: string) => Math.hypot(...lab(a).map((v, i) => v - lab(b)[i]!));

describe('category colours', () => {
  it('are told apart from each other, from the proposal colours and from the grey', () => {
    for (const [i, a] of CATEGORY_PALETTE.entries()) {
      for (const b of CATEGORY_PALETTE.slice(i + 1)) expect(deltaE(a, b), `${a} vs ${b}`).toBeGreaterThanOrEqual(27);
      for (const other of [PROPOSAL_COLOR, PROPOSAL_DIM, MISS_COLOR, NO_CATEGORY_COLOR]) expect(deltaE(a, other), `${a} vs ${other}`).toBeGreaterThanOrEqual(30);
      expect(lab(a)[0], `${a} lightness`).toBeGreaterThanOrEqual(45);
    }
  });

  it('follow the category id: the same on every call, grey for none, round the palette after its end', () => {
    expect(categoryColor(null)).toBe(NO_CATEGORY_COLOR);
    expect(categoryColor(1)).toBe(CATEGORY_PALETTE[0]);
    expect(categoryColor(3)).toBe(categoryColor(3));
    expect(categoryColor(CATEGORY_PALETTE.length + 2)).toBe(CATEGORY_PALETTE[1]);
    expect(new Set(Array.from({ length: CATEGORY_PALETTE.length }, (_, i) => categoryColor(i + 1))).size).toBe(CATEGORY_PALETTE.length);
  });

  it('keys 1–9 number the categories by id, whatever order the list has', () => {
    const list = [{ id: 7, name: 'c' }, { id: 2, name: 'a' }, { id: 5, name: 'b' }];
    expect(categoryOfKey(list, 1)).toEqual({ id: 2, name: 'a' });
    expect(categoryOfKey(list, 3)).toEqual({ id: 7, name: 'c' });
    expect(categoryOfKey(list, 4)).toBeNull();
    expect(categoryOfKey(list, 0)).toBeNull();
    expect(categoryKeyOf(list, 5)).toBe(2);
    const many = Array.from({ length: 12 }, (_, i) => ({ id: i + 1, name: `c${i}` }));
    expect(categoryKeyOf(many, 9)).toBe(9);
    expect(categoryKeyOf(many, 10)).toBeNull();
  });
});
