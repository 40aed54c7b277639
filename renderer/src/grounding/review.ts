// Reviewing proposals: the queue (every pending proposal of the project, listed
// once per project, then kept in step by main's 'proposals:changed' deltas and
// this window's own accept/reject), walking it across images, accept (with the user's handle
// edits), reject, accept-all on an image. Accept and reject are single store
// calls queued behind pending edits; once acknowledged they are recorded as
// one undo step each (a history step holding the annotation and proposal changes), so Ctrl+Z
// puts the proposal back (and deletes the annotation an accept created).
// Issue 18: each handle edit of a proposal is an undo step too, and an accept
// or reject step holds the edit it consumed, so its undo brings the proposal
// back with the boxes as corrected. Only the user's actions and this window's
// own queries put a proposal under review: one a batch adds in the background
// never takes it. After accepting the last proposal on an image, review moves
// on to the next one (a setting, on by default).
import { proposalBoxes, proposalEditsAfter, nextAfterRemoval, stepQueue } from '@core/grounding-ui';
import { applyProposalDelta, NO_QUEUE_FILTER, sortProposals, type ProposalDelta, type QueueFilter, type QueueOrder } from '@core/proposal-queue';
import type { Change } from '@core/history';
import { matchingAnnotation, withPhrase } from '@core/phrase-match';
import type { Annotation, Proposal } from '@core/types';
import { refitIfFitted } from '../canvas/viewport';
import { egm, errorText } from '../egm';
import { annotationChanges, markInProgress, proposalChanges, proposalEditChanges, recordApplied, storeEdit, type EditChange } from '../state/edits';
import { remoteId } from '../state/ids';
import { selectImage } from '../state/project';
import { app, notify } from '../state/store';
import { workbench } from '../workbench/current';
import { showReasoning } from './reasoning';
import { activeProposal, grounding, shownQueue, type ProposalEdit, type ProposalEditRecord } from './store';

/** Another project: its proposal ids are its own. */
export function resetReview(): void {
  grounding.set({ queue: [], activeId: null, edits: {}, categories: {}, filter: NO_QUEUE_FILTER });
}

/** The category a proposal is to be accepted with (keys 1–9 during review), as proposals:accept takes it. */
function acceptedCategory(id: number): { categoryId?: number } {
  const categoryId = grounding.get().categories[id];
  return categoryId === undefined ? {} : { categoryId };
}

/** Keys 1–9 while a proposal is under review: it will be accepted with this category. */
export function setProposalCategory(id: number, categoryId: number): void {
  grounding.set({ categories: { ...grounding.get().categories, [id]: categoryId } });
}

/** The queue as it now is; `pickFirst` (a fresh list) puts the first proposal on the image on screen under review when none is. */
function setQueue(queue: Proposal[], pickFirst = false): void {
  const { activeId, edits, query } = grounding.get();
  const live = new Set(queue.map((p) => p.id));
  const keptEdits = Object.fromEntries(Object.entries(edits).filter(([id]) => live.has(Number(id))));
  // A proposal that arrives by itself (a batch's answer for the image being edited) waits in the queue: it never takes the review or the side panel.
  const nextActive = activeId !== null && live.has(activeId) ? activeId : pickFirst ? firstOnImage(queue) : null;
  grounding.set({ queue, edits: keptEdits, activeId: nextActive });
  if (nextActive !== activeId && !query) {
    const p = queue.find((x) => x.id === nextActive);
    showReasoning(p ? { visible: p.reasoningVisible, amodal: p.reasoningAmodal } : null);
  }
}

function firstOnImage(queue: Proposal[]): number | null {
  const imageId = app.get().currentImageId;
  return queue.find((p) => p.imageId === imageId)?.id ?? null;
}

/** The whole queue, once per project opened; from then on deltas keep it (applyProposalChanges). */
export async function refreshQueue(): Promise<void> {
  if (!app.get().project) return;
  try {
    // Listed newest first and sorted here: three of the queue's orders are the renderer's own.
    setQueue(sortProposals(await egm()['proposals:list']({}), grounding.get().order), true);
  } catch (err) {
    app.set({ error: `Reading the review queue failed: ${errorText(err)}` });
  }
}

/**
 * Main's 'proposals:changed': what left the queue leaves it, what came in
 * takes its place in the chosen order. Nothing is re-listed, so a proposal
 * accepted or rejected here (gone from the queue at once) cannot come back
 * from a list read before main stored that: Enter never accepts one twice.
 */
export function applyProposalChanges(delta: ProposalDelta): void {
  const { queue, order } = grounding.get();
  setQueue(applyProposalDelta(queue, delta, order));
}

/** The same proposals in another order: sorted here, no re-list. */
export function setOrder(order: QueueOrder): void {
  grounding.set({ order, queue: sortProposals(grounding.get().queue, order) });
}

/** What the queue shows and J/K walk (issue 18); the proposal under review stays under review. */
export function setQueueFilter(patch: Partial<QueueFilter>): void {
  grounding.set({ filter: { ...grounding.get().filter, ...patch } });
}

/** A live query's answer: in the queue (main's event may have put it there already) and under review. */
export function addProposal(p: Proposal): void {
  applyProposalChanges({ added: [p], removedIds: [] });
  focusProposal(p, false);
}

/** Puts one proposal under review: its image comes into view, its reasoning into the panel. */
export function focusProposal(p: Proposal | null, navigate = true): void {
  grounding.set({ activeId: p?.id ?? null });
  if (p && app.get().selection.length > 0) app.set({ selection: [] }); // Enter/Backspace now act on the proposal
  // A running query keeps the panel: its stream is what the user is watching.
  if (!grounding.get().query) showReasoning(p ? { visible: p.reasoningVisible, amodal: p.reasoningAmodal } : null);
  if (p && navigate && app.get().currentImageId !== p.imageId) void selectImage(p.imageId);
  // Its boxes may reach past the image (an amodal box): a view still fitted shows them whole.
  else if (p && p.imageId === app.get().currentImageId) refitIfFitted();
}

/** J / K: the image on screen's proposals first, then the next image in the list that has any (stepQueue); at either end a notice, no wrap. */
export function stepProposal(step: 1 | -1): void {
  const { activeId } = grounding.get();
  const queue = shownQueue();
  const { currentImageId, images } = app.get();
  const next = stepQueue(queue, activeId, step, currentImageId, images.map((i) => i.id));
  if (!next) return notify(grounding.get().queue.length > 0 ? 'No proposal matches the queue filter' : 'The review queue is empty');
  if (next === 'end') return notify(step > 0 ? 'Last proposal' : 'First proposal');
  focusProposal(next);
}

/** Takes proposals out of the queue at once; review moves to the next one on the same image (J walks on across images). */
export function removeLocally(ids: number[]): void {
  const before = grounding.get().queue;
  const imageId = before.find((p) => p.id === ids[0])?.imageId;
  const next = ids.length === 1 ? nextAfterRemoval(before, ids[0]!) : null;
  applyProposalChanges({ added: [], removedIds: ids });
  focusProposal(next && next.imageId === imageId ? next : null, false);
}

// The proposal changes of an edit step (accept, reject, their undo and redo): a proposal comes back
// into the queue (and under review) or leaves it; a proposal's edit (handle drags) comes back or goes.
// Main confirms each with its own 'proposals:changed' later; applying that again changes nothing.
export function applyProposalUndo(changes: Change<Proposal>[], edits: Change<ProposalEditRecord>[] = []): void {
  const added = changes.flatMap((c) => (c.type === 'create' ? [c.after] : []));
  const removedIds = changes.flatMap((c) => (c.type === 'delete' ? [c.before.id] : []));
  if (changes.length > 0) applyProposalChanges({ added, removedIds });
  // After the queue: an edit is kept only for a proposal in it.
  if (edits.length > 0) grounding.set({ edits: proposalEditsAfter(grounding.get().edits, edits) });
  const edited = edits.at(-1);
  const back = added.at(-1) ?? (edited ? grounding.get().queue.find((p) => p.id === (edited.type === 'delete' ? edited.before : edited.after).id) : undefined);
  if (back && back.id !== grounding.get().activeId) focusProposal(back, false);
}

/**
 * Records a change of a proposal's edit (a handle drag, an amodal box drawn
 * with A) as one undo step; the edit is already shown. No store call: the
 * boxes are stored when the proposal is accepted.
 */
export function recordProposalEdit(label: string, p: Proposal, before: ProposalEdit | undefined, after: ProposalEdit | undefined): void {
  const record = (e: ProposalEdit): ProposalEditRecord => ({ id: p.id, visible: e.visible, amodal: e.amodal });
  const change: Change<ProposalEditRecord> | null =
    before && after ? { type: 'update', before: record(before), after: record(after) } : after ? { type: 'create', after: record(after) } : before ? { type: 'delete', before: record(before) } : null;
  if (!change) return;
  const selection = app.get().selection;
  recordApplied({ label, imageId: p.imageId, changes: proposalEditChanges([change]), selectionBefore: selection, selectionAfter: selection });
}

/** The edits of these proposals as an accept or reject consumes them, so its undo puts them back with the proposals. */
export function consumedEdits(ids: readonly number[], edits: Readonly<Record<number, ProposalEdit>> = grounding.get().edits): EditChange[] {
  return proposalEditChanges(ids.flatMap((id) => (edits[id] ? [{ type: 'delete' as const, before: { id, ...edits[id] } }] : [])));
}

const AUTO_ADVANCE_KEY = 'egm.review.autoAdvance';

/** Whether accepting the last proposal on an image moves review on to the next one (on unless turned off; the workbench's prefs). */
export function autoAdvance(): boolean {
  return workbench().prefs?.getItem(AUTO_ADVANCE_KEY) !== '0';
}

export function setAutoAdvance(on: boolean): void {
  workbench().prefs?.setItem(AUTO_ADVANCE_KEY, on ? '1' : '0');
}

/**
 * After an accept on `imageId`: when nothing the queue shows is left to
 * review there and nothing else took the review meanwhile, the next proposal
 * in the walk (J's order and filter) comes under review, on its image. With the queue empty the
 * image stays: the next phrase may be for it.
 */
function advanceFrom(imageId: number): void {
  const { activeId } = grounding.get();
  const queue = shownQueue(); // what J walks: the queue's filter holds here too
  if (!autoAdvance() || activeId !== null || app.get().currentImageId !== imageId) return;
  if (queue.some((p) => p.imageId === imageId)) return;
  const next = stepQueue(queue, null, 1, imageId, app.get().images.map((i) => i.id));
  if (next && next !== 'end') focusProposal(next);
}

/**
 * Proposals an action took off the screen and the store did not take: back in
 * the queue with the user's edits of them (`edits`: as they were before), the
 * first under review.
 */
export function putBack(proposals: Proposal[], edits: Readonly<Record<number, ProposalEdit>> = {}): void {
  applyProposalChanges({ added: proposals, removedIds: [] });
  const kept = proposals.filter((p) => edits[p.id]);
  if (kept.length > 0) grounding.set({ edits: { ...grounding.get().edits, ...Object.fromEntries(kept.map((p) => [p.id, edits[p.id]!])) } });
  focusProposal(proposals[0]!, false);
}

export async function acceptActive(): Promise<void> {
  const p = activeProposal();
  if (!p) return;
  const edit = grounding.get().edits[p.id];
  const boxes = proposalBoxes(p, edit);
  if (!boxes.visible) return notify('This proposal has no visible box to accept; reject it or ask again');
  const selectionBefore = app.get().selection;
  const { edits } = grounding.get();
  const consumed = consumedEdits([p.id]);
  removeLocally([p.id]);
  const result = await storeEdit('Accept proposal', (api) => api['proposals:accept']({ id: p.id, ...(edit ? { visible: boxes.visible!, amodal: boxes.amodal } : {}), ...acceptedCategory(p.id) }), () => putBack([p], edits));
  if (!result) return;
  recordApplied({
    label: edit ? 'Accept edited proposal' : 'Accept proposal',
    imageId: p.imageId,
    changes: [...annotationChanges([{ type: 'create', after: result.annotation }]), ...proposalChanges([{ type: 'delete', before: result.proposal }]), ...consumed],
    selectionBefore,
    selectionAfter: [],
  });
  markInProgress(p.imageId);
  advanceFrom(p.imageId);
}

export async function rejectActive(): Promise<void> {
  const p = activeProposal();
  if (!p) return;
  const selectionBefore = app.get().selection;
  const { edits } = grounding.get();
  const consumed = consumedEdits([p.id]);
  removeLocally([p.id]);
  const rejected = await storeEdit('Reject proposal', (api) => api['proposals:reject']({ id: p.id }), () => putBack([p], edits));
  if (!rejected) return;
  recordApplied({ label: 'Reject proposal', imageId: p.imageId, changes: [...proposalChanges([{ type: 'delete', before: rejected }]), ...consumed], selectionBefore, selectionAfter: selectionBefore });
}

/**
 * Adds the proposal's phrase to the object it found again (matchingAnnotation:
 * IoU above 0.5 with its visible box) instead of making a second box, and
 * takes the proposal out of the queue: one undo step (issue 9).
 */
export async function addPhraseToMatch(): Promise<void> {
  const p = activeProposal();
  const target = p && p.imageId === app.get().currentImageId ? matchingAnnotation(p.visible, app.get().annotations) : null;
  if (!p || !target) return;
  const phrase = p.phrase.trim();
  const after = target.phrase.trim() === '' ? { ...target, phrase } : { ...target, morePhrases: withPhrase(target, phrase) };
  const selectionBefore = app.get().selection;
  const { edits } = grounding.get();
  const consumed = consumedEdits([p.id]);
  removeLocally([p.id]);
  let updated = false;
  const rejected = await storeEdit(
    'Add phrase from proposal',
    async (api) => {
      if (!updated) await api['annotations:update']({ id: remoteId(target.id), patch: { phrase: after.phrase, morePhrases: after.morePhrases } });
      updated = true;
      return api['proposals:reject']({ id: p.id });
    },
    () => putBack([p], edits),
  );
  // The phrase was stored but the proposal not taken (refused): the box shows what the store has.
  const boxChange = annotationChanges([{ type: 'update', before: target, after }]);
  if (!rejected) {
    if (updated) recordApplied({ label: 'Add phrase from proposal', imageId: p.imageId, changes: boxChange, selectionBefore, selectionAfter: [target.id] });
    return;
  }
  recordApplied({
    label: 'Add phrase from proposal',
    imageId: p.imageId,
    changes: [...boxChange, ...proposalChanges([{ type: 'delete', before: rejected }]), ...consumed],
    selectionBefore,
    selectionAfter: [target.id],
  });
}

/** Shift+Enter: every proposal on the image that has a visible box, as ONE undo step. */
export async function acceptAllOnImage(): Promise<void> {
  const imageId = app.get().currentImageId;
  const { queue, edits } = grounding.get();
  const todo = queue.filter((p) => p.imageId === imageId && proposalBoxes(p, edits[p.id]).visible);
  if (imageId === null || todo.length === 0) return notify('No proposal with a visible box on this image');
  const selectionBefore = app.get().selection;
  removeLocally(todo.map((p) => p.id));
  const results: { annotation: Annotation; proposal: Proposal }[] = [];
  // One store call per proposal, resumed after a Retry; when one is refused, the ones accepted before it stay accepted.
  const project = app.get().project?.token;
  await storeEdit(
    `Accept ${todo.length} proposals`,
    async (api) => {
      for (const p of todo.slice(results.length)) {
        const edit = edits[p.id];
        results.push(await api['proposals:accept']({ id: p.id, ...(edit ? { visible: edit.visible!, amodal: edit.amodal } : {}), ...acceptedCategory(p.id) }));
      }
    },
    () => putBack(todo.slice(results.length), edits),
  );
  if (results.length === 0 || app.get().project?.token !== project) return;
  recordApplied({
    label: `Accept ${results.length} proposals`,
    imageId,
    changes: [
      ...annotationChanges(results.map((r) => ({ type: 'create' as const, after: r.annotation }))),
      ...proposalChanges(results.map((r) => ({ type: 'delete' as const, before: r.proposal }))),
      ...consumedEdits(results.map((r) => r.proposal.id), edits),
    ],
    selectionBefore,
    selectionAfter: [],
  });
  markInProgress(imageId);
  advanceFrom(imageId);
}
