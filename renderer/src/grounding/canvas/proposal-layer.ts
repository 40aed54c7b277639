// Keeps the proposal layer's scene in step with the grounding store and the
// image on screen, and redraws only that layer. CanvasView hands its Konva
// layer over with attachProposalLayer() (a test driver hands a counter);
// nothing here renders React. The layer is the installed workbench's.
import { app } from '../../state/store';
import { workbench } from '../../workbench/current';
import { grounding } from '../store';

/** What this module needs of a Konva layer. */
export interface Redrawable {
  batchDraw(): unknown;
}

export function redrawProposals(): void {
  workbench().proposalLayer?.batchDraw();
}

function sync(): void {
  const wb = workbench();
  const g = grounding.get();
  const imageId = app.get().currentImageId;
  const scene = wb.proposalScene;
  scene.proposals = g.queue.filter((p) => p.imageId === imageId);
  scene.activeId = g.activeId;
  scene.edits = g.edits;
  scene.point = g.point;
  redrawProposals();
}

/** Called by CanvasView with its proposal layer (null on unmount). */
export function attachProposalLayer(l: Redrawable | null): () => void {
  const wb = workbench();
  wb.proposalLayer = l;
  if (!l) return () => {};
  sync();
  const offG = grounding.subscribe((s, prev) => {
    if (s.queue !== prev.queue || s.activeId !== prev.activeId || s.edits !== prev.edits || s.point !== prev.point) sync();
  });
  const offA = app.subscribe((s, prev) => {
    if (s.currentImageId !== prev.currentImageId) sync();
  });
  return () => {
    offG();
    offA();
    if (wb.proposalLayer === l) wb.proposalLayer = null;
  };
}
