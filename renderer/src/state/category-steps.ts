// Category edits as undo steps (issue 16, item 5): a rename, a merge and a
// delete are each ONE step of the workbench's history, undone and redone like
// any box edit. A step holds the category as a record whose change says what
// to do: update = rename; delete = the category goes (its boxes merged into
// `into`, kept without a category, or deleted with it: `annotations`);
// create = it comes back with its boxes (categories:restore). This module
// shows such a change on screen and makes its store call; edits.ts queues it
// for the 'category' changes of a step, whatever else the step holds.
import type { Change } from '@core/history';
import type { Annotation, Category } from '@core/types';
import type { EgmApi } from '@ipc/contract';
import { workbench } from '../workbench/current';
import { guard } from './guard';
import { app } from './store';

export interface CategoryRecord extends Category {
  /** Where its boxes went when it was removed: this category (a merge), else null. */
  into: number | null;
  /** Store ids of the boxes that left it: moved by a merge, or kept without a category. */
  annotationIds: number[];
  /** The boxes deleted with it, whole (store ids). */
  annotations: Annotation[];
}

/** A category record for a rename (nothing happens to its boxes). */
export const categoryRecord = (c: Category): CategoryRecord => ({ id: c.id, name: c.name, into: null, annotationIds: [], annotations: [] });

const byId = (a: Category, b: Category) => a.id - b.id;

/** Shows category changes at once: the category list, and the boxes of the image on screen. */
export function applyCategoryChanges(changes: readonly Change<CategoryRecord>[]): void {
  const { ids } = workbench();
  let { categories, annotations, selection } = app.get();
  for (const c of changes) {
    if (c.type === 'update') {
      categories = categories.map((x) => (x.id === c.after.id ? { id: x.id, name: c.after.name } : x));
    } else if (c.type === 'delete') {
      const gone = c.before;
      categories = categories.filter((x) => x.id !== gone.id);
      annotations = gone.annotations.length > 0
        ? annotations.filter((a) => a.categoryId !== gone.id)
        : annotations.map((a) => (a.categoryId === gone.id ? { ...a, categoryId: gone.into } : a));
    } else {
      const back = c.after;
      categories = [...categories.filter((x) => x.id !== back.id), { id: back.id, name: back.name }].sort(byId);
      const returning = new Set(back.annotationIds.map((id) => ids.local(id)));
      annotations = annotations.map((a) => (returning.has(a.id) ? { ...a, categoryId: back.id } : a));
      const imageId = app.get().currentImageId;
      const restored = back.annotations.filter((a) => a.imageId === imageId).map((a) => ({ ...a, id: ids.local(a.id), categoryId: back.id }));
      annotations = [...annotations, ...restored];
    }
  }
  const live = new Set(annotations.map((a) => a.id));
  selection = selection.filter((id) => live.has(id));
  app.set({ categories, annotations, selection });
}

/** The store call of one category change; `api` is tagged for the project (egm.ts projectApi). */
export function categoryCall(api: EgmApi, c: Change<CategoryRecord>): () => Promise<unknown> {
  return () => {
    if (c.type === 'update') return api['categories:rename']({ id: c.after.id, name: c.after.name });
    if (c.type === 'create') {
      const { id, name, annotationIds, annotations } = c.after;
      return api['categories:restore']({ category: { id, name }, annotationIds, annotations });
    }
    const { id, into, annotations } = c.before;
    if (into !== null) return api['categories:merge']({ from: id, into });
    return api['categories:delete']({ id, boxes: annotations.length > 0 ? 'delete' : 'keep' });
  };
}

/** A category change was stored: the image list (counts, category filter) is read again. */
export function afterCategorySaved(): void {
  void guard('Reading the image list', workbench().links.refreshList);
}
