// Reviewing proposals: the queue (every pending proposal of the project, listed
// once per project, then kept in step by main's 'proposals:changed' deltas and
// this window's own accept/reject), walking it across images, accept (with the user's handle
// edits), reject, accept-all on an image. Accept and reject are single store
// calls queued behind pending edits; once acknowledged they are recorded as
// one undo step each (a history step holding the annotation and proposal changes), so Ctrl+Z
// puts the proposal back (and deletes the annotation an accept created).
import { proposalBoxes, nextAfterRemoval, stepQueue } from '@core/grounding-ui';
import { applyProposalDelta, NO_QUEUE_FILTER, sortProposals, type ProposalDelta, type QueueFilter, type QueueOrder } from '@core/proposal-queue';
import type { Change } from '@core/history';
import { matchingAnnotation, withPhrase } from '@core/phrase-match';
import type { Annotation, Proposal } from '@core/types';
import { egm, errorText } from '../egm';
import { annotationChanges, proposalChanges, recordApplied, storeEdit } from '../state/edits';
import { remoteId } from '../state/ids';
import { selectImage } from '../state/project';
import { app, notify } from '../state/store';
import { showReasoning } from './reasoning';
import { activeProposal, grounding, shownQueue } from './store';

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

function setQueue(queue: Proposal[]): void {
  const { activeId, edits, query } = grounding.get();
  const live = new Set(queue.map((p) => p.id));
  const keptEdits = Object.fromEntries(Object.entries(edits).filter(([id]) => live.has(Number(id))));
  const nextActive = activeId !== null && live.has(activeId) ? activeId : firstOnImage(queue);
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
    setQueue(sortProposals(await egm()['proposals:list']({}), grounding.get().order));
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
// into the queue (and under review) or leaves it. Main confirms each with its own
// 'proposals:changed' later; applying that again changes nothing.
export function applyProposalUndo(changes: Change<Proposal>[]): void {
  const added = changes.flatMap((c) => (c.type === 'create' ? [c.after] : []));
  const removedIds = changes.flatMap((c) => (c.type === 'delete' ? [c.before.id] : []));
  applyProposalChanges({ added, removedIds });
  const back = added.at(-1);
  if (back) focusProposal(back, false);
}

/** Proposals an action took off the screen and the store did not take: back in the queue, the first under review. */
export function putBack(proposals: Proposal[]): void {
  applyProposalChanges({ added: proposals, removedIds: [] });
  focusProposal(proposals[0]!, false);
}

export async function acceptActive(): Promise<void> {
  const p = activeProposal();
  if (!p) return;
  const edit = grounding.get().edits[p.id];
  const boxes = proposalBoxes(p, edit);
  if (!boxes.visible) return notify('This proposal has no visible box to accept; reject it or ask again');
  const selectionBefore = app.get().selection;
  removeLocally([p.id]);
  const result = await storeEdit('Accept proposal', (api) => api['proposals:accept']({ id: p.id, ...(edit ? { visible: boxes.visible!, amodal: boxes.amodal } : {}), ...acceptedCategory(p.id) }), () => putBack([p]));
  if (!result) return;
  recordApplied({
    label: edit ? 'Accept edited proposal' : 'Accept proposal',
    imageId: p.imageId,
    changes: [...annotationChanges([{ type: 'create', after: result.annotation }]), ...proposalChanges([{ type: 'delete', before: result.proposal }])],
    selectionBefore,
    selectionAfter: [],
  });
}

export async function rejectActive(): Promise<void> {
  const p = activeProposal();
  if (!p) return;
  const selectionBefore = app.get().selection;
  removeLocally([p.id]);
  const rejected = await storeEdit('Reject proposal', (api) => api['proposals:reject']({ id: p.id }), () => putBack([p]));
  if (!rejected) return;
  recordApplied({ label: 'Reject proposal', imageId: p.imageId, changes: proposalChanges([{ type: 'delete', before: rejected }]), selectionBefore, selectionAfter: selectionBefore });
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
  removeLocally([p.id]);
  let updated = false;
  const rejected = await storeEdit(
    'Add phrase from proposal',
    async (api) => {
      if (!updated) await api['annotations:update']({ id: remoteId(target.id), patch: { phrase: after.phrase, morePhrases: after.morePhrases } });
      updated = true;
      return api['proposals:reject']({ id: p.id });
    },
    () => putBack([p]),
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
    changes: [...boxChange, ...proposalChanges([{ type: 'delete', before: rejected }])],
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
    () => putBack(todo.slice(results.length)),
  );
  if (results.length === 0 || app.get().project?.token !== project) return;
  recordApplied({
    label: `Accept ${results.length} proposals`,
    imageId,
    changes: [
      ...annotationChanges(results.map((r) => ({ type: 'create' as const, after: r.annotation }))),
      ...proposalChanges(results.map((r) => ({ type: 'delete' as const, before: r.proposal }))),
    ],
    selectionBefore,
    selectionAfter: [],
  });
}
