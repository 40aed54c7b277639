// The renderer's review queue kept by main's deltas (core/proposal-queue.ts):
// in the store's own orders, idempotent, and a proposal removed here (accepted
// or rejected) never comes back unless a delta adds it again (undo).
import { describe, expect, it } from 'vitest';
import { applyProposalDelta, sortProposals } from '@core/proposal-queue';
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
