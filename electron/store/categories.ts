// Category management (issue 9, item 7; issue 16, item 5): how many boxes each
// category has and on which images, merging one category into another (its
// boxes move, it goes), deleting one (its boxes kept without a category, or
// deleted with it), and putting a merged or deleted category back with its
// boxes (the undo of both). Each is one transaction on the store's connection;
// merge and delete answer what their undo needs (the category and its boxes).
import type Database from 'better-sqlite3';
import type { Annotation, Category } from '@core/types';
import type { CategoryImpact } from '@ipc/contract';
import type { ProjectStore } from './api';
import { preparedFor } from './prepared';
import { toAnnotation, type AnnotationRow } from './rows';

export interface CategoryUsage extends Category {
  boxes: number;
}


/** Images a CategoryImpact names; the rest are counted. */
export const IMPACT_IMAGES = 20;

/** What a merge changed: its undo puts `category` back and gives it `annotationIds` again. */
export interface MergeResult {
  moved: number;
  category: Category;
  annotationIds: number[];
}

/** What a delete changed: the boxes kept without a category (`annotationIds`) or deleted with it (`annotations`, whole). */
export interface DeleteResult {
  boxes: number;
  category: Category;
  annotationIds: number[];
  annotations: Annotation[];
}

function prepare(db: Database.Database) {
  return {
    usage: db.prepare(`SELECT c.id, c.name, COUNT(a.id) AS boxes FROM categories c
      LEFT JOIN annotations a ON a.category_id = c.id GROUP BY c.id ORDER BY c.id`),
    category: db.prepare('SELECT id, name FROM categories WHERE id = ?'),
    byName: db.prepare('SELECT id, name FROM categories WHERE name = ?'),
    insert: db.prepare('INSERT INTO categories (id, name) VALUES (?, ?)'),
    boxIds: db.prepare('SELECT id FROM annotations WHERE category_id = ? ORDER BY id').pluck(),
    boxes: db.prepare('SELECT * FROM annotations WHERE category_id = ? ORDER BY id'),
    perImage: db.prepare(`SELECT i.id, i.file_name AS fileName, COUNT(*) AS boxes FROM annotations a
      JOIN images i ON i.id = a.image_id WHERE a.category_id = ? GROUP BY i.id ORDER BY boxes DESC, i.file_name, i.id`),
    move: db.prepare('UPDATE annotations SET category_id = ?, updated_at = ? WHERE category_id = ?'),
    setOne: db.prepare('UPDATE annotations SET category_id = ?, updated_at = ? WHERE id = ?'),
    clear: db.prepare('UPDATE annotations SET category_id = NULL, updated_at = ? WHERE category_id = ?'),
    deleteBoxes: db.prepare('DELETE FROM annotations WHERE category_id = ?'),
    deleteCategory: db.prepare('DELETE FROM categories WHERE id = ?'),
  };
}

const statements = (store: ProjectStore) => preparedFor(store, prepare);

export function categoryUsage(store: ProjectStore): CategoryUsage[] {
  return statements(store).usage.all() as CategoryUsage[];
}

function requireCategory(store: ProjectStore, id: number): Category {
  const category = statements(store).category.get(id) as Category | undefined;
  if (category === undefined) throw new Error(`category ${id} not found in ${store.path}`);
  return category;
}

/** How many boxes the category has and on which images (most boxes first, IMPACT_IMAGES of them named): what the Categories dialog names before a merge or delete. */
export function categoryImpact(store: ProjectStore, id: number): CategoryImpact {
  requireCategory(store, id);
  const rows = statements(store).perImage.all(id) as CategoryImpact['images'];
  return { boxes: rows.reduce((n, r) => n + r.boxes, 0), images: rows.slice(0, IMPACT_IMAGES), imageCount: rows.length };
}

/** Moves every box of `fromId` to `intoId` and removes `fromId`. */
export function mergeCategory(store: ProjectStore, fromId: number, intoId: number): MergeResult {
  if (fromId === intoId) throw new Error(`cannot merge category ${fromId} into itself`);
  return store.transaction(() => {
    const category = requireCategory(store, fromId);
    requireCategory(store, intoId);
    const s = statements(store);
    const annotationIds = s.boxIds.all(fromId) as number[];
    const moved = s.move.run(intoId, Date.now(), fromId).changes;
    s.deleteCategory.run(fromId);
    return { moved, category, annotationIds };
  });
}

/** Removes a category; its boxes stay without a category ('keep') or are deleted with it ('delete'). */
export function deleteCategory(store: ProjectStore, id: number, boxes: 'keep' | 'delete'): DeleteResult {
  return store.transaction(() => {
    const category = requireCategory(store, id);
    const s = statements(store);
    if (boxes === 'delete') {
      const annotations = (s.boxes.all(id) as AnnotationRow[]).map(toAnnotation);
      s.deleteBoxes.run(id);
      s.deleteCategory.run(id);
      return { boxes: annotations.length, category, annotationIds: [], annotations };
    }
    const annotationIds = s.boxIds.all(id) as number[];
    s.clear.run(Date.now(), id);
    s.deleteCategory.run(id);
    return { boxes: annotationIds.length, category, annotationIds, annotations: [] };
  });
}

/**
 * The undo of a merge or delete: the category back under its id and name, the
 * boxes that were deleted with it back under theirs, and the boxes that left it
 * (`annotationIds`: moved by a merge, or kept without a category) in it again.
 * A box deleted since is passed over; nothing else changes.
 */
export function restoreCategory(store: ProjectStore, category: Category, annotationIds: readonly number[], annotations: Annotation[]): Category {
  return store.transaction(() => {
    const s = statements(store);
    const taken = s.category.get(category.id) as Category | undefined;
    if (taken) throw new Error(`cannot restore category '${category.name}': id ${category.id} is '${taken.name}' in ${store.path}`);
    const named = s.byName.get(category.name) as Category | undefined;
    if (named) throw new Error(`cannot restore category '${category.name}': another category has that name now`);
    s.insert.run(category.id, category.name);
    if (annotations.length > 0) store.restoreAnnotations(annotations.map((a) => ({ ...a, categoryId: category.id })));
    const now = Date.now();
    for (const id of annotationIds) s.setOne.run(category.id, now, id);
    return { id: category.id, name: category.name };
  });
}
