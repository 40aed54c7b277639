// During a pan or wheel-zoom gesture the overlay canvases (boxes, selection,
// draft, proposals) are not redrawn: each keeps the bitmap of its last draw and
// is moved and scaled to the current viewport with a CSS transform (the
// compositor's work: no stroking of 2,000 boxes, no canvas upload).
// A layer is redrawn for real when its bitmap cannot stand in any more (zoom
// ratio too far, or too much of the image uncovered: layer-transform.ts), and
// every layer is redrawn crisply when the gesture settles. Any draw of a
// layer (an edit, proposals arriving mid-pan) records the viewport it was
// drawn at and drops its transform, so a layer is never shown misaligned.
import type Konva from 'konva';
import type { Viewport } from '@core/geometry';
import { view } from '../state/view';
import { workbench } from '../workbench/current';
import { canStandIn, cssTransform, movedBy } from '../lib/layer-transform';
import { currentScene } from './scene';

/** Counters the canvas bench reads from the page (bench/canvas-frames.ts; main.tsx publishes the workbench's). */
export interface LayerStats {
  draws: number;
  moves: number;
}

interface Tracked {
  el: HTMLCanvasElement;
  /** The viewport its bitmap was drawn at. */
  vp: Viewport;
}

export class GestureLayers {
  private readonly tracked = new Map<Konva.Layer, Tracked>();

  /** Follows a layer: its canvas can be moved, and each draw resets the move. */
  add(layer: Konva.Layer): () => void {
    const el = (layer.getCanvas() as unknown as { _canvas: HTMLCanvasElement })._canvas;
    el.style.transformOrigin = '0 0';
    // Its own compositor layer, so a transform change repaints nothing.
    el.style.willChange = 'transform';
    const t: Tracked = { el, vp: { ...view.get().vp } };
    this.tracked.set(layer, t);
    layer.on('draw.gesture', () => {
      t.vp = { ...view.get().vp };
      el.style.transform = 'none';
      workbench().layerStats.draws++;
    });
    return () => {
      layer.off('draw.gesture');
      this.tracked.delete(layer);
      el.style.transform = 'none';
    };
  }

  /** The view moved within a gesture: move each shown layer, or redraw the ones a move cannot stand in for. */
  moved(): void {
    const { vp, width, height } = view.get();
    const { imageW, imageH } = currentScene();
    const stats = workbench().layerStats;
    for (const [layer, t] of this.tracked) {
      if (!layer.isVisible()) continue; // redrawn when shown again
      if (canStandIn(t.vp, vp, width, height, imageW, imageH)) {
        t.el.style.transform = cssTransform(movedBy(t.vp, vp));
        stats.moves++;
      } else layer.batchDraw();
    }
  }
}
