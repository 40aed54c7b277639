// Wires the grounding slice to main's events and to the workbench: tokens to
// the reasoning store (batched per frame), model status, batch progress
// (one update per frame at most), proposal changes (applied as deltas), and
// project / image switches (recent phrases, queue, point hint, image prefetch).
import { egm } from '../egm';
import { app } from '../state/store';
import { workbench } from '../workbench/current';
import { loadModelSettings, showBatch } from './model';
import { appendToken } from './reasoning';
import { prefetchImage } from './prefetch';
import { loadRecent } from './recent';
import { applyProposalChanges, focusProposal, refreshQueue, resetReview } from './review';
import { grounding } from './store';
import type { BatchStatus } from '@core/types';

/** Starts the wiring for the installed workbench (once; a second call gets a no-op stop). */
export function startGrounding(): () => void {
  const wb = workbench();
  if (wb.groundingStarted) return () => {};
  wb.groundingStarted = true;
  let batchFrame = 0;
  let nextBatch: BatchStatus | null = null;
  const offs = [
    egm().on('ground:token', (t) => appendToken(t.queryId, t.kind, t.text)),
    egm().on('model:status', (status) => {
      const wasReady = grounding.get().status.state === 'ready';
      grounding.set({ status });
      // A model that just became ready warms the image already on screen.
      if (!wasReady && status.state === 'ready') prefetchImage(app.get().currentImageId);
    }),
    egm().on('batch:progress', (b) => {
      nextBatch = b;
      if (!batchFrame) {
        batchFrame = wb.requestFrame(() => {
          batchFrame = 0;
          showBatch(nextBatch);
        });
      }
    }),
    egm().on('proposals:changed', applyProposalChanges),
    app.subscribe((s, prev) => {
      // Another opening of a project (its token), even of the same file: its ids are its own.
      if (s.project?.token !== prev.project?.token) {
        resetReview();
        // A failed query's Retry would ask its phrase (and point) on the other project's image (issue 16): it goes with its project.
        grounding.set({ point: null, query: null, queryError: null, failedQuery: null });
        if (s.project) {
          loadRecent();
          void refreshQueue();
          void loadModelSettings();
        }
      }
      if (s.currentImageId !== prev.currentImageId) {
        // A point belongs to one image; the proposal under review follows the image on screen.
        const g = grounding.get();
        const active = g.queue.find((p) => p.id === g.activeId);
        grounding.set({ point: null });
        prefetchImage(s.currentImageId);
        if (!active || active.imageId !== s.currentImageId) focusProposal(g.queue.find((p) => p.imageId === s.currentImageId) ?? null, false);
      }
    }),
  ];
  void loadModelSettings();
  if (app.get().project) {
    loadRecent();
    void refreshQueue();
  }
  return () => {
    wb.groundingStarted = false;
    offs.forEach((off) => off());
  };
}
