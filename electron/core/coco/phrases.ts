// The `phrases` extension of a COCO annotation (every referring phrase of the
// object, phrase first) and the store's JSON form of the others. Pure.

/** A stored JSON list of phrases; anything else reads as none. */
export function parsePhrases(stored: string | undefined): string[] {
  if (!stored || stored === '[]') return [];
  try {
    const value: unknown = JSON.parse(stored);
    return Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * phrase and morePhrases of an imported annotation from its `phrase` and
 * `phrases` values (already checked to be a string and a list of strings):
 * `phrase` when given, else the first of `phrases`; the others in their order,
 * without repeats or empty ones.
 */
export function splitPhrases(phrase: string | undefined, phrases: string[] | undefined): { phrase: string; morePhrases: string[] } {
  const main = phrase ?? phrases?.[0] ?? '';
  const seen = new Set([main]);
  const morePhrases: string[] = [];
  for (const p of phrases ?? []) {
    if (p.trim() === '' || seen.has(p)) continue;
    seen.add(p);
    morePhrases.push(p);
  }
  return { phrase: main, morePhrases };
}
