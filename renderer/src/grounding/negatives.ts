// "Object not in this image" (issue 11): the reviewer agrees with a no-box
// answer (X, or the proposal panel's button: proposals:markAbsent takes the
// proposal and records the negative in one store call), records a phrase as
// absent without asking the model (the phrase bar), or takes a negative back
// (the side panel's ×). Each is one undo step: Ctrl+Z of a mark puts the
// proposal back into the queue and removes the negative (edits.ts persists
// the inverse: proposals:restore, negatives:remove).
import type { Negative } from '@core/negatives';
import { negativeChanges, proposalChanges, recordApplied, storeEdit } from '../state/edits';
import { app, notify } from '../state/store';
import { consumedEdits, putBack, removeLocally } from './review';
import { activeProposal, grounding } from './store';

const known = (n: Negative) => app.get().negatives.some((x) => x.id === n.id);

/** X: the proposal under review is right that the object is not there. */
export async function markActiveAbsent(): Promise<void> {
  const p = activeProposal();
  if (!p) return;
  const selection = app.get().selection;
  const { edits } = grounding.get();
  const consumed = consumedEdits([p.id]);
  removeLocally([p.id]);
  const marked = await storeEdit('Mark not in this image', (api) => api['proposals:markAbsent']({ id: p.id }), () => putBack([p], edits));
  if (!marked) return;
  const { proposal, negative } = marked;
  // The phrase may be marked already (main answers the existing negative): undo must not take that one away.
  const recorded = known(negative) ? [] : negativeChanges([{ type: 'create', after: negative }]);
  recordApplied({
    label: 'Not in this image',
    imageId: proposal.imageId,
    changes: [...proposalChanges([{ type: 'delete', before: proposal }]), ...recorded, ...consumed],
    selectionBefore: selection,
    selectionAfter: selection,
  });
}

/** The phrase bar's "Not in image": the phrase has no object here, recorded without running the model. */
export async function recordNegative(phrase: string): Promise<void> {
  const imageId = app.get().currentImageId;
  const text = phrase.trim();
  if (imageId === null || !text) return;
  const negative = await storeEdit('Record not in this image', (api) => api['negatives:add']({ imageId, phrase: text }));
  if (!negative) return;
  if (known(negative)) return notify(`“${text}” is already marked as not in this image`);
  const selection = app.get().selection;
  recordApplied({ label: 'Not in this image', imageId, changes: negativeChanges([{ type: 'create', after: negative }]), selectionBefore: selection, selectionAfter: selection });
  notify(`Recorded: “${text}” is not in this image`);
}

/** The side panel's ×: the phrase is no longer marked absent here (undo marks it again). */
export async function removeNegative(n: Negative): Promise<void> {
  const removed = await storeEdit('Remove not in this image', (api) => api['negatives:remove']({ id: n.id }));
  if (!removed) return;
  const selection = app.get().selection;
  recordApplied({ label: 'Remove not in this image', imageId: n.imageId, changes: negativeChanges([{ type: 'delete', before: removed }]), selectionBefore: selection, selectionAfter: selection });
}
