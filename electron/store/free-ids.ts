// Keeping imported ids (issue 9): a COCO image, category or annotation keeps
// its id in the project where that id is free; the others get SQLite's next.
import type Database from 'better-sqlite3';

/** `wanted` of each where free, null for an id wanted twice in the batch (its first holder keeps it). */
export function freeIds(wanted: (number | undefined)[], exists: Database.Statement, maxId: Database.Statement): (number | null)[] {
  const seen = new Set<number>();
  // An id above the largest stored one is free without asking (an import into a new project asks nothing).
  const max = (maxId.get() as number | null) ?? 0;
  return wanted.map((id) => {
    const free = id !== undefined && Number.isSafeInteger(id) && id > max ? id : freeId(id, exists);
    if (free === null || seen.has(free)) return null;
    seen.add(free);
    return free;
  });
}

/** `wanted` when it is a usable id (integer ≥ 1, within SQLite's range) not yet taken; else null (SQLite picks the next free one). */
export function freeId(wanted: number | undefined, exists: Database.Statement): number | null {
  if (wanted === undefined || !Number.isSafeInteger(wanted) || wanted < 1) return null;
  return exists.get(wanted) === undefined ? wanted : null;
}
