// Changing the image list's search and filters (issue 11): the choice shows
// at once, the list is read again from the store (refreshImages, which also
// moves the canvas off an image the list no longer shows). Typing in the
// search field re-lists once the typing pauses, not on every key.
import { workbench } from '../workbench/current';
import { guard } from './guard';
import { NO_FILTERS, type ImageFilters } from '../lib/image-filters';
import { refreshImages } from './project';
import { app } from './store';

/** Long enough to skip the keys of a word typed at speed, short enough to feel live. */
export const SEARCH_DEBOUNCE_MS = 150;
const SEARCH_TIMER = 'image-search';
export const IMAGE_SEARCH_ID = 'image-search';

const relist = () => guard('Filtering images', refreshImages);

/** The search field's text: shown now, listed after SEARCH_DEBOUNCE_MS without another key. */
export function setImageSearch(search: string): void {
  app.set({ imageFilters: { ...app.get().imageFilters, search } });
  workbench().timers.start(SEARCH_TIMER, SEARCH_DEBOUNCE_MS, () => void relist());
}

/** Status, "has proposals" or category: listed at once (a pending search goes with it). */
export async function setImageFilter(patch: Partial<Omit<ImageFilters, 'search'>>): Promise<void> {
  workbench().timers.clear(SEARCH_TIMER);
  app.set({ imageFilters: { ...app.get().imageFilters, ...patch } });
  await relist();
}

/** Every filter off, "Unreviewed only" included: the whole project is listed again. */
export async function clearImageFilters(): Promise<void> {
  workbench().timers.clear(SEARCH_TIMER);
  app.set({ imageFilters: NO_FILTERS, unreviewedOnly: false });
  await relist();
}

/** Ctrl+F: into the search field, its text selected to type over. */
export function focusImageSearch(): void {
  const el = document.querySelector<HTMLInputElement>(`[data-testid="${IMAGE_SEARCH_ID}"]`);
  el?.focus();
  el?.select();
}
