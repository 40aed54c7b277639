// How the canvas shows boxes and the image, apart from the boxes themselves
// (issue 11, the CVAT / X-AnyLabeling canvas tools): labels (off / phrase /
// category), the fill opacity of boxes, per-box and per-category hide and
// lock, the image's brightness and contrast. A store of the workbench
// (workbench.boxView). Labels and opacity are the user's taste, kept in
// localStorage; hide, lock, brightness and contrast are this session's view
// only (never saved to the project or the image).
import { createStore, useStore, type StoreApi } from 'zustand';
import type { Annotation } from '@core/types';
import { installedStore, workbench } from '../workbench/current';

export type LabelMode = 'off' | 'phrase' | 'category';
export const LABEL_MODES: readonly LabelMode[] = ['off', 'phrase', 'category'];

/** Fill alpha of boxes is 0..MAX_FILL (the stroke is always drawn, so a box never vanishes). */
export const MAX_FILL = 0.6;
/** Brightness and contrast, in percent of the image as it is (100). */
export const ADJUST_MIN = 20;
export const ADJUST_MAX = 300;
export const ADJUST_STEP = 10;

/** A category key: the category's id, 0 for boxes without a category (ids start at 1). */
export type CategoryKey = number;
export const categoryKey = (a: Pick<Annotation, 'categoryId'>): CategoryKey => a.categoryId ?? 0;

export interface BoxViewState {
  labels: LabelMode;
  fillOpacity: number;
  brightness: number;
  contrast: number;
  hiddenIds: ReadonlySet<number>;
  lockedIds: ReadonlySet<number>;
  hiddenCategories: ReadonlySet<CategoryKey>;
  lockedCategories: ReadonlySet<CategoryKey>;
}

/** What is kept for the user across sessions (localStorage). */
interface Prefs {
  labels: LabelMode;
  fillOpacity: number;
}
const PREFS_KEY = 'egm.canvas.prefs';
const DEFAULT_PREFS: Prefs = { labels: 'phrase', fillOpacity: 0 };

type PrefStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The stored prefs; a value that is not ours (hand-edited, older form) is replaced by the default, field by field. */
export function parsePrefs(text: string | null): Prefs {
  if (!text) return DEFAULT_PREFS;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    console.warn(`canvas prefs in localStorage (${PREFS_KEY}) are not JSON; using the defaults`);
    return DEFAULT_PREFS;
  }
  const o = (typeof v === 'object' && v !== null ? v : {}) as Partial<Record<keyof Prefs, unknown>>;
  const labels = LABEL_MODES.includes(o.labels as LabelMode) ? (o.labels as LabelMode) : DEFAULT_PREFS.labels;
  const f = typeof o.fillOpacity === 'number' && Number.isFinite(o.fillOpacity) ? o.fillOpacity : DEFAULT_PREFS.fillOpacity;
  return { labels, fillOpacity: clampFill(f) };
}

export const clampFill = (v: number): number => Math.min(MAX_FILL, Math.max(0, v));
export const clampAdjust = (v: number): number => Math.min(ADJUST_MAX, Math.max(ADJUST_MIN, Math.round(v)));

/** The store; with `storage` (the app's localStorage) labels and opacity are read from it and written back on change. */
export function createBoxViewStore(storage: PrefStorage | null = null): StoreApi<BoxViewState> {
  const prefs = parsePrefs(storage?.getItem(PREFS_KEY) ?? null);
  const store = createStore<BoxViewState>(() => ({
    ...prefs,
    brightness: 100,
    contrast: 100,
    hiddenIds: new Set(),
    lockedIds: new Set(),
    hiddenCategories: new Set(),
    lockedCategories: new Set(),
  }));
  if (storage) {
    store.subscribe((s, prev) => {
      if (s.labels !== prev.labels || s.fillOpacity !== prev.fillOpacity) storage.setItem(PREFS_KEY, JSON.stringify({ labels: s.labels, fillOpacity: s.fillOpacity }));
    });
  }
  return store;
}

export const boxView = installedStore((wb) => wb.boxView);

export function useBoxView<T>(selector: (s: BoxViewState) => T): T {
  return useStore(workbench().boxView, selector);
}

/** Not drawn and not hit-tested: hidden itself or by its category. */
export function isHidden(a: Annotation, s: Pick<BoxViewState, 'hiddenIds' | 'hiddenCategories'> = boxView.get()): boolean {
  return s.hiddenIds.has(a.id) || s.hiddenCategories.has(categoryKey(a));
}

/** Drawn, but the canvas cannot select it, and nothing moves, resizes, edits or deletes it: locked itself or by its category. */
export function isLocked(a: Annotation, s: Pick<BoxViewState, 'lockedIds' | 'lockedCategories'> = boxView.get()): boolean {
  return s.lockedIds.has(a.id) || s.lockedCategories.has(categoryKey(a));
}

/** The set with every key added, or with every key taken out when all of them are in it already. */
function toggledAll<T>(set: ReadonlySet<T>, keys: readonly T[]): Set<T> {
  const next = new Set(set);
  const allIn = keys.every((k) => set.has(k));
  for (const k of keys) if (allIn) next.delete(k); else next.add(k);
  return next;
}

export const toggleHidden = (id: number): void => boxView.set({ hiddenIds: toggledAll(boxView.get().hiddenIds, [id]) });
export const toggleLocked = (id: number): void => boxView.set({ lockedIds: toggledAll(boxView.get().lockedIds, [id]) });
export const toggleCategoryHidden = (key: CategoryKey): void => boxView.set({ hiddenCategories: toggledAll(boxView.get().hiddenCategories, [key]) });
export const toggleCategoryLocked = (key: CategoryKey): void => boxView.set({ lockedCategories: toggledAll(boxView.get().lockedCategories, [key]) });

/** Hides the given boxes, or shows them all again when every one is hidden already (H on a selection). */
export const toggleHiddenMany = (ids: number[]): void => boxView.set({ hiddenIds: toggledAll(boxView.get().hiddenIds, ids) });
/** Locks the given boxes, or unlocks them when every one is locked already. */
export const toggleLockedMany = (ids: number[]): void => boxView.set({ lockedIds: toggledAll(boxView.get().lockedIds, ids) });

/** Another project opened: hide and lock name this project's box and category ids, which another project reuses (issue 16). */
export const forgetHideAndLock = (): void => boxView.set({ hiddenIds: new Set(), lockedIds: new Set(), hiddenCategories: new Set(), lockedCategories: new Set() });

/** Everything hidden is shown again (boxes and categories). */
export const showAll = (): void => boxView.set({ hiddenIds: new Set(), hiddenCategories: new Set() });

export function cycleLabels(): LabelMode {
  const i = LABEL_MODES.indexOf(boxView.get().labels);
  const labels = LABEL_MODES[(i + 1) % LABEL_MODES.length]!;
  boxView.set({ labels });
  return labels;
}

export const setFillOpacity = (v: number): void => boxView.set({ fillOpacity: clampFill(v) });
export const setBrightness = (v: number): void => boxView.set({ brightness: clampAdjust(v) });
export const setContrast = (v: number): void => boxView.set({ contrast: clampAdjust(v) });
export const resetImageAdjust = (): void => boxView.set({ brightness: 100, contrast: 100 });

/** The CSS filter for the image layer's canvas ('none' at 100 % / 100 %, so the compositor has nothing to do). */
export function imageFilter(s: Pick<BoxViewState, 'brightness' | 'contrast'>): string {
  return s.brightness === 100 && s.contrast === 100 ? 'none' : `brightness(${s.brightness}%) contrast(${s.contrast}%)`;
}
