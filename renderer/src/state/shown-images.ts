// The images the list shows: the store's last list (AppState.images, the SQL
// filters applied) narrowed by the file-name search (lib/image-search.ts).
// N/P, Home/End and "the image on screen must be listed" walk these; one
// array per (list, search), so a row re-renders only when they change.
import type { ImageRecord } from '@core/types';
import { searchImages, searchNeedle } from '../lib/image-search';
import { app, useApp, type AppState } from './store';

const memo = new WeakMap<readonly ImageRecord[], { needle: string; shown: readonly ImageRecord[] }>();

/** The listed images that match the search (the same array while neither changes). */
export function shownImages(s: AppState = app.get()): readonly ImageRecord[] {
  const needle = searchNeedle(s.imageFilters.search);
  const hit = memo.get(s.images);
  if (hit && hit.needle === needle) return hit.shown;
  const shown = searchImages(s.images, needle);
  memo.set(s.images, { needle, shown });
  return shown;
}

/** React hook: shownImages of the installed workbench. */
export function useShownImages(): readonly ImageRecord[] {
  return useApp(shownImages);
}
