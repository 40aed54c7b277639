import { describe, expect, it } from 'vitest';
import { leadingEqual, maxAbsDiff, sameIds, topTwo } from '../../scripts/parity/compare';

describe('parity measures', () => {
  it('maxAbsDiff: largest difference, NaN and length mismatches as the worst case', () => {
    expect(maxAbsDiff([1, 2, 3], [1, 2.5, 2])).toBe(1);
    expect(maxAbsDiff([1, NaN], [1, 1])).toBeNaN();
    expect(maxAbsDiff([1], [1, 2])).toBe(Infinity);
  });
  it('sameIds compares bigint and number ids by value', () => {
    expect(sameIds(BigInt64Array.of(1n, 2n), [1, 2])).toBe(true);
    expect(sameIds(BigInt64Array.of(1n, 2n), [1, 3])).toBe(false);
    expect(sameIds([1], [1, 1])).toBe(false);
  });
  it('leadingEqual counts the shared prefix', () => {
    expect(leadingEqual([5, 6, 7], [5, 6, 8, 9])).toBe(2);
    expect(leadingEqual([], [1])).toBe(0);
  });
  it('topTwo finds the argmax and its margin over the runner-up', () => {
    expect(topTwo([0.1, 3, 2.5, -1])).toEqual({ top: 1, margin: 0.5 });
    expect(topTwo([2, 2])).toEqual({ top: 0, margin: 0 });
  });
});
