// The renderer's review queue kept in step with main without re-listing it:
// main reports each change as a delta ('proposals:changed': added proposals,
// removed ids) and the queue applies it, keeping the order the store lists in
// (store/proposals.ts ORDER) by inserting each added proposal in place.
// Pure: no DOM, no Node; unit-tested directly.
import type { Proposal, ProposalOrder } from './types';

export interface ProposalDelta {
  added: readonly Proposal[];
  removedIds: readonly number[];
}

/** Newest first (created, then id); the same order as the store's 'newest' list. */
function newestFirst(a: Proposal, b: Proposal): number {
  return b.createdAt - a.createdAt || b.id - a.id;
}

/**
 * Lowest confidence first; a greedy answer (score null) measured none and goes
 * after every scored one; ties newest first. The store's 'confidence' list.
 */
function leastConfidentFirst(a: Proposal, b: Proposal): number {
  if (a.score === null || b.score === null) {
    if (a.score !== b.score) return a.score === null ? 1 : -1;
  } else if (a.score !== b.score) return a.score - b.score;
  return newestFirst(a, b);
}

const COMPARE: Record<ProposalOrder, (a: Proposal, b: Proposal) => number> = {
  newest: newestFirst,
  confidence: leastConfidentFirst,
};

/** The queue in `order` (a new array). */
export function sortProposals(queue: readonly Proposal[], order: ProposalOrder): Proposal[] {
  return [...queue].sort(COMPARE[order]);
}

/**
 * The queue after `delta`: removed ids leave it, added proposals take their
 * place in `order` (one already queued is replaced, never doubled). Applying
 * the same delta twice gives the same queue, so a proposal the renderer added
 * itself (a query's answer) is not doubled when main's event repeats it.
 */
export function applyProposalDelta(queue: readonly Proposal[], delta: ProposalDelta, order: ProposalOrder): Proposal[] {
  const removed = new Set(delta.removedIds);
  const added = new Map(delta.added.filter((p) => !removed.has(p.id)).map((p) => [p.id, p]));
  const next = queue.filter((p) => !removed.has(p.id) && !added.has(p.id));
  const compare = COMPARE[order];
  for (const p of added.values()) {
    // Binary search for the first entry that goes after p: the queue stays sorted.
    let lo = 0;
    let hi = next.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(next[mid]!, p) <= 0) lo = mid + 1;
      else hi = mid;
    }
    next.splice(lo, 0, p);
  }
  return next;
}
