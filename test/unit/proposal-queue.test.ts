// The renderer's review queue kept by main's deltas (core/proposal-queue.ts):
// in the store's own orders, idempotent, and a proposal removed here (accepted
// or rejected) never comes back unless a delta adds it again (undo).
import { describe, expect, it } from 'vitest';
import { applyProposalDelta, filterProposals, isNoBox, NO_QUEUE_FILTER, queueFacets, sortProposals } from '@core/proposal-queue';
import { acceptTargets, greedyInScope, noBoxTargets } from '@core/bulk-review';
import type { Proposal } from '@core/types';

function proposal(id: number, createdAt: number, score: number | null = null): Proposal {
  return {
    id, imageId: 1, phrase: `p${id}`, visible: [0, 0, 10, 10], amodal: null, reasoningVisible: '', reasoningAmodal: '',
    model: 'm', score, point: null, pointHit: null, reason: null, latencyMs: 1, batchId: null, createdAt,
  };
}
const ids = (queue: Proposal[]) => queue.map((p) => p.id);

describe('proposal queue deltas', () => {
  const a = proposal(1, 100, 0.9);
  const b = proposal(2, 200, null);
  const c = proposal(3, 300, 0.2);
  const d = proposal(4, 300, 0.5);

  it('sorts as the store lists: newest first (ties by id), or least confident first with greedy answers last', () => {
    expect(ids(sortProposals([a, b, c, d], 'newest'))).toEqual([4, 3, 2, 1]);
    expect(ids(sortProposals([a, b, c, d], 'confidence'))).toEqual([3, 4, 1, 2]);
  });

  it('inserts an added proposal in place, in either order', () => {
    expect(ids(applyProposalDelta(sortProposals([a, b, d], 'newest'), { added: [c], removedIds: [] }, 'newest'))).toEqual([4, 3, 2, 1]);
    expect(ids(applyProposalDelta(sortProposals([a, b, d], 'confidence'), { added: [c], removedIds: [] }, 'confidence'))).toEqual([3, 4, 1, 2]);
    expect(ids(applyProposalDelta([], { added: [a, d, b], removedIds: [] }, 'confidence'))).toEqual([4, 1, 2]);
  });

  it('is idempotent: the event repeating a query answer already queued does not double it', () => {
    const once = applyProposalDelta([a, b], { added: [c], removedIds: [] }, 'newest');
    expect(applyProposalDelta(once, { added: [c], removedIds: [] }, 'newest')).toEqual(once);
  });

  it('keeps a removed proposal out: main confirming the accept changes nothing, only an undo brings it back', () => {
    // Enter: the renderer takes b out at once; main's confirmation follows.
    const accepted = applyProposalDelta([c, b, a], { added: [], removedIds: [b.id] }, 'newest');
    expect(ids(accepted)).toEqual([3, 1]);
    const confirmed = applyProposalDelta(accepted, { added: [], removedIds: [b.id] }, 'newest');
    expect(ids(confirmed)).toEqual([3, 1]);
    // A batch result arriving meanwhile adds only itself.
    expect(ids(applyProposalDelta(confirmed, { added: [d], removedIds: [] }, 'newest'))).toEqual([4, 3, 1]);
    // Undo (restore) adds it back in its place.
    expect(ids(applyProposalDelta(confirmed, { added: [b], removedIds: [] }, 'newest'))).toEqual([3, 2, 1]);
  });

  it('a delta that adds and removes the same id leaves it out', () => {
    expect(ids(applyProposalDelta([a], { added: [b], removedIds: [b.id] }, 'newest'))).toEqual([1]);
  });
});

describe('queue filter, sort and bulk targets (issue 18)', () => {
  const p = (id: number, over: Partial<Proposal>): Proposal => ({ ...proposal(id, id * 10), ...over });
  const dogA = p(1, { phrase: 'the dog', batchId: 2, score: 0.95, imageId: 1 });
  const dogB = p(2, { phrase: 'the dog', batchId: 2, score: null, visible: null, reason: 'no-box', imageId: 2 });
  const cat = p(3, { phrase: 'The cat', batchId: 1, score: 0.6, imageId: 1 });
  const live = p(4, { phrase: 'a ball', batchId: null, score: null, imageId: 2 });
  const cow = p(5, { phrase: 'the cow', batchId: 2, score: 0.85, imageId: 2, visible: null, amodal: [0, 0, 5, 5] });
  const queue = [dogA, dogB, cat, live, cow];

  it('sorts by most confident, phrase and batch as well', () => {
    expect(ids(sortProposals(queue, 'confident'))).toEqual([1, 5, 3, 4, 2]);
    expect(ids(sortProposals(queue, 'phrase'))).toEqual([4, 3, 5, 2, 1]);
    expect(ids(sortProposals(queue, 'batch'))).toEqual([5, 2, 1, 3, 4]);
    // Deltas keep these orders too.
    expect(ids(applyProposalDelta(sortProposals([dogA, cat, live], 'phrase'), { added: [cow], removedIds: [] }, 'phrase'))).toEqual([4, 3, 5, 1]);
  });

  it('filters by batch (0: live queries), phrase and kind; no box means neither box', () => {
    expect(isNoBox(dogB)).toBe(true);
    expect(isNoBox(cow)).toBe(false); // only the amodal box: a box proposal
    expect(filterProposals(queue, NO_QUEUE_FILTER)).toBe(queue);
    expect(ids([...filterProposals(queue, { ...NO_QUEUE_FILTER, batchId: 2 })])).toEqual([1, 2, 5]);
    expect(ids([...filterProposals(queue, { ...NO_QUEUE_FILTER, batchId: 0 })])).toEqual([4]);
    expect(ids([...filterProposals(queue, { ...NO_QUEUE_FILTER, phrase: 'the dog', kind: 'no-box' })])).toEqual([2]);
    expect(ids([...filterProposals(queue, { ...NO_QUEUE_FILTER, kind: 'box' })])).toEqual([1, 3, 4, 5]);
    expect(queueFacets(queue)).toEqual({
      batches: [{ batchId: 2, count: 3 }, { batchId: 1, count: 1 }, { batchId: 0, count: 1 }],
      phrases: [{ phrase: 'a ball', count: 1 }, { phrase: 'The cat', count: 1 }, { phrase: 'the cow', count: 1 }, { phrase: 'the dog', count: 2 }],
      noBox: 1,
    });
  });

  it('bulk accept takes the proposals with a visible box at or above the threshold, greedy ones only when asked, in scope', () => {
    expect(ids(acceptTargets(queue, {}, { imageId: null, threshold: 0.85, includeGreedy: false }))).toEqual([1]);
    expect(ids(acceptTargets(queue, {}, { imageId: null, threshold: 0.6, includeGreedy: true }))).toEqual([1, 3, 4]);
    expect(ids(acceptTargets(queue, {}, { imageId: 2, threshold: 0, includeGreedy: true }))).toEqual([4]);
    // The user's edit gives the amodal-only proposal a visible box: now it can be accepted.
    expect(ids(acceptTargets(queue, { 5: { visible: [1, 1, 4, 4], amodal: [0, 0, 5, 5] } }, { imageId: null, threshold: 0.85, includeGreedy: false }))).toEqual([1, 5]);
    expect(greedyInScope(queue, {}, { imageId: null })).toBe(1);
    expect(ids(noBoxTargets(queue, { imageId: null }))).toEqual([2]);
    expect(noBoxTargets(queue, { imageId: 1 })).toEqual([]);
  });
});
