// Shift+Enter and the Accept-all button ask first (issue 11): accepting every
// proposal on an image at once is one undo step, but easy to do by accident.
import { proposalBoxes } from '@core/grounding-ui';
import { askConfirm } from '../../components/confirm';
import { app, notify } from '../../state/store';
import { acceptAllOnImage } from '../review';
import { grounding } from '../store';

/** The proposals Accept-all would take on the image on screen: those with a visible box. */
export function acceptableOnImage(): number {
  const imageId = app.get().currentImageId;
  const { queue, edits } = grounding.get();
  return queue.filter((p) => p.imageId === imageId && proposalBoxes(p, edits[p.id]).visible).length;
}

export function confirmAcceptAll(): void {
  const n = acceptableOnImage();
  if (n === 0) return notify('No proposal with a visible box on this image');
  askConfirm({ text: `Accept ${n} proposal${n === 1 ? '' : 's'} on this image?`, confirmLabel: `Accept ${n}`, onConfirm: acceptAllOnImage });
}
