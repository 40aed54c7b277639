// Removing an image from the project (issue 11): asked first, naming the file
// and what goes with it (its boxes, the proposals waiting on it and its "not
// in this image" marks); the file on disk stays. A read-only project refuses
// here with a one-line notice (main would refuse the call). Main removes it with everything attached in one transaction
// (images:remove); here the next image comes into view and the list, the
// counts and the review queue follow. Not undoable: the confirmation says so.
import type { ImageRecord } from '@core/types';
import { askConfirm } from '../components/confirm';
import { egm } from '../egm';
import { grounding } from '../grounding/store';
import { history, saveQueue } from './edits';
import { imageRows } from './image-counts';
import { refreshImages, selectImage } from './project';
import { app, notify, type AppState } from './store';

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The question, in words: what is removed, what goes with it, what is not touched. */
export function removalText(img: ImageRecord, proposals: number, negatives: number): string {
  const attached = [
    img.annotationCount > 0 ? count(img.annotationCount, 'box', 'boxes') : null,
    proposals > 0 ? count(proposals, 'proposal', 'proposals') : null,
    negatives > 0 ? count(negatives, "'not in this image' mark", "'not in this image' marks") : null,
  ].filter((part): part is string => part !== null);
  const verb = attached.length === 1 && attached[0]!.startsWith('1 ') ? 'goes' : 'go';
  const listed = attached.length > 1 ? `${attached.slice(0, -1).join(', ')} and ${attached.at(-1)!}` : (attached[0] ?? '');
  const goes = attached.length > 0 ? ` Its ${listed} ${verb} with it.` : '';
  return `Remove ${img.fileName} from the project?${goes} The file on disk is not touched. This cannot be undone, and it empties the undo history.`;
}

/** Why an image cannot be removed now (the project is read-only), else null. */
export function removalBlocked(s: Pick<AppState, 'project'> = app.get()): string | null {
  return s.project?.readOnly ? 'Remove image: not done, the project is read-only' : null;
}

/** Asks, then removes the image (by id; the image on screen when none is given). */
export async function confirmRemoveImage(imageId = app.get().currentImageId): Promise<void> {
  if (imageId === null) return;
  const blocked = removalBlocked();
  if (blocked) return notify(blocked);
  // The image on screen has its marks loaded; another row's are asked for.
  const negatives = imageId === app.get().currentImageId ? app.get().negatives.length : (await egm()['negatives:list']({ imageId })).length;
  const s = app.get();
  const img = imageRows(s.images, s.countDelta, grounding.get().queue).find((i) => i.id === imageId);
  if (!img) return;
  askConfirm({ text: removalText(img, img.proposalCount, negatives), confirmLabel: 'Remove', onConfirm: () => removeImage(img, negatives) });
}

async function removeImage(img: ImageRecord, negatives: number): Promise<void> {
  const { images, currentImageId } = app.get();
  // Its edits still queued must not land after it is gone (they would fail as saves).
  await saveQueue.idle();
  const i = images.findIndex((x) => x.id === img.id);
  const next = images[i + 1] ?? images[i - 1] ?? null;
  const removed = await egm()['images:remove']({ ids: [img.id] });
  // Undo steps on the removed image would recreate boxes of an image that is gone.
  history.clear();
  app.set({ historyTick: app.get().historyTick + 1 });
  if (currentImageId === img.id && next) await selectImage(next.id);
  await refreshImages();
  const marks = negatives > 0 ? `, ${count(negatives, "'not in this image' mark", "'not in this image' marks")}` : '';
  notify(`Removed ${img.fileName} (${count(removed.annotations, 'box', 'boxes')}, ${count(removed.proposals, 'proposal', 'proposals')}${marks}); the file is still on disk`);
}
