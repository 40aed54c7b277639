// When the user selects an image while a local model is ready, main is asked
// to decode it into the model's image cache (ground:prefetch), so the phrase
// they type next costs what a repeat query on that image costs. Fire-and-
// forget: it never blocks the UI or the query; a failure is logged once per
// reason and otherwise ignored (the query itself reports real problems).
// Asked only once the selection has settled for a moment.
import { egm, errorText } from '../egm';
import { grounding } from './store';

const logged = new Set<string>();
/** Paging through images with the arrow keys should not decode every one passed. */
const SETTLE_MS = 120;
let timer: ReturnType<typeof setTimeout> | undefined;

export function prefetchImage(imageId: number | null): void {
  clearTimeout(timer);
  const status = grounding.get().status;
  if (imageId === null || status.state !== 'ready' || status.backend !== 'local') return;
  timer = setTimeout(() => {
    egm()['ground:prefetch']({ imageId }).catch((err: unknown) => {
      const reason = errorText(err);
      if (logged.has(reason)) return;
      logged.add(reason);
      console.warn(`image prefetch failed (not logged again): ${reason}`);
    });
  }, SETTLE_MS);
}
