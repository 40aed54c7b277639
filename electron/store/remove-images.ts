// Removing images from a project (issue 11): the rows go, with everything that
// hangs off them (annotations, proposals, batch items, "not in this image"
// negatives: ON DELETE CASCADE), in ONE transaction. The image files on disk
// are never touched: removing an image from a project is not deleting a photo.
import type Database from 'better-sqlite3';
import type { ProjectStore } from './api';
import { preparedFor } from './prepared';

export interface RemovedImages {
  /** Images removed. */
  removed: number;
  /** Their annotations, removed with them. */
  annotations: number;
  /** Their pending proposals, removed with them. */
  proposals: number;
  /** Those proposals' ids (the review queue drops them). */
  proposalIds: number[];
}

function prepare(db: Database.Database) {
  return {
    exists: db.prepare('SELECT 1 FROM images WHERE id = ?').pluck(),
    annotations: db.prepare('SELECT COUNT(*) FROM annotations WHERE image_id = ?').pluck(),
    proposals: db.prepare('SELECT id FROM proposals WHERE image_id = ? ORDER BY id').pluck(),
    remove: db.prepare('DELETE FROM images WHERE id = ?'),
  };
}

/**
 * Removes these images and all they carry. All or nothing: an id the project
 * does not have fails the call (naming it) before anything is removed. An id
 * given twice counts once.
 */
export function removeImages(store: ProjectStore, ids: readonly number[]): RemovedImages {
  const sql = preparedFor(store, prepare);
  const unique = [...new Set(ids)];
  return store.transaction(() => {
    const unknown = unique.filter((id) => sql.exists.get(id) === undefined);
    if (unknown.length > 0) {
      const shown = unknown.slice(0, 5).join(', ') + (unknown.length > 5 ? `, … (${unknown.length} in all)` : '');
      throw new Error(`no image with id ${shown} in ${store.path}; nothing was removed`);
    }
    let annotations = 0;
    const proposalIds: number[] = [];
    for (const id of unique) {
      // Counted before the cascade deletes them: SQLite reports only the image row as changed.
      annotations += sql.annotations.get(id) as number;
      proposalIds.push(...(sql.proposals.all(id) as number[]));
      sql.remove.run(id);
    }
    return { removed: unique.length, annotations, proposals: proposalIds.length, proposalIds };
  });
}
