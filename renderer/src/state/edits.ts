// Every annotation edit goes through commit(): the UI state changes at once,
// one undo step is recorded, and the store calls are queued (autosave, in
// order, kept and retried on failure — see electron/core/save-queue.ts).
import { History, diffRecords, type Change, type Step } from '../../../electron/core/history';
import { SaveQueue } from '../../../electron/core/save-queue';
import type { Annotation, AnnotationPatch } from '../../../electron/core/types';
import { egm } from '../egm';
import { bindIds, remoteId } from './ids';
import { app, currentImage } from './store';

export const history = new History<Annotation>();
export const saveQueue = new SaveQueue((save) => app.set({ save }));

/** Brings another image into view (project.ts registers it; avoids an import cycle). */
let navigate: (imageId: number) => Promise<void> = async () => {};
export function setNavigator(fn: (imageId: number) => Promise<void>): void {
  navigate = fn;
}

type Fields = Omit<Annotation, 'id' | 'imageId' | 'createdAt' | 'updatedAt'>;
export function fieldsOf(a: Annotation): Fields {
  const { categoryId, phrase, visible, amodal, occluded, source, model, score, reviewed, color } = a;
  return { categoryId, phrase, visible, amodal, occluded, source, model, score, reviewed, color };
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

/** One user edit: UI now, one undo step, store calls queued. */
export function commit(label: string, changes: Change<Annotation>[], selectionAfter?: number[]): void {
  const s = app.get();
  if (changes.length === 0 || s.currentImageId === null) return;
  const imageId = s.currentImageId;
  const step: Step<Annotation> = { label, imageId, changes, selectionBefore: s.selection, selectionAfter: selectionAfter ?? s.selection };
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

async function applyStep(step: Step<Annotation>): Promise<void> {
  if (app.get().currentImageId !== step.imageId) await navigate(step.imageId);
  applyLocal(step.imageId, step.changes);
  app.set({ selection: step.selectionAfter });
  persist(step.label, step.imageId, step.changes);
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
