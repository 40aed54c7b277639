// The image list's badges, derived rather than written back (issue 10): the
// rows as the store last listed them (AppState.images), plus the change in
// box counts of every edit applied since (AppState.countDelta, kept by
// edits.ts for ANY image, on screen or not: an accept or an undo on another
// image counts there too), plus the review queue's proposals per image.
// Re-listing the images from the store starts the deltas again (listedImages).
import { useMemo } from 'react';
import { countByImage } from '../../../electron/core/grounding-ui';
import type { Change } from '../../../electron/core/history';
import type { Annotation, ImageRecord, Proposal } from '../../../electron/core/types';
import { useGrounding } from '../grounding/store';
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

/** The state patch for an image list just read from the store: it already holds every acknowledged edit. */
export function listedImages(images: ImageRecord[]): Pick<AppState, 'images' | 'countDelta'> {
  return { images, countDelta: {} };
}

/** The rows the image list shows: listed counts + edits since + proposals waiting. */
export function imageRows(images: readonly ImageRecord[], deltas: Readonly<Record<number, CountDelta>>, queue: readonly Proposal[]): ImageRecord[] {
  const proposals = countByImage(queue);
  return images.map((img) => {
    const d = deltas[img.id];
    const annotationCount = img.annotationCount + (d?.annotations ?? 0);
    const unreviewedCount = img.unreviewedCount + (d?.unreviewed ?? 0);
    const proposalCount = proposals.get(img.id) ?? 0;
    if (annotationCount === img.annotationCount && unreviewedCount === img.unreviewedCount && proposalCount === img.proposalCount) return img;
    return { ...img, annotationCount, unreviewedCount, proposalCount };
  });
}

/** React hook: imageRows over the installed workbench's state. */
export function useImageRows(): ImageRecord[] {
  const images = useApp((s) => s.images);
  const deltas = useApp((s) => s.countDelta);
  const queue = useGrounding((s) => s.queue);
  return useMemo(() => imageRows(images, deltas, queue), [images, deltas, queue]);
}
