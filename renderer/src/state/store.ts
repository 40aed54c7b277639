// The workbench's state (zustand). Annotations here carry LOCAL ids: ids of
// records loaded from the store are the store's own; a box created in this
// session gets a negative id until forever (ids.ts maps it to the store's id
// when the create is acknowledged), so undo history and selection never need
// rewriting while a save is in flight.
// The store itself belongs to the workbench (workbench/workbench.ts): `app`
// and `useApp` act on the installed one.
import { createStore, useStore, type StoreApi } from 'zustand';
import type { Annotation, Category, ImageFileCheck, ImageRecord, ProjectInfo, Skipped } from '@core/types';
import type { SaveState } from '@core/save-queue';
import type { EventMap } from '@ipc/contract';
import type { Negative } from '@core/negatives';
import { installedStore, workbench } from '../workbench/current';
import type { CountDelta } from './image-counts';
import { NO_FILTERS, type ImageFilters } from '../lib/image-filters';

export type Tool = 'select' | 'visible' | 'amodal';
export type AppPhase = 'booting' | 'empty' | 'loading' | 'ready';

export interface AppState {
  phase: AppPhase;
  project: ProjectInfo | null;
  /** The images as the store last listed them; their counts are shown through image-counts.ts imageRows. */
  images: ImageRecord[];
  /** Box count changes per image since `images` was listed (image-counts.ts). */
  countDelta: Record<number, CountDelta>;
  unreviewedOnly: boolean;
  /** The image list's search and filters besides unreviewedOnly (issue 11; image-filters.ts). */
  imageFilters: ImageFilters;
  /** File names by image id, of every image listed so far, filtered or not (image-names.ts). */
  imageNames: Record<number, string>;
  currentImageId: number | null;
  /** The current image's pixels are decoded and drawn. */
  imageDrawn: boolean;
  /** The current image's file as checked when it was selected (issue 16: missing, unreadable; image-file.ts); null until checked. */
  imageFile: ImageFileCheck | null;
  annotations: Annotation[];
  /** The image on screen's "not in this image" phrases (issue 11). */
  negatives: Negative[];
  selection: number[];
  tool: Tool;
  categories: Category[];
  /** The free attribute names the project's objects use (issue 18), and ones added this session. */
  attributeKeys: string[];
  save: SaveState;
  /** A failed action other than a save (open, export...): one line, shown in the banner. */
  error: string | null;
  /** Short-lived info line in the status bar. */
  notice: string | null;
  /** Adding images or importing COCO: what runs (the label) and how far (total 0: not known yet). */
  progress: (EventMap['images:progress'] & { label: string }) | null;
  /**
   * Files the last add or import skipped (issue 18: each named with its
   * reason): listed in a dialog (open: shown now), reopened from the status bar.
   */
  skippedReport: { title: string; summary: string; files: Skipped[]; open: boolean } | null;
  helpOpen: boolean;
  /** The export dialog (issue 9) is open. */
  exportOpen: boolean;
  /** The Evaluate dialog (issue 9) is open. */
  evalOpen: boolean;
  /** The Categories dialog (issue 9) is open. */
  categoriesOpen: boolean;
  clipboard: Annotation[];
  /** Bumped when undo/redo availability changes, so buttons re-render. */
  historyTick: number;
  cursor: [number, number] | null;
}

export function createAppStore(): StoreApi<AppState> {
  return createStore<AppState>(() => ({
    phase: 'booting',
    project: null,
    images: [],
    countDelta: {},
    unreviewedOnly: false,
    imageFilters: NO_FILTERS,
    imageNames: {},
    currentImageId: null,
    imageDrawn: false,
    imageFile: null,
    annotations: [],
    negatives: [],
    selection: [],
    tool: 'select',
    categories: [],
    attributeKeys: [],
    save: { status: 'saved', pending: 0, error: null, refused: null },
    error: null,
    notice: null,
    progress: null,
    skippedReport: null,
    helpOpen: false,
    exportOpen: false,
    evalOpen: false,
    categoriesOpen: false,
    clipboard: [],
    historyTick: 0,
    cursor: null,
  }));
}

/** React hook: a slice of the installed workbench's state (re-renders when it changes). */
export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(workbench().app, selector);
}

export const app = installedStore((wb) => wb.app);

export function currentImage(s: AppState = app.get()): ImageRecord | null {
  return s.images.find((i) => i.id === s.currentImageId) ?? null;
}

export function selectedAnnotations(s: AppState = app.get()): Annotation[] {
  const sel = new Set(s.selection);
  return s.annotations.filter((a) => sel.has(a.id));
}

/** Shows a short info line in the status bar for a few seconds. */
export function notify(text: string): void {
  const wb = workbench();
  wb.app.setState({ notice: text });
  wb.timers.start('notice', 4000, () => wb.app.setState({ notice: null }));
}
