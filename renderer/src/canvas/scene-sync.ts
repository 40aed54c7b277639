// Copies the installed workbench's annotations and selection into the canvas
// scene whenever they change (or what is hidden or locked, box-view.ts), and
// redraws the two layers that show them; a change of labels or box opacity
// only redraws. CanvasView attaches it with its Konva layers; the test driver
// with counters.
import { app } from '../state/store';
import { boxView } from './box-view';
import type { LayerName } from './pointer';
import { setSceneAnnotations } from './scene';

export function attachSceneSync(redraw: (what: LayerName) => void): () => void {
  const sync = () => {
    const { annotations, selection, categories } = app.get();
    setSceneAnnotations(annotations, selection, boxView.get(), new Map(categories.map((c) => [c.id, c.name])));
    redraw('boxes');
    redraw('selection');
  };
  sync();
  const offApp = app.subscribe((s, prev) => {
    if (s.annotations !== prev.annotations || s.selection !== prev.selection || s.categories !== prev.categories) sync();
  });
  const offView = boxView.subscribe((s, prev) => {
    const membership = s.hiddenIds !== prev.hiddenIds || s.hiddenCategories !== prev.hiddenCategories || s.lockedIds !== prev.lockedIds || s.lockedCategories !== prev.lockedCategories;
    if (membership) return sync();
    if (s.labels !== prev.labels || s.fillOpacity !== prev.fillOpacity) {
      redraw('boxes');
      redraw('selection');
    }
  });
  return () => {
    offApp();
    offView();
  };
}
