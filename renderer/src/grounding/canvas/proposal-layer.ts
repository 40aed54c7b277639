// Keeps the proposal layer's scene in step with the grounding store and the
// image on screen, and redraws only that layer. CanvasView hands its Konva
// layer over with attachProposalLayer(); nothing here renders React.
import type Konva from 'konva';
import { app, useApp } from '../../state/store';
import { grounding, useGrounding } from '../store';
import { proposalScene } from './proposal-draw';

let layer: Konva.Layer | null = null;

export function redrawProposals(): void {
  layer?.batchDraw();
}

function sync(): void {
  const g = grounding.get();
  const imageId = app.get().currentImageId;
  proposalScene.proposals = g.queue.filter((p) => p.imageId === imageId);
  proposalScene.activeId = g.activeId;
  proposalScene.edits = g.edits;
  proposalScene.point = g.point;
  redrawProposals();
}

/** Called by CanvasView with its proposal layer (null on unmount). */
export function attachProposalLayer(l: Konva.Layer | null): () => void {
  layer = l;
  if (!l) return () => {};
  sync();
  const offG = useGrounding.subscribe((s, prev) => {
    if (s.queue !== prev.queue || s.activeId !== prev.activeId || s.edits !== prev.edits || s.point !== prev.point) sync();
  });
  const offA = useApp.subscribe((s, prev) => {
    if (s.currentImageId !== prev.currentImageId) sync();
  });
  return () => {
    offG();
    offA();
    if (layer === l) layer = null;
  };
}
