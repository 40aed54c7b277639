// When the user selects an image while a local model is ready, main is asked
// to decode it into the model's image cache (ground:prefetch), so the phrase
// they type next costs what a repeat query on that image costs. Fire-and-
// forget: it never blocks the UI or the query; a failure is logged once per
// reason and otherwise ignored (the query itself reports real problems).
// Asked only once the selection has settled for a moment.
import { egm, errorText } from '../egm';
import { workbench } from '../workbench/current';
import { grounding } from './store';

/** Paging through images with the arrow keys should not decode every one passed. */
const SETTLE_MS = 120;

export function prefetchImage(imageId: number | null): void {
  const wb = workbench();
  wb.timers.clear('prefetch');
  const status = grounding.get().status;
  if (imageId === null || status.state !== 'ready' || status.backend !== 'local') return;
  wb.timers.start('prefetch', SETTLE_MS, () => {
    egm()['ground:prefetch']({ imageId }).catch((err: unknown) => {
      const reason = errorText(err);
      if (wb.loggedOnce.has(reason)) return;
      wb.loggedOnce.add(reason);
      console.warn(`image prefetch failed (not logged again): ${reason}`);
    });
  });
}
