// Every annotation edit goes through commit(): the UI state changes at once,
// one undo step is recorded, and the store calls are queued (autosave, in
// order, kept and retried on failure — see electron/core/save-queue.ts).
import { History, diffRecords, type Change, type Step } from '../../../electron/core/history';
import { SaveQueue } from '../../../electron/core/save-queue';
import type { Annotation, AnnotationPatch, Proposal } from '../../../electron/core/types';
import { egm } from '../egm';
import { bindIds, remoteId } from './ids';
import { app, currentImage, notify } from './store';

/** Annotation edits; a step may also carry the model proposals it consumed or put back (issue 4: accept/reject). */
export const history = new History<Annotation, Proposal>();
type EditStep = Step<Annotation, Proposal>;
export const saveQueue = new SaveQueue((save) => app.set({ save }));

/** Brings another image into view (project.ts registers it; avoids an import cycle). */
let navigate: (imageId: number) => Promise<void> = async () => {};
export function setNavigator(fn: (imageId: number) => Promise<void>): void {
  navigate = fn;
}

/** Shows proposal changes of an undo/redo step in the review queue (grounding/ registers it; avoids an import cycle). */
let applyLinked: (changes: Change<Proposal>[]) => void = () => {};
export function setLinkedApplier(fn: (changes: Change<Proposal>[]) => void): void {
  applyLinked = fn;
}

type Fields = Omit<Annotation, 'id' | 'imageId' | 'createdAt' | 'updatedAt'>;
export function fieldsOf(a: Annotation): Fields {
  const { categoryId, phrase, morePhrases, visible, amodal, occluded, source, model, score, reviewed, color } = a;
  return { categoryId, phrase, morePhrases, visible, amodal, occluded, source, model, score, reviewed, color };
}

export function sameAnnotation(a: Annotation, b: Annotation): boolean {
  return JSON.stringify(fieldsOf(a)) === JSON.stringify(fieldsOf(b));
}

/** Applies changes to the UI state of the image on screen and refreshes its counts. */
function applyLocal(imageId: number, changes: Change<Annotation>[]): void {
  const s = app.get();
  if (s.currentImageId !== imageId) return;
  const byId = new Map(s.annotations.map((a) => [a.id, a]));
  for (const c of changes) {
    if (c.type === 'delete') byId.delete(c.before.id);
    else byId.set(c.after.id, c.after);
  }
  const annotations = [...byId.values()].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
  const live = new Set(annotations.map((a) => a.id));
  const images = s.images.map((img) =>
    img.id === imageId ? { ...img, annotationCount: annotations.length, unreviewedCount: annotations.filter((a) => !a.reviewed).length } : img,
  );
  app.set({ annotations, images, selection: s.selection.filter((id) => live.has(id)) });
}

const bound = new Set<number>();

/** Queues the store calls for a step's proposal changes: delete = reject, create = restore under its id. */
function persistLinked(label: string, linked: Change<Proposal>[] | undefined): void {
  for (const c of linked ?? []) {
    if (c.type === 'delete') saveQueue.push(label, async () => void (await egm()['proposals:reject']({ id: c.before.id })));
    else if (c.type === 'create') saveQueue.push(label, async () => void (await egm()['proposals:restore']({ proposal: { ...c.after } as Proposal & Record<string, unknown> })));
  }
}

/** Queues the store calls for a list of changes. */
function persist(label: string, imageId: number, changes: Change<Annotation>[]): void {
  for (const c of changes) {
    if (c.type === 'create') {
      const a = c.after;
      saveQueue.push(label, async () => {
        if (a.id < 0 && !bound.has(a.id)) {
          const stored = await egm()['annotations:create']({ imageId, ...fieldsOf(a) });
          bindIds(a.id, stored.id);
          bound.add(a.id);
        } else {
          // Re-creating a deleted record (undo of delete, redo of create): same id as before.
          await egm()['annotations:restore']({ annotations: [{ ...a, id: remoteId(a.id), imageId }] });
        }
      });
    } else if (c.type === 'delete') {
      const id = c.before.id;
      saveQueue.push(label, async () => void (await egm()['annotations:delete']({ ids: [remoteId(id)] })));
    } else {
      const { id } = c.after;
      const patch: AnnotationPatch = fieldsOf(c.after);
      saveQueue.push(label, async () => void (await egm()['annotations:update']({ id: remoteId(id), patch })));
    }
  }
  const img = currentImage();
  if (img && img.id === imageId && img.status === 'todo') {
    app.set({ images: app.get().images.map((i) => (i.id === imageId ? { ...i, status: 'in-progress' } : i)) });
    saveQueue.push('Mark image in progress', async () => void (await egm()['images:setStatus']({ id: imageId, status: 'in-progress' })));
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
  const step: EditStep = { label, imageId, changes, selectionBefore: s.selection, selectionAfter: selectionAfter ?? s.selection };
  history.record(step);
  applyLocal(imageId, changes);
  if (selectionAfter) app.set({ selection: selectionAfter });
  persist(label, imageId, changes);
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
  history.record(step);
  applyLocal(step.imageId, step.changes);
  if (step.linked) applyLinked(step.linked);
  app.set({ selection: step.selectionAfter.filter((id) => app.get().annotations.some((a) => a.id === id)) });
  tick();
}

async function applyStep(step: EditStep): Promise<void> {
  if (app.get().currentImageId !== step.imageId) await navigate(step.imageId);
  applyLocal(step.imageId, step.changes);
  if (step.linked) applyLinked(step.linked);
  app.set({ selection: step.selectionAfter });
  persist(step.label, step.imageId, step.changes);
  persistLinked(step.label, step.linked);
  tick();
}

export async function undo(): Promise<void> {
  const step = history.undo();
  if (step) await applyStep(step);
}

export async function redo(): Promise<void> {
  const step = history.redo();
  if (step) await applyStep(step);
}
