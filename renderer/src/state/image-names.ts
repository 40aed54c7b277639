// File names of the project's images by id, for places that name an image the
// filtered list may not show (the review queue, issue 11: "#8" told the user
// nothing). Every list read adds its names; an id no list has shown yet is
// looked up with one unfiltered list.
import type { ImageRecord } from '@core/types';
import { egm } from '../egm';
import { guard } from './guard';
import { app } from './store';

/** The names map with these images' names added (a new object only when one is new or renamed). */
export function withNames(names: Readonly<Record<number, string>>, images: readonly ImageRecord[]): Record<number, string> {
  if (images.every((i) => names[i.id] === i.fileName)) return names as Record<number, string>;
  const next = { ...names };
  for (const i of images) next[i.id] = i.fileName;
  return next;
}

/** Reads every image's name (the list's filters may hide the ones asked for). */
export async function loadImageNames(): Promise<void> {
  const all = await guard('Reading the image names', () => egm()['images:list']({}));
  if (all) app.set({ imageNames: withNames(app.get().imageNames, all) });
}
