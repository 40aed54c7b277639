// Changing the image list's search and filters (issue 11): the choice shows
// at once. A filter reads the list again from the store (refreshImages, which
// also moves the canvas off an image the list no longer shows); the file-name
// search narrows the listed images in the page at every key, with no store
// read and no wait (issue 18: shown-images.ts); the canvas follows it when the
// typing pauses.
import { workbench } from '../workbench/current';
import { guard } from './guard';
import { NO_FILTERS, type ImageFilters } from '../lib/image-filters';
import { refreshImages, showListedImage } from './project';
import { app } from './store';

export const IMAGE_SEARCH_ID = 'image-search';

const relist = () => guard('Filtering images', refreshImages);

/**
 * The canvas follows a typed search this long after the last key: the list
 * answers every key at once, and a name typed at speed does not load (and
 * draw) every image that was first in the list for one key.
 */
export const FOLLOW_SEARCH_MS = 100;
const FOLLOW_TIMER = 'image-search-follow';

/** The search field's text: the list shows its matches at once; the image on screen follows the list. */
export function setImageSearch(search: string): void {
  app.set({ imageFilters: { ...app.get().imageFilters, search } });
  workbench().timers.start(FOLLOW_TIMER, FOLLOW_SEARCH_MS, () => void guard('Filtering images', showListedImage));
}

/** Status, "has proposals" or category: listed at once (and the canvas follows it, a pending search's follow included). */
export async function setImageFilter(patch: Partial<Omit<ImageFilters, 'search'>>): Promise<void> {
  workbench().timers.clear(FOLLOW_TIMER);
  app.set({ imageFilters: { ...app.get().imageFilters, ...patch } });
  await relist();
}

/** Every filter off, "Unreviewed only" included: the whole project is listed again. */
export async function clearImageFilters(): Promise<void> {
  workbench().timers.clear(FOLLOW_TIMER);
  app.set({ imageFilters: NO_FILTERS, unreviewedOnly: false });
  await relist();
}

/** Ctrl+F: into the search field, its text selected to type over. */
export function focusImageSearch(): void {
  const el = document.querySelector<HTMLInputElement>(`[data-testid="${IMAGE_SEARCH_ID}"]`);
  el?.focus();
  el?.select();
}
