// When the user selects an image while a local model is ready, main is asked
// to decode it into the model's image cache (ground:prefetch), so the phrase
// they type next costs what a repeat query on that image costs. Fire-and-
// forget: it never blocks the UI or the query; a failure is logged once per
// reason and otherwise ignored (the query itself reports real problems).
import { egm, errorText } from '../egm';
import { grounding } from './store';

const logged = new Set<string>();

export function prefetchImage(imageId: number | null): void {
  const status = grounding.get().status;
  if (imageId === null || status.state !== 'ready' || status.backend !== 'local') return;
  egm()['ground:prefetch']({ imageId }).catch((err: unknown) => {
    const reason = errorText(err);
    if (logged.has(reason)) return;
    logged.add(reason);
    console.warn(`image prefetch failed (not logged again): ${reason}`);
  });
}
