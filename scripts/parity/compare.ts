// The measures `npm run parity` reports, as pure functions over plain arrays.

/** Largest |a[i] − b[i]|; Infinity when the lengths differ (nothing comparable). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= worst)) worst = d; // NaN counts as worst
  }
  return worst;
}

/** Whether two id lists are the same (bigint or number elements compared as numbers). */
export function sameIds(a: ArrayLike<number | bigint>, b: ArrayLike<number | bigint>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (Number(a[i]) !== Number(b[i])) return false;
  return true;
}

/** How many leading elements two token lists share. */
export function leadingEqual(a: readonly number[], b: readonly number[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** Index of the largest value and the gap to the second largest (how far an error must go to flip the choice). */
export function topTwo(values: ArrayLike<number>): { top: number; margin: number } {
  let top = 0;
  let best = -Infinity;
  let second = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > best) {
      second = best;
      best = v;
      top = i;
    } else if (v > second) second = v;
  }
  return { top, margin: best - second };
}
