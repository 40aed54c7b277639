// Bulk review (issue 18): accept every proposal at or above a confidence
// threshold, or agree with every "no box" answer (*not in this image*), on the
// image on screen or on all images, among what the queue's filter shows. Each
// asks first, naming the count, and is ONE store call (one transaction: all or
// none) and ONE undo step, whatever the number of proposals and images.
import { acceptTargets, noBoxTargets, type AcceptRule, type BulkScope } from '@core/bulk-review';
import { proposalBoxes } from '@core/grounding-ui';
import type { Proposal } from '@core/types';
import { askConfirm } from '../components/confirm';
import { annotationChanges, markInProgress, negativeChanges, proposalChanges, recordApplied, storeEdit } from '../state/edits';
import { app, notify } from '../state/store';
import { consumedEdits, putBack, removeLocally } from './review';
import { grounding, shownQueue } from './store';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "on this image" / "on all images", and the queue's filter when it narrows what is taken. */
function scopeText(scope: BulkScope): string {
  const { filter } = grounding.get();
  const where = scope.imageId === null ? 'on all images' : 'on this image';
  const narrowed = [filter.batchId !== null ? (filter.batchId === 0 ? 'live queries' : `batch ${filter.batchId}`) : null, filter.phrase !== null ? `“${filter.phrase}”` : null].filter(Boolean);
  return narrowed.length > 0 ? `${where} (${narrowed.join(', ')})` : where;
}

function ruleText(rule: AcceptRule): string {
  const conf = `confidence ≥ ${rule.threshold.toFixed(2)}`;
  return rule.includeGreedy ? `${conf} or greedy (no confidence)` : conf;
}

/** The step's image: the one on screen when the proposals are there too, else the first proposal's (undo brings it into view). */
function stepImage(proposals: readonly Proposal[]): number {
  const current = app.get().currentImageId;
  return current !== null && proposals.some((p) => p.imageId === current) ? current : proposals[0]!.imageId;
}

/** Asks "Accept N proposals …?" and accepts them on Enter. */
export function confirmBulkAccept(rule: AcceptRule): void {
  const targets = acceptTargets(shownQueue(), grounding.get().edits, rule);
  if (targets.length === 0) return notify(`No proposal with a visible box and ${ruleText(rule)} ${scopeText(rule)}`);
  askConfirm({
    text: `Accept ${plural(targets.length, 'proposal')} with ${ruleText(rule)} ${scopeText(rule)}? One undo step takes them all back.`,
    confirmLabel: `Accept ${targets.length}`,
    onConfirm: () => acceptMany(targets, `Accept ${plural(targets.length, 'proposal')} (${ruleText(rule)})`),
  });
}

/** Asks "Mark N no-box answers not in this image …?" and records them on Enter. */
export function confirmBulkNoBox(scope: BulkScope): void {
  const targets = noBoxTargets(shownQueue(), scope);
  if (targets.length === 0) return notify(`No "no box" answer ${scopeText(scope)}`);
  askConfirm({
    text: `Agree with ${plural(targets.length, '“no box” answer')} ${scopeText(scope)}: each phrase is recorded as not in its image (a label that is exported). One undo step takes them all back.`,
    confirmLabel: `Not in image × ${targets.length}`,
    onConfirm: () => markManyAbsent(targets),
  });
}

async function acceptMany(targets: Proposal[], label: string): Promise<void> {
  const { edits } = grounding.get();
  const selectionBefore = app.get().selection;
  const consumed = consumedEdits(targets.map((p) => p.id));
  removeLocally(targets.map((p) => p.id));
  const items = targets.map((p) => {
    const edit = edits[p.id];
    return edit ? { id: p.id, visible: proposalBoxes(p, edit).visible!, amodal: edit.amodal } : { id: p.id };
  });
  // Refused (issue 16: the banner says why), the proposals go back into the queue: one transaction, none was accepted.
  const results = await storeEdit(label, (api) => api['proposals:acceptMany']({ items }), () => putBack(targets, edits));
  if (!results) return;
  recordApplied({
    label,
    imageId: stepImage(targets),
    changes: [
      ...annotationChanges(results.map((r) => ({ type: 'create' as const, after: r.annotation }))),
      ...proposalChanges(results.map((r) => ({ type: 'delete' as const, before: r.proposal }))),
      ...consumed,
    ],
    selectionBefore,
    selectionAfter: [],
  });
  // Main marked each 'todo' image in progress with the accepts (store/proposals.ts); the list shows it.
  for (const imageId of new Set(results.map((r) => r.proposal.imageId))) markInProgress(imageId);
  notify(`Accepted ${plural(results.length, 'proposal')} (Ctrl+Z takes them back)`);
}

async function markManyAbsent(targets: Proposal[]): Promise<void> {
  const selection = app.get().selection;
  const { edits } = grounding.get();
  const consumed = consumedEdits(targets.map((p) => p.id));
  removeLocally(targets.map((p) => p.id));
  const label = `Not in this image × ${targets.length}`;
  const marked = await storeEdit(label, (api) => api['proposals:markAbsentMany']({ ids: targets.map((p) => p.id) }), () => putBack(targets, edits));
  if (!marked) return;
  recordApplied({
    label,
    imageId: stepImage(targets),
    changes: [
      ...proposalChanges(marked.map((m) => ({ type: 'delete' as const, before: m.proposal }))),
      // A phrase marked before stays marked when this is undone: only the negatives made here are in the step.
      ...negativeChanges(marked.filter((m) => m.created).map((m) => ({ type: 'create' as const, after: m.negative }))),
      ...consumed,
    ],
    selectionBefore: selection,
    selectionAfter: selection,
  });
  notify(`Recorded ${plural(marked.length, 'phrase')} as not in their image (Ctrl+Z takes them back)`);
}
