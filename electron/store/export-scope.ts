// Which images an export takes (issue 18, "Export dialog"): every image, or
// only those marked done — the ones a person has finished reviewing, so a
// dataset cut mid-review holds no half-labelled picture. The dialog and
// `egm export --only-done` ask the same question here.
import type Database from 'better-sqlite3';
import type { ProjectStore } from './api';
import { preparedFor } from './prepared';

function prepare(db: Database.Database) {
  return {
    done: db.prepare("SELECT id FROM images WHERE status = 'done' ORDER BY id").pluck(),
  };
}

/** The ids of the images marked done. */
export function doneImageIds(store: ProjectStore): Set<number> {
  return new Set(preparedFor(store, prepare).done.all() as number[]);
}

/** The images an export takes: null for all of them, else the set of ids. */
export function exportedImageIds(store: ProjectStore, options: { onlyDone?: boolean }): ReadonlySet<number> | null {
  return options.onlyDone ? doneImageIds(store) : null;
}
