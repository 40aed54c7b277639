// Category management (issue 9, item 7): how many boxes each category has,
// merging one category into another (its boxes move, it goes), and deleting
// one, either keeping its boxes without a category or deleting them with it.
// Each is one transaction on the store's connection.
import type Database from 'better-sqlite3';
import type { Category } from '@core/types';
import type { ProjectStore } from './api';
import { preparedFor } from './prepared';

export interface CategoryUsage extends Category {
  boxes: number;
}

function prepare(db: Database.Database) {
  return {
    usage: db.prepare(`SELECT c.id, c.name, COUNT(a.id) AS boxes FROM categories c
      LEFT JOIN annotations a ON a.category_id = c.id GROUP BY c.id ORDER BY c.id`),
    exists: db.prepare('SELECT 1 FROM categories WHERE id = ?').pluck(),
    move: db.prepare('UPDATE annotations SET category_id = ?, updated_at = ? WHERE category_id = ?'),
    clear: db.prepare('UPDATE annotations SET category_id = NULL, updated_at = ? WHERE category_id = ?'),
    deleteBoxes: db.prepare('DELETE FROM annotations WHERE category_id = ?'),
    deleteCategory: db.prepare('DELETE FROM categories WHERE id = ?'),
  };
}

const statements = (store: ProjectStore) => preparedFor(store, prepare);

export function categoryUsage(store: ProjectStore): CategoryUsage[] {
  return statements(store).usage.all() as CategoryUsage[];
}

function requireCategory(store: ProjectStore, id: number): void {
  if (statements(store).exists.get(id) === undefined) throw new Error(`category ${id} not found in ${store.path}`);
}

/** Moves every box of `fromId` to `intoId` and removes `fromId`; returns how many boxes moved. */
export function mergeCategory(store: ProjectStore, fromId: number, intoId: number): { moved: number } {
  if (fromId === intoId) throw new Error(`cannot merge category ${fromId} into itself`);
  return store.transaction(() => {
    requireCategory(store, fromId);
    requireCategory(store, intoId);
    const moved = statements(store).move.run(intoId, Date.now(), fromId).changes;
    statements(store).deleteCategory.run(fromId);
    return { moved };
  });
}

/** Removes a category; its boxes stay without a category ('keep') or are deleted with it ('delete'). */
export function deleteCategory(store: ProjectStore, id: number, boxes: 'keep' | 'delete'): { boxes: number } {
  return store.transaction(() => {
    requireCategory(store, id);
    const s = statements(store);
    const changed = boxes === 'delete' ? s.deleteBoxes.run(id).changes : s.clear.run(Date.now(), id).changes;
    s.deleteCategory.run(id);
    return { boxes: changed };
  });
}
