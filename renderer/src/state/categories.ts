// Category management from the Categories dialog (issue 9): each action is one
// store call; afterwards the category list, the boxes on screen and the image
// counts are read back. These are not undo steps (they can touch thousands of
// boxes), so the undo history is cleared and deleting boxes asks first.
import { egm } from '../egm';
import { history, saveQueue } from './edits';
import { guard } from './guard';
import { localId } from './ids';
import { refreshImages } from './project';
import { app, notify } from './store';

async function reload(): Promise<void> {
  const imageId = app.get().currentImageId;
  const [categories, annotations] = await Promise.all([
    egm()['categories:list']({}),
    imageId === null ? Promise.resolve(null) : egm()['annotations:list']({ imageId }),
  ]);
  app.set({ categories, ...(annotations ? { annotations: annotations.map((a) => ({ ...a, id: localId(a.id) })), selection: [] } : {}) });
  history.clear();
  // The list's own re-read: its filters, counts and names, and another image on screen if a category filter no longer lists this one.
  await refreshImages();
}

export async function renameCategory(id: number, name: string): Promise<void> {
  await guard('Renaming the category', async () => {
    await saveQueue.idle();
    await egm()['categories:rename']({ id, name });
    await reload();
  });
}

export async function mergeCategory(from: number, into: number): Promise<void> {
  await guard('Merging categories', async () => {
    await saveQueue.idle();
    const r = await egm()['categories:merge']({ from, into });
    await reload();
    notify(`Merged: ${r.moved} box${r.moved === 1 ? '' : 'es'} moved`);
  });
}

export async function deleteCategory(id: number, boxes: 'keep' | 'delete'): Promise<void> {
  await guard('Deleting the category', async () => {
    await saveQueue.idle();
    const r = await egm()['categories:delete']({ id, boxes });
    await reload();
    notify(boxes === 'delete' ? `Deleted the category and its ${r.boxes} box${r.boxes === 1 ? '' : 'es'}` : `Deleted the category; ${r.boxes} box${r.boxes === 1 ? '' : 'es'} kept without a category`);
  });
}
