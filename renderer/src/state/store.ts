// The workbench's state (zustand). Annotations here carry LOCAL ids: ids of
// records loaded from the store are the store's own; a box created in this
// session gets a negative id until forever (ids.ts maps it to the store's id
// when the create is acknowledged), so undo history and selection never need
// rewriting while a save is in flight.
import { create } from 'zustand';
import type { Annotation, Category, ImageRecord, ProjectInfo } from '../../../electron/core/types';
import type { SaveState } from '../../../electron/core/save-queue';
import type { EventMap } from '../../../electron/ipc/contract';

export type Tool = 'select' | 'visible' | 'amodal';
export type AppPhase = 'booting' | 'empty' | 'loading' | 'ready';

export interface AppState {
  phase: AppPhase;
  project: ProjectInfo | null;
  images: ImageRecord[];
  unreviewedOnly: boolean;
  currentImageId: number | null;
  /** The current image's pixels are decoded and drawn. */
  imageDrawn: boolean;
  annotations: Annotation[];
  selection: number[];
  tool: Tool;
  categories: Category[];
  save: SaveState;
  /** A failed action other than a save (open, export...): one line, shown in the banner. */
  error: string | null;
  /** Short-lived info line in the status bar. */
  notice: string | null;
  progress: EventMap['images:progress'] | null;
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

export const useApp = create<AppState>(() => ({
  phase: 'booting',
  project: null,
  images: [],
  unreviewedOnly: false,
  currentImageId: null,
  imageDrawn: false,
  annotations: [],
  selection: [],
  tool: 'select',
  categories: [],
  save: { status: 'saved', pending: 0, error: null },
  error: null,
  notice: null,
  progress: null,
  helpOpen: false,
  exportOpen: false,
  evalOpen: false,
  categoriesOpen: false,
  clipboard: [],
  historyTick: 0,
  cursor: null,
}));

export const app = {
  get: useApp.getState,
  set: useApp.setState,
};

export function currentImage(s: AppState = app.get()): ImageRecord | null {
  return s.images.find((i) => i.id === s.currentImageId) ?? null;
}

export function selectedAnnotations(s: AppState = app.get()): Annotation[] {
  const sel = new Set(s.selection);
  return s.annotations.filter((a) => sel.has(a.id));
}

let noticeTimer: ReturnType<typeof setTimeout> | undefined;
export function notify(text: string): void {
  app.set({ notice: text });
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => app.set({ notice: null }), 4000);
}
