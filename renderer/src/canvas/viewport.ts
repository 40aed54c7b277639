// Viewport commands (fit, 1:1, zoom steps and presets) shared by the toolbar, the zoom menu and keys.
// *Fit* shows the image and every box that reaches past it (issue 18: an
// amodal box past the edge, a proposal's too). A view still at its fit (no
// zoom or pan since) follows what it shows: the stage's size, the image's
// boxes once loaded, a proposal coming under review.
import { actualSize, fitExtent, fitViewportTo, zoomAt, type Viewport } from '@core/geometry';
import { proposalBoxes } from '@core/grounding-ui';
import { nextZoom } from '@core/zoom-steps';
import { grounding } from '../grounding/store';
import { app, currentImage } from '../state/store';
import { view } from '../state/view';

function fittedViewport(width: number, height: number): Viewport | null {
  const s = app.get();
  const img = currentImage(s);
  if (!img) return null;
  const g = grounding.get();
  const proposals = g.queue.filter((p) => p.imageId === img.id).map((p) => proposalBoxes(p, g.edits[p.id]));
  const boxes = [...s.annotations.map((a) => a.amodal), ...proposals.flatMap((b) => [b.visible, b.amodal])];
  return fitViewportTo(fitExtent(img.width, img.height, boxes), width, height);
}

export function fitView(): void {
  const { width, height } = view.get();
  const vp = fittedViewport(width, height);
  if (vp) view.set({ vp, fitted: vp });
}

/** Whether the view is still where *Fit* put it (no zoom or pan since). */
export function isFitted(): boolean {
  const { vp, fitted } = view.get();
  return fitted !== null && vp === fitted;
}

/** Fits again if the view is still fitted: what *Fit* shows has changed (boxes loaded, a proposal under review). */
export function refitIfFitted(): void {
  if (isFitted()) fitView();
}

/**
 * The stage took a new size (window resize, a panel wrapping): a view that
 * was fitted stays fitted, so the image is not left small in a corner
 * (issue 11); a view the user zoomed or panned keeps its transform.
 */
export function followResize(width: number, height: number): void {
  const wasFitted = isFitted();
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
