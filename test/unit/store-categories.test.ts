// Category management (issue 9, item 7): box counts, merge (boxes move, the
// category goes), delete keeping the boxes without a category or with them;
// one-line errors and nothing changed on a bad request.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectStore } from '../../electron/store/api';
import { categoryUsage, deleteCategory, mergeCategory } from '../../electron/store/categories';
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
    expect(mergeCategory(store, ids.mug!, ids.cup!)).toEqual({ moved: 1 });
    expect(counts()).toEqual({ cup: 3, lime: 3, empty: 0 });
    expect(store.allAnnotations().filter((a) => a.phrase === 'mug 0')[0]!.categoryId).toBe(ids.cup);
  });

  it('deletes keeping the boxes without a category, or with its boxes', () => {
    expect(deleteCategory(store, ids.lime!, 'keep')).toEqual({ boxes: 3 });
    expect(store.allAnnotations().filter((a) => a.phrase.startsWith('lime')).map((a) => a.categoryId)).toEqual([null, null, null]);
    expect(deleteCategory(store, ids.cup!, 'delete')).toEqual({ boxes: 2 });
    expect(store.allAnnotations().map((a) => a.phrase)).toEqual(['mug 0', 'lime 0', 'lime 1', 'lime 2']);
    expect(counts()).toEqual({ mug: 1, empty: 0 });
  });

  it('refuses unknown categories and a merge into itself, changing nothing', () => {
    expect(() => mergeCategory(store, ids.cup!, ids.cup!)).toThrow(`cannot merge category ${ids.cup} into itself`);
    expect(() => mergeCategory(store, ids.cup!, 999)).toThrow(`category 999 not found in ${store.path}`);
    expect(() => deleteCategory(store, 999, 'delete')).toThrow('category 999 not found');
    expect(counts()).toEqual({ cup: 2, mug: 1, lime: 3, empty: 0 });
  });
});
