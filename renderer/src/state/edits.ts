// Every annotation edit goes through commit(): the UI state changes at once,
// one undo step is recorded, and the store calls are queued (autosave, in
// order, kept and retried on failure — see electron/core/save-queue.ts).
// The History and the SaveQueue belong to the workbench (workbench.ts);
// `history` and `saveQueue` here are the installed workbench's.
import { changesOf, diffRecords, ofKind, type Change, type History, type KindChange, type Step } from '@core/history';
import type { SaveQueue } from '@core/save-queue';
import type { Annotation, AnnotationPatch, Proposal } from '@core/types';
import type { Negative } from '@core/negatives';
import { egm } from '../egm';
import { remoteId } from './ids';
import { workbench } from '../workbench/current';
import { countDeltaAfter } from './image-counts';
import { negativesAfter } from '../lib/negative-list';
import { recordsAfter } from '../lib/records-after';
import { app, currentImage, notify } from './store';
import { applyCategoryChanges, persistCategory, type CategoryRecord } from './category-steps';

/**
 * What an edit changes: annotations, the model proposals an accept or reject
 * consumed (issue 4), "not in this image" negatives (issue 11), and
 * categories renamed, merged or deleted (issue 16: category-steps.ts).
 */
export type EditRecords = { annotation: Annotation; proposal: Proposal; negative: Negative; category: CategoryRecord };
export type EditHistory = History<EditRecords>;
export type EditStep = Step<EditRecords>;
export type EditChange = KindChange<EditRecords>;

export const annotationChanges = (changes: readonly Change<Annotation>[]): EditChange[] => ofKind<EditRecords, 'annotation'>('annotation', changes);
export const proposalChanges = (changes: readonly Change<Proposal>[]): EditChange[] => ofKind<EditRecords, 'proposal'>('proposal', changes);
export const negativeChanges = (changes: readonly Change<Negative>[]): EditChange[] => ofKind<EditRecords, 'negative'>('negative', changes);
export const categoryChanges = (changes: readonly Change<CategoryRecord>[]): EditChange[] => ofKind<EditRecords, 'category'>('category', changes);

/** A step that changes only categories: it belongs to no image (undo does not bring one into view, nor mark one in progress). */
const categoriesOnly = (changes: readonly EditChange[]): boolean => changes.every((c) => c.kind === 'category');

/** The installed workbench's undo history and save queue, under the names the callers have always used. */
export const history = {
  get canUndo(): boolean {
    return workbench().history.canUndo;
  },
  get canRedo(): boolean {
    return workbench().history.canRedo;
  },
  get undoLabel(): string | null {
    return workbench().history.undoLabel;
  },
  get redoLabel(): string | null {
    return workbench().history.redoLabel;
  },
  clear: (): void => workbench().history.clear(),
};
export const saveQueue = {
  push: (...args: Parameters<SaveQueue['push']>): ReturnType<SaveQueue['push']> => workbench().saveQueue.push(...args),
  idle: (): Promise<void> => workbench().saveQueue.idle(),
  retry: (): ReturnType<SaveQueue['retry']> => workbench().saveQueue.retry(),
};

type Fields = Omit<Annotation, 'id' | 'imageId' | 'createdAt' | 'updatedAt'>;
export function fieldsOf(a: Annotation): Fields {
  const { categoryId, phrase, morePhrases, visible, amodal, occluded, source, model, score, reviewed, color } = a;
  return { categoryId, phrase, morePhrases, visible, amodal, occluded, source, model, score, reviewed, color };
}

export function sameAnnotation(a: Annotation, b: Annotation): boolean {
  return JSON.stringify(fieldsOf(a)) === JSON.stringify(fieldsOf(b));
}

/** The image a box change is on: its own (a bulk accept's step holds boxes of many images), else the step's. */
function imageOfChange(c: Change<Annotation>, stepImageId: number): number {
  return (c.type === 'delete' ? c.before : c.after).imageId ?? stepImageId;
}

/**
 * Applies a step's changes to the UI state: each image's count change is
 * recorded whatever image is on screen (the image list derives its counts
 * from it: image-counts.ts), the boxes only for the image on screen; proposal
 * changes go to the review queue.
 */
function applyLocal(imageId: number, changes: readonly EditChange[]): void {
  const s = app.get();
  const boxes = changesOf(changes, 'annotation');
  const proposals = changesOf(changes, 'proposal');
  if (proposals.length > 0) workbench().links.applyProposals(proposals);
  const negatives = changesOf(changes, 'negative');
  if (negatives.length > 0) app.set({ negatives: negativesAfter(app.get().negatives, app.get().currentImageId, negatives) });
  const categories = changesOf(changes, 'category');
  if (categories.length > 0) applyCategoryChanges(categories);
  if (boxes.length === 0) return;
  const byImage = new Map<number, Change<Annotation>[]>();
  for (const c of boxes) {
    const id = imageOfChange(c, imageId);
    byImage.set(id, [...(byImage.get(id) ?? []), c]);
  }
  let countDelta = s.countDelta;
  for (const [id, group] of byImage) countDelta = countDeltaAfter(countDelta, id, group);
  const here = s.currentImageId === null ? undefined : byImage.get(s.currentImageId);
  if (!here) return app.set({ countDelta });
  const annotations = recordsAfter(s.annotations, here);
  const live = new Set(annotations.map((a) => a.id));
  app.set({ annotations, countDelta, selection: s.selection.filter((id) => live.has(id)) });
}

/** Queues the store call for a proposal change: delete = reject, create = restore under its id. */
function persistProposal(label: string, c: Change<Proposal>): void {
  if (c.type === 'delete') void saveQueue.push(label, () => egm()['proposals:reject']({ id: c.before.id }));
  else if (c.type === 'create') void saveQueue.push(label, () => egm()['proposals:restore']({ proposal: { ...c.after } as Proposal & Record<string, unknown> }));
}

/** Queues the store call for a negative change: delete = remove, create = restore under its id. */
function persistNegative(label: string, c: Change<Negative>): void {
  if (c.type === 'delete') void saveQueue.push(label, () => egm()['negatives:remove']({ id: c.before.id }));
  else if (c.type === 'create') void saveQueue.push(label, () => egm()['negatives:restore']({ negative: c.after }));
}

/** Queues the store calls for a step's changes, in order. */
function persist(label: string, imageId: number, changes: readonly EditChange[]): void {
  for (const tagged of changes) {
    if (tagged.kind === 'proposal') {
      persistProposal(label, tagged.change);
      continue;
    }
    if (tagged.kind === 'negative') {
      persistNegative(label, tagged.change);
      continue;
    }
    if (tagged.kind === 'category') {
      persistCategory(label, tagged.change);
      continue;
    }
    const c = tagged.change;
    if (c.type === 'create') {
      const a = c.after;
      const { ids } = workbench();
      const on = imageOfChange(c, imageId);
      void saveQueue.push(label, async () => {
        if (ids.isNew(a.id)) {
          const stored = await egm()['annotations:create']({ imageId: on, ...fieldsOf(a) });
          ids.bind(a.id, stored.id);
        } else {
          // Re-creating a deleted record (undo of delete, redo of create): same id as before.
          await egm()['annotations:restore']({ annotations: [{ ...a, id: ids.remote(a.id), imageId: on }] });
        }
      });
    } else if (c.type === 'delete') {
      const id = c.before.id;
      void saveQueue.push(label, () => egm()['annotations:delete']({ ids: [remoteId(id)] }));
    } else {
      const { id } = c.after;
      const patch: AnnotationPatch = fieldsOf(c.after);
      void saveQueue.push(label, () => egm()['annotations:update']({ id: remoteId(id), patch }));
    }
  }
  const img = currentImage();
  if (img && img.id === imageId && img.status === 'todo' && !categoriesOnly(changes)) {
    app.set({ images: app.get().images.map((i) => (i.id === imageId ? { ...i, status: 'in-progress' } : i)) });
    void saveQueue.push('Mark image in progress', () => egm()['images:setStatus']({ id: imageId, status: 'in-progress' }));
  }
}

function tick(): void {
  app.set({ historyTick: app.get().historyTick + 1 });
}

/** One user edit: UI now, one undo step, store calls queued. A read-only project takes none (the banner says why). */
export function commit(label: string, changes: Change<Annotation>[], selectionAfter?: number[]): void {
  const s = app.get();
  if (changes.length === 0 || s.currentImageId === null) return;
  if (s.project?.readOnly) {
    notify(`${label}: not done, the project is read-only`);
    return;
  }
  const imageId = s.currentImageId;
  const step: EditStep = { label, imageId, changes: annotationChanges(changes), selectionBefore: s.selection, selectionAfter: selectionAfter ?? s.selection };
  workbench().history.record(step);
  applyLocal(imageId, step.changes);
  if (selectionAfter) app.set({ selection: selectionAfter });
  persist(label, imageId, step.changes);
  tick();
}

/** Records the difference between two versions of some annotations as one step. */
export function commitUpdate(label: string, before: Annotation[], after: Annotation[]): void {
  const now = Date.now();
  const changes = diffRecords(before, after, sameAnnotation).map((c) => (c.type === 'update' ? { ...c, after: { ...c.after, updatedAt: now } } : c));
  commit(label, changes);
}

/**
 * Records an edit the store has ALREADY made (proposals:accept and
 * proposals:reject are one store call each) and shows it; undo/redo of it
 * then go through persist() like any other step.
 */
export function recordApplied(step: EditStep): void {
  const wb = workbench();
  wb.history.record(step);
  applyLocal(step.imageId, step.changes);
  app.set({ selection: step.selectionAfter.filter((id) => app.get().annotations.some((a) => a.id === id)) });
  tick();
}

async function applyStep(step: EditStep): Promise<void> {
  const wb = workbench();
  if (app.get().currentImageId !== step.imageId && !categoriesOnly(step.changes)) await wb.links.navigate(step.imageId);
  applyLocal(step.imageId, step.changes);
  app.set({ selection: step.selectionAfter });
  persist(step.label, step.imageId, step.changes);
  tick();
}

export async function undo(): Promise<void> {
  const step = workbench().history.undo();
  if (step) await applyStep(step);
}

export async function redo(): Promise<void> {
  const step = workbench().history.redo();
  if (step) await applyStep(step);
}
