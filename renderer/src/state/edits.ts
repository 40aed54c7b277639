// Every annotation edit goes through commit(): the UI state changes at once,
// one undo step is recorded, and the store calls are queued (autosave, in
// order, kept and retried on a failure that may pass — see
// electron/core/save-queue.ts). A call the store refuses takes its whole
// edit back, on screen, in the history and in the store (issue 16).
// The History and the SaveQueue belong to the workbench (workbench.ts);
// `history` and `saveQueue` here are the installed workbench's.
import { changesOf, diffRecords, invertStep, ofKind, type Change, type History, type KindChange, type Step } from '@core/history';
import type { SaveQueue } from '@core/save-queue';
import type { Annotation, Proposal } from '@core/types';
import type { Negative } from '@core/negatives';
import type { EgmApi } from '@ipc/contract';
import type { ProposalEditRecord } from '../grounding/store';
import { projectApi } from '../egm';
import { annotationCall, changedFields, fieldsOf, negativeCall, proposalCall } from './store-calls';
import { workbench } from '../workbench/current';
import { countDeltaAfter } from './image-counts';
import { negativesAfter } from '../lib/negative-list';
import { recordsAfter } from '../lib/records-after';
import { app, currentImage, notify } from './store';
import { afterCategorySaved, applyCategoryChanges, categoryCall, type CategoryRecord } from './category-steps';

/**
 * What an edit changes: annotations, the model proposals an accept or reject
 * consumed (issue 4), "not in this image" negatives (issue 11), categories
 * renamed, merged or deleted (issue 16: category-steps.ts), and the boxes of
 * a proposal under review as the user dragged them (issue 18; kept in the
 * renderer until the accept stores them, so they have no store call).
 */
export type EditRecords = { annotation: Annotation; proposal: Proposal; negative: Negative; category: CategoryRecord; proposalEdit: ProposalEditRecord };
export type EditHistory = History<EditRecords>;
export type EditStep = Step<EditRecords>;
export type EditChange = KindChange<EditRecords>;

export const annotationChanges = (changes: readonly Change<Annotation>[]): EditChange[] => ofKind<EditRecords, 'annotation'>('annotation', changes);
export const proposalChanges = (changes: readonly Change<Proposal>[]): EditChange[] => ofKind<EditRecords, 'proposal'>('proposal', changes);
export const negativeChanges = (changes: readonly Change<Negative>[]): EditChange[] => ofKind<EditRecords, 'negative'>('negative', changes);
export const categoryChanges = (changes: readonly Change<CategoryRecord>[]): EditChange[] => ofKind<EditRecords, 'category'>('category', changes);
export const proposalEditChanges = (changes: readonly Change<ProposalEditRecord>[]): EditChange[] => ofKind<EditRecords, 'proposalEdit'>('proposalEdit', changes);

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
  dismissRefused: (): void => workbench().saveQueue.dismissRefused(),
  unsavedEdits: (): number => workbench().saveQueue.unsavedEdits(),
  discard: (): number => workbench().saveQueue.discard(),
};

export function sameAnnotation(a: Annotation, b: Annotation): boolean {
  return JSON.stringify(fieldsOf(a)) === JSON.stringify(fieldsOf(b));
}

/** The image a box change is on: its own (a bulk accept's step holds boxes of many images), else the step's. */
function imageOfChange(c: Change<Annotation>, stepImageId: number): number {
  return (c.type === 'delete' ? c.before : c.after).imageId ?? stepImageId;
}

/**
 * The annotation changes of a step as they apply to the records on screen:
 * an update puts only the fields it changed onto the record as it is now
 * (the store is patched the same way: store-calls.ts), so taking back one
 * edit never undoes another made since on other fields of the same box.
 */
function onRecords(list: readonly Annotation[], changes: readonly Change<Annotation>[]): Change<Annotation>[] {
  const byId = new Map(list.map((a) => [a.id, a]));
  return changes.map((c) => {
    if (c.type !== 'update') return c;
    const now = byId.get(c.after.id);
    return now ? { type: 'update', before: now, after: { ...now, ...changedFields(c.before, c.after), updatedAt: c.after.updatedAt } } : c;
  });
}

/**
 * Applies a step's changes to the UI state: each image's count change is
 * recorded whatever image is on screen (the image list derives its counts
 * from it: image-counts.ts), the boxes only for the image on screen; proposal
 * changes go to the review queue.
 */
function applyLocal(imageId: number, changes: readonly EditChange[]): void {
  const s = app.get();
  const proposals = changesOf(changes, 'proposal');
  const proposalEdits = changesOf(changes, 'proposalEdit');
  if (proposals.length + proposalEdits.length > 0) workbench().links.applyProposals(proposals, proposalEdits);
  const negatives = changesOf(changes, 'negative');
  if (negatives.length > 0) app.set({ negatives: negativesAfter(app.get().negatives, app.get().currentImageId, negatives) });
  const categories = changesOf(changes, 'category');
  if (categories.length > 0) applyCategoryChanges(categories);
  const boxes = changesOf(changes, 'annotation');
  if (boxes.length === 0) return;
  const byImage = new Map<number, Change<Annotation>[]>();
  for (const c of boxes) {
    const id = imageOfChange(c, imageId);
    byImage.set(id, [...(byImage.get(id) ?? []), c]);
  }
  // The boxes on screen: an update puts only the fields it changed onto the box as it is now.
  const onScreen = s.currentImageId === null ? undefined : byImage.get(s.currentImageId);
  const here = onScreen && onRecords(s.annotations, onScreen);
  if (here) byImage.set(s.currentImageId!, here);
  let countDelta = s.countDelta;
  for (const [id, group] of byImage) countDelta = countDeltaAfter(countDelta, id, group);
  if (!here) return app.set({ countDelta });
  const annotations = recordsAfter(s.annotations, here);
  const live = new Set(annotations.map((a) => a.id));
  app.set({ annotations, countDelta, selection: s.selection.filter((id) => live.has(id)) });
}

/** The store call for one tagged change. */
function storeCall(api: EgmApi, imageId: number, tagged: EditChange): () => Promise<unknown> {
  if (tagged.kind === 'proposal') return proposalCall(api, tagged.change);
  if (tagged.kind === 'negative') return negativeCall(api, tagged.change);
  if (tagged.kind === 'category') return categoryCall(api, tagged.change);
  if (tagged.kind === 'proposalEdit') throw new Error('a proposal edit has no store call (persist skips it)');
  return annotationCall(api, workbench().ids, imageOfChange(tagged.change, imageId), tagged.change);
}

/**
 * Queues the store calls for a step's changes, in order, tagged for the
 * project open now (egm.ts projectApi: they can never land in another). When
 * the store refuses one (issue 16), the step is taken back: takeBack().
 */
function persist(step: EditStep, options: { takeBack?: boolean; label?: string } = {}): void {
  const label = options.label ?? step.label;
  const api = projectApi();
  const project = app.get().project?.token;
  // Which of the step's changes the store has acknowledged: the ones to undo there when the step is taken back.
  const saved = new Set<number>();
  const onRefused = options.takeBack === false ? undefined : () => takeBack(step, project, saved);
  step.changes.forEach((tagged, i) => {
    if (tagged.kind === 'proposalEdit') return; // the renderer's own until an accept stores the boxes
    const call = storeCall(api, step.imageId, tagged);
    const run = async () => {
      await call();
      saved.add(i);
    };
    const pushed = saveQueue.push(label, run, { edit: step, ...(onRefused ? { onRefused } : {}) });
    if (tagged.kind === 'category') void pushed.then((outcome) => outcome === 'saved' && afterCategorySaved());
  });
  // A proposal's edit is not stored, and a category step belongs to no image: neither labels the image.
  const labels = step.changes.some((c) => c.kind !== 'proposalEdit') && !categoriesOnly(step.changes);
  if (labels && currentImage()?.id === step.imageId && markInProgress(step.imageId)) {
    // Part of the edit (it counts as one unsaved edit), but refused alone it takes nothing back.
    void saveQueue.push('Mark image in progress', () => api['images:setStatus']({ id: step.imageId, status: 'in-progress' }), { edit: step });
  }
}

/**
 * An edit labels its image: a 'todo' image becomes 'in-progress' in the list;
 * whether it did. The caller stores it, unless main already has (accepting a
 * proposal does, in the accept's own transaction).
 */
export function markInProgress(imageId: number): boolean {
  const img = app.get().images.find((i) => i.id === imageId);
  if (!img || img.status !== 'todo') return false;
  app.set({ images: app.get().images.map((i) => (i.id === imageId ? { ...i, status: 'in-progress' } : i)) });
  return true;
}

/**
 * The store refused a call of this step (issue 16): the step leaves the
 * history, its changes are undone on screen, and those the store had
 * already made are undone there (queued like any edit), so screen and store
 * agree again. The queue shows the reason. Nothing is done when another
 * project is open by now: its screen holds nothing of this one.
 */
function takeBack(step: EditStep, project: string | undefined, saved: ReadonlySet<number>): void {
  if (app.get().project?.token !== project) return;
  workbench().history.drop(step);
  const undo = invertStep(step);
  applyLocal(step.imageId, undo.changes);
  const madeInStore = step.changes.filter((_, i) => saved.has(i));
  if (madeInStore.length > 0) persist(invertStep({ ...step, changes: madeInStore }), { takeBack: false, label: `Taking back ${step.label}` });
  const live = new Set(app.get().annotations.map((a) => a.id));
  app.set({ selection: step.selectionBefore.filter((id) => live.has(id)) });
  tick();
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
  persist(step);
  tick();
}

/** Records the difference between two versions of some annotations as one step. */
export function commitUpdate(label: string, before: Annotation[], after: Annotation[]): void {
  const now = Date.now();
  const changes = diffRecords(before, after, sameAnnotation).map((c) => (c.type === 'update' ? { ...c, after: { ...c.after, updatedAt: now } } : c));
  commit(label, changes);
}

/**
 * A store call an edit is made of (accept, reject, "not in this image":
 * recordApplied records the edit once the store made it), queued behind the
 * edits not yet saved and tagged for this project. Resolves with the store's
 * answer, or null when the store refused it (issue 16: the queue says why)
 * or it was dropped (another project opened); `notMade` then puts back what
 * the action took off the screen, if this project is still the one open.
 */
export async function storeEdit<T>(label: string, call: (api: EgmApi) => Promise<T>, notMade?: () => void): Promise<T | null> {
  const api = projectApi();
  const project = app.get().project?.token;
  let answer: { value: T } | null = null;
  const outcome = await saveQueue.push(label, async () => {
    answer = { value: await call(api) };
  });
  const made = answer as { value: T } | null;
  if (outcome === 'saved' && made) return made.value;
  if (app.get().project?.token === project) notMade?.();
  return null;
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
  const selection = step.selectionAfter.filter((id) => app.get().annotations.some((a) => a.id === id));
  // The same selection is left as it is: a proposal's edit redraws no annotation layer.
  if (selection.length !== app.get().selection.length || selection.some((id, i) => id !== app.get().selection[i])) app.set({ selection });
  tick();
}

async function applyStep(step: EditStep, label: string): Promise<void> {
  const wb = workbench();
  if (app.get().currentImageId !== step.imageId && !categoriesOnly(step.changes)) await wb.links.navigate(step.imageId);
  applyLocal(step.imageId, step.changes);
  app.set({ selection: step.selectionAfter });
  persist(step, { label });
  tick();
}

export async function undo(): Promise<void> {
  const step = workbench().history.undo();
  if (step) await applyStep(step, `Undo of ${step.label}`);
}

export async function redo(): Promise<void> {
  const step = workbench().history.redo();
  if (step) await applyStep(step, `Redo of ${step.label}`);
}
