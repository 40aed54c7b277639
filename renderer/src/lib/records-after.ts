// A list of stored records (boxes of the image on screen, its "not in this
// image" marks) after an edit step's changes, in the store's order (oldest
// first, then by id). One rule for every list an undo step touches. Pure.
import type { Change } from '@core/history';

/** The list after the changes; a created or updated record that `keep` refuses (another image's) is left out. */
export function recordsAfter<T extends { id: number; createdAt: number }>(list: readonly T[], changes: readonly Change<T>[], keep: (r: T) => boolean = () => true): T[] {
  const byId = new Map(list.map((r) => [r.id, r]));
  for (const c of changes) {
    if (c.type === 'delete') byId.delete(c.before.id);
    else if (keep(c.after)) byId.set(c.after.id, c.after);
  }
  return [...byId.values()].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
}
