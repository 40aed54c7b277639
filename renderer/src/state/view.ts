// The viewport lives outside React state on purpose: panning and zooming move
// the Konva Stage transform directly (canvas/CanvasView subscribes), so no
// React node re-renders per frame. Only the zoom label subscribes via a hook.
import { create } from 'zustand';
import type { Viewport } from '../../../electron/core/geometry';

export interface ViewState {
  vp: Viewport;
  /** Stage size in CSS px. */
  width: number;
  height: number;
  /** Space held: drags pan. */
  spaceDown: boolean;
}

export const useView = create<ViewState>(() => ({ vp: { scale: 1, x: 0, y: 0 }, width: 800, height: 600, spaceDown: false }));
export const view = { get: useView.getState, set: useView.setState };
