// Viewport commands (fit, 1:1, zoom steps) shared by the toolbar and keys.
import { actualSize, fitViewport, zoomAt } from '../../../electron/core/geometry';
import { app, currentImage } from '../state/store';
import { view } from '../state/view';

export function fitView(): void {
  const img = currentImage(app.get());
  const { width, height } = view.get();
  if (img) view.set({ vp: fitViewport(img.width, img.height, width, height) });
}

export function oneToOne(): void {
  const { vp, width, height } = view.get();
  view.set({ vp: actualSize(vp, width, height) });
}

export function zoomStep(factor: number): void {
  const { vp, width, height } = view.get();
  view.set({ vp: zoomAt(vp, factor, [width / 2, height / 2]) });
}
