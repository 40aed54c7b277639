// The viewport lives outside React state on purpose: panning and zooming move
// the Konva Stage transform directly (canvas/CanvasView subscribes), so no
// React node re-renders per frame. Only the zoom label subscribes via a hook.
// The store belongs to the workbench; `view` and `useView` act on the installed one.
import { createStore, useStore, type StoreApi } from 'zustand';
import type { Viewport } from '@core/geometry';
import { installedStore, workbench } from '../workbench/current';

export interface ViewState {
  vp: Viewport;
  /** Stage size in CSS px. */
  width: number;
  height: number;
  /** Space held: drags pan. */
  spaceDown: boolean;
  /** The viewport *Fit* last set; while `vp` is still this very object, the view counts as fitted (canvas/viewport.ts). */
  fitted: Viewport | null;
}

export function createViewStore(): StoreApi<ViewState> {
  return createStore<ViewState>(() => ({ vp: { scale: 1, x: 0, y: 0 }, width: 800, height: 600, spaceDown: false, fitted: null }));
}

export function useView<T>(selector: (s: ViewState) => T): T {
  return useStore(workbench().view, selector);
}

export const view = installedStore((wb) => wb.view);
