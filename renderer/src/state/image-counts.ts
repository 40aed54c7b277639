// The image list's badges, derived rather than written back (issue 10): the
// rows as the store last listed them (AppState.images), plus the change in
// box counts of every edit applied since (AppState.countDelta, kept by
// edits.ts for ANY image, on screen or not: an accept or an undo on another
// image counts there too), plus the review queue's proposals per image.
// Re-listing the images from the store starts the deltas again (listWithEdits).
import { useCallback, useMemo } from 'react';
import { countByImage } from '@core/grounding-ui';
import type { Change } from '@core/history';
import type { Annotation, ImageRecord, Proposal } from '@core/types';
import { useGrounding } from '../grounding/store';
import { workbench } from '../workbench/current';
import { useApp, type AppState } from './store';

/** Boxes and unreviewed boxes gained (or lost, negative) by one image since the list was read. */
export interface CountDelta {
  annotations: number;
  unreviewed: number;
}

const unreviewed = (a: Annotation): number => (a.reviewed ? 0 : 1);

/** The deltas after applying `changes` on image `imageId` (a new object; the others are shared). */
export function countDeltaAfter(deltas: Readonly<Record<number, CountDelta>>, imageId: number, changes: readonly Change<Annotation>[]): Record<number, CountDelta> {
  const d = { ...(deltas[imageId] ?? { annotations: 0, unreviewed: 0 }) };
  for (const c of changes) {
    if (c.type === 'create') {
      d.annotations += 1;
      d.unreviewed += unreviewed(c.after);
    } else if (c.type === 'delete') {
      d.annotations -= 1;
      d.unreviewed -= unreviewed(c.before);
    } else d.unreviewed += unreviewed(c.after) - unreviewed(c.before);
  }
  return { ...deltas, [imageId]: d };
}

/** The state patch for an image list read from the store holding every edit made so far (listWithEdits; or a project just opened). */
export function listedImages(images: ImageRecord[]): Pick<AppState, 'images' | 'countDelta'> {
  return { images, countDelta: {} };
}

/** Lists to try before giving up on a quiet moment (each retry means the user edited while the list was read). */
const LIST_TRIES = 5;

/**
 * Reads the image list so that its counts hold every edit made so far, and
 * returns the state patch: the queued saves land first, and when an edit is
 * made while the list is read (its save may or may not be in the answer) the
 * list is read again. After LIST_TRIES busy reads the last one is taken.
 */
export async function listWithEdits(list: () => Promise<ImageRecord[]>): Promise<Pick<AppState, 'images' | 'countDelta'>> {
  const wb = workbench();
  let images: ImageRecord[] = [];
  for (let i = 0; i < LIST_TRIES; i++) {
    await wb.saveQueue.idle();
    const before = wb.app.getState().countDelta;
    images = await list();
    if (wb.app.getState().countDelta === before) break;
  }
  return listedImages(images);
}

/** One image's row: listed counts + its edits since + its proposals waiting (the record itself when nothing changed). */
export function withCounts(img: ImageRecord, d: CountDelta | undefined, proposalCount: number): ImageRecord {
  const annotationCount = img.annotationCount + (d?.annotations ?? 0);
  const unreviewedCount = img.unreviewedCount + (d?.unreviewed ?? 0);
  if (annotationCount === img.annotationCount && unreviewedCount === img.unreviewedCount && proposalCount === img.proposalCount) return img;
  return { ...img, annotationCount, unreviewedCount, proposalCount };
}

/** The rows the image list shows: listed counts + edits since + proposals waiting. */
export function imageRows(images: readonly ImageRecord[], deltas: Readonly<Record<number, CountDelta>>, queue: readonly Proposal[]): ImageRecord[] {
  const proposals = countByImage(queue);
  return images.map((img) => withCounts(img, deltas[img.id], proposals.get(img.id) ?? 0));
}

/**
 * React hook: how to count one row of the list (withCounts over the installed
 * workbench's edits and queue). Rows are counted as they are rendered, not all
 * of them at every change (issue 18: 20,000 images).
 */
export function useRowCounts(): (img: ImageRecord) => ImageRecord {
  const deltas = useApp((s) => s.countDelta);
  const queue = useGrounding((s) => s.queue);
  const proposals = useMemo(() => countByImage(queue), [queue]);
  return useCallback((img: ImageRecord) => withCounts(img, deltas[img.id], proposals.get(img.id) ?? 0), [deltas, proposals]);
}
