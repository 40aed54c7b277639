// Category management (issue 9, item 7): box counts, merge (boxes move, the
// category goes), delete keeping the boxes without a category or with them;
// one-line errors and nothing changed on a bad request.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectStore } from '../../electron/store/api';
import { categoryImpact, categoryUsage, deleteCategory, mergeCategory, restoreCategory } from '../../electron/store/categories';
import { openProjectStore } from '../../electron/store/project-store';
import { annotationInput, tempDir } from '../helpers/store-temp';

let tmp: ReturnType<typeof tempDir>;
let store: ProjectStore;
let ids: Record<string, number>;
beforeEach(() => {
  tmp = tempDir('egm-categories-');
  store = openProjectStore(join(tmp.dir, 'p.egm'), { create: true });
  const imageId = store.addImages([{ absolutePath: join(tmp.dir, 'a.jpg'), width: 400, height: 300, orientation: 1 }]).added[0]!.id;
  ids = Object.fromEntries(['cup', 'mug', 'lime', 'empty'].map((name) => [name, store.ensureCategory(name).id]));
  for (const [name, n] of [['cup', 2], ['mug', 1], ['lime', 3]] as const) {
    for (let i = 0; i < n; i++) store.createAnnotation(annotationInput(imageId, { categoryId: ids[name]!, phrase: `${name} ${i}` }));
  }
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const counts = () => Object.fromEntries(categoryUsage(store).map((c) => [c.name, c.boxes]));

describe('category management', () => {
  it('counts boxes per category, unused ones included', () => {
    expect(counts()).toEqual({ cup: 2, mug: 1, lime: 3, empty: 0 });
  });

  it('merges: the boxes move, the category goes', () => {
    const mugBox = store.allAnnotations().find((a) => a.phrase === 'mug 0')!.id;
    expect(mergeCategory(store, ids.mug!, ids.cup!)).toEqual({ moved: 1, category: { id: ids.mug, name: 'mug' }, annotationIds: [mugBox] });
    expect(counts()).toEqual({ cup: 3, lime: 3, empty: 0 });
    expect(store.allAnnotations().filter((a) => a.phrase === 'mug 0')[0]!.categoryId).toBe(ids.cup);
  });

  it('deletes keeping the boxes without a category, or with its boxes', () => {
    expect(deleteCategory(store, ids.lime!, 'keep')).toMatchObject({ boxes: 3, category: { id: ids.lime, name: 'lime' }, annotations: [] });
    expect(store.allAnnotations().filter((a) => a.phrase.startsWith('lime')).map((a) => a.categoryId)).toEqual([null, null, null]);
    const deleted = deleteCategory(store, ids.cup!, 'delete');
    expect(deleted).toMatchObject({ boxes: 2, annotationIds: [] });
    expect(deleted.annotations.map((a) => a.phrase)).toEqual(['cup 0', 'cup 1']);
    expect(store.allAnnotations().map((a) => a.phrase)).toEqual(['mug 0', 'lime 0', 'lime 1', 'lime 2']);
    expect(counts()).toEqual({ mug: 1, empty: 0 });
  });

  it('names the boxes a change touches, image by image', () => {
    const other = store.addImages([{ absolutePath: join(tmp.dir, 'b.jpg'), width: 400, height: 300, orientation: 1 }]).added[0]!.id;
    store.createAnnotation(annotationInput(other, { categoryId: ids.cup! }));
    expect(categoryImpact(store, ids.cup!)).toEqual({ boxes: 3, imageCount: 2, images: [{ id: 1, fileName: 'a.jpg', boxes: 2 }, { id: other, fileName: 'b.jpg', boxes: 1 }] });
    expect(categoryImpact(store, ids.empty!)).toEqual({ boxes: 0, imageCount: 0, images: [] });
  });

  it('restores a merged or deleted category with exactly its boxes (the undo of both)', () => {
    const before = store.allAnnotations();
    const merged = mergeCategory(store, ids.mug!, ids.cup!);
    restoreCategory(store, merged.category, merged.annotationIds, []);
    const kept = deleteCategory(store, ids.lime!, 'keep');
    restoreCategory(store, kept.category, kept.annotationIds, []);
    const gone = deleteCategory(store, ids.cup!, 'delete');
    restoreCategory(store, gone.category, [], gone.annotations);
    expect(counts()).toEqual({ cup: 2, mug: 1, lime: 3, empty: 0 });
    expect(store.allAnnotations().map((a) => [a.id, a.categoryId, a.phrase])).toEqual(before.map((a) => [a.id, a.categoryId, a.phrase]));
    // The id or the name in use again: refused in one line, nothing changed.
    expect(() => restoreCategory(store, { id: ids.cup!, name: 'other' }, [], [])).toThrow(`cannot restore category 'other': id ${ids.cup} is 'cup'`);
    store.renameCategory(ids.empty!, 'gone');
    const removed = deleteCategory(store, ids.empty!, 'keep');
    store.ensureCategory('gone');
    expect(() => restoreCategory(store, removed.category, [], [])).toThrow("cannot restore category 'gone': another category has that name now");
  });

  it('refuses unknown categories and a merge into itself, changing nothing', () => {
    expect(() => mergeCategory(store, ids.cup!, ids.cup!)).toThrow(`cannot merge category ${ids.cup} into itself`);
    expect(() => mergeCategory(store, ids.cup!, 999)).toThrow(`category 999 not found in ${store.path}`);
    expect(() => deleteCategory(store, 999, 'delete')).toThrow('category 999 not found');
    expect(counts()).toEqual({ cup: 2, mug: 1, lime: 3, empty: 0 });
  });
});
