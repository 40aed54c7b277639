// Viewport commands (fit, 1:1, zoom steps and presets) shared by the toolbar, the zoom menu and keys.
import { actualSize, fitViewport, zoomAt } from '@core/geometry';
import { nextZoom } from '@core/zoom-steps';
import { app, currentImage } from '../state/store';
import { view } from '../state/view';

export function fitView(): void {
  const img = currentImage(app.get());
  const { width, height } = view.get();
  if (img) view.set({ vp: fitViewport(img.width, img.height, width, height) });
}

/**
 * The stage took a new size (window resize, a panel wrapping): a view that
 * was fitted stays fitted, so the image is not left small in a corner
 * (issue 11); a view the user zoomed or panned keeps its transform.
 */
export function followResize(width: number, height: number): void {
  const before = view.get();
  const img = currentImage(app.get());
  const fitted = img ? fitViewport(img.width, img.height, before.width, before.height) : null;
  const wasFitted = fitted !== null && Math.abs(fitted.scale - before.vp.scale) < 1e-9 && Math.abs(fitted.x - before.vp.x) < 0.5 && Math.abs(fitted.y - before.vp.y) < 0.5;
  view.set({ width, height });
  if (wasFitted) fitView();
}

export function oneToOne(): void {
  const { vp, width, height } = view.get();
  view.set({ vp: actualSize(vp, width, height) });
}

/** + / −: the next step of the ladder (it lands on 100, 200, 400 %), about the view's centre. */
export function zoomStep(dir: 1 | -1): void {
  zoomTo(nextZoom(view.get().vp.scale, dir));
}

/** A preset (scale 1 = 100 %), about the view's centre. */
export function zoomTo(scale: number): void {
  const { vp, width, height } = view.get();
  view.set({ vp: zoomAt(vp, scale / vp.scale, [width / 2, height / 2]) });
}
