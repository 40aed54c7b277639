// Copies the installed workbench's annotations and selection into the canvas
// scene whenever they change, and redraws the two layers that show them.
// CanvasView attaches it with its Konva layers; the test driver with counters.
import { app } from '../state/store';
import type { LayerName } from './pointer';
import { setSceneAnnotations } from './scene';

export function attachSceneSync(redraw: (what: LayerName) => void): () => void {
  const sync = () => {
    const { annotations, selection } = app.get();
    setSceneAnnotations(annotations, selection);
    redraw('boxes');
    redraw('selection');
  };
  sync();
  return app.subscribe((s, prev) => {
    if (s.annotations !== prev.annotations || s.selection !== prev.selection) sync();
  });
}
