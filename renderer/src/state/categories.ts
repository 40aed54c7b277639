// Category management from the Categories dialog (issue 9; issue 16, item 5).
// Merge and delete ask first, naming the boxes they touch (categories:impact);
// rename to a name another category has offers to merge into it instead. Each
// action is one store call made once the pending edits are saved (a refusal
// is the error banner's one line, and nothing is recorded), then recorded as
// ONE undo step (category-steps.ts), so Ctrl+Z puts the category and its
// boxes back through the save queue like any edit; the image list is read
// again after it (counts, filters).
import type { CategoryImpact } from '@ipc/contract';
import type { Category } from '@core/types';
import { askConfirm } from '../components/confirm';
import { egm } from '../egm';
import { workbench } from '../workbench/current';
import { categoryChanges, recordApplied, saveQueue } from './edits';
import { categoryRecord, type CategoryRecord } from './category-steps';
import { guard } from './guard';
import { app, notify } from './store';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : word.endsWith('x') ? 'es' : 's'}`;

/** "3 boxes on 2 images (messi5.jpg: 2, fruits.jpg: 1)", or "no boxes". */
export function describeImpact(impact: CategoryImpact): string {
  if (impact.boxes === 0) return 'no boxes';
  const named = impact.images.map((i) => `${i.fileName}: ${i.boxes}`).join(', ');
  const more = impact.imageCount > impact.images.length ? `, and ${plural(impact.imageCount - impact.images.length, 'more image')}` : '';
  return `${plural(impact.boxes, 'box')} on ${plural(impact.imageCount, 'image')} (${named}${more})`;
}

const nameOf = (id: number): string => app.get().categories.find((c) => c.id === id)?.name ?? `category ${id}`;

/** Records a category step the store has made: one undo step, then the image list read again. */
async function recordCategoryStep(label: string, changes: Parameters<typeof categoryChanges>[0]): Promise<void> {
  const selection = app.get().selection;
  recordApplied({ label, imageId: app.get().currentImageId ?? 0, changes: categoryChanges(changes), selectionBefore: selection, selectionAfter: selection });
  await guard('Reading the image list', () => workbench().links.refreshList());
}

async function impactOf(id: number): Promise<CategoryImpact | undefined> {
  return guard('Counting the boxes of the category', async () => {
    await saveQueue.idle();
    return egm()['categories:impact']({ id });
  });
}

async function rename(c: Category, name: string): Promise<void> {
  await saveQueue.idle();
  const after = await egm()['categories:rename']({ id: c.id, name });
  await recordCategoryStep(`Rename category '${c.name}'`, [{ type: 'update', before: categoryRecord(c), after: categoryRecord(after) }]);
}

async function merge(from: Category, into: number): Promise<void> {
  await saveQueue.idle();
  const r = await egm()['categories:merge']({ from: from.id, into });
  const before: CategoryRecord = { ...r.category, into, annotationIds: r.annotationIds, annotations: [] };
  await recordCategoryStep(`Merge '${from.name}' into '${nameOf(into)}'`, [{ type: 'delete', before }]);
  notify(`Merged: ${plural(r.moved, 'box')} moved to '${nameOf(into)}' (Ctrl+Z undoes it)`);
}

async function remove(c: Category, boxes: 'keep' | 'delete'): Promise<void> {
  await saveQueue.idle();
  const r = await egm()['categories:delete']({ id: c.id, boxes });
  const before: CategoryRecord = { ...r.category, into: null, annotationIds: r.annotationIds, annotations: r.annotations };
  await recordCategoryStep(boxes === 'delete' ? `Delete '${c.name}' and its boxes` : `Delete category '${c.name}'`, [{ type: 'delete', before }]);
  notify(
    boxes === 'delete'
      ? `Deleted '${c.name}' and its ${plural(r.boxes, 'box')} (Ctrl+Z undoes it)`
      : `Deleted '${c.name}'; ${plural(r.boxes, 'box')} kept without a category (Ctrl+Z undoes it)`,
  );
}

/** Asks before merging `from` into `into`, naming the boxes that move. */
export async function confirmMerge(from: Category, into: number, onCancel?: () => void): Promise<void> {
  const impact = await impactOf(from.id);
  if (!impact) return onCancel?.();
  askConfirm({
    text: `Merge '${from.name}' into '${nameOf(into)}'? Its ${describeImpact(impact)} become '${nameOf(into)}', and '${from.name}' goes. Ctrl+Z undoes it.`,
    confirmLabel: 'Merge',
    onConfirm: () => guard('Merging categories', () => merge(from, into)).then(() => undefined),
    ...(onCancel ? { onCancel } : {}),
  });
}

/** Asks before deleting a category, naming its boxes and what happens to them. */
export async function confirmDelete(c: Category, boxes: 'keep' | 'delete'): Promise<void> {
  const impact = await impactOf(c.id);
  if (!impact) return;
  const what = describeImpact(impact);
  askConfirm({
    text: boxes === 'delete'
      ? `Delete '${c.name}' and its ${what}? Ctrl+Z undoes it.`
      : `Delete '${c.name}'? ${impact.boxes === 0 ? 'No box has it.' : `Its ${what} stay, without a category.`} Ctrl+Z undoes it.`,
    confirmLabel: boxes === 'delete' ? 'Delete with boxes' : 'Delete',
    onConfirm: () => guard('Deleting the category', () => remove(c, boxes)).then(() => undefined),
  });
}

/**
 * Renames a category. A name another category has already is not an error:
 * it offers to merge into that one (there are never two of one name);
 * `onCancel` runs when the user declines (the field shows the old name again).
 */
export async function renameCategory(c: Category, name: string, onCancel?: () => void): Promise<void> {
  const clean = name.trim();
  if (clean === '' || clean === c.name) return onCancel?.();
  const other = app.get().categories.find((x) => x.id !== c.id && x.name === clean);
  if (other) return confirmMerge(c, other.id, onCancel);
  await guard('Renaming the category', () => rename(c, clean));
}
