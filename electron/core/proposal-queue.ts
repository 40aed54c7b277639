// The renderer's review queue kept in step with main without re-listing it:
// main reports each change as a delta ('proposals:changed': added proposals,
// removed ids) and the queue applies it, keeping its order by inserting each
// added proposal in place. The queue's orders are the store's two
// (store/proposals.ts ORDER: newest, least confident) and three more the
// renderer sorts itself (issue 18: most confident, by phrase, by batch); its
// filter (batch, phrase, box or "no box") only narrows what is shown and
// walked. Pure: no DOM, no Node; unit-tested directly.
import type { Proposal, ProposalOrder } from './types';

/** The review queue's orders: the store's, and those only the renderer sorts by. */
export const QUEUE_ORDERS = ['newest', 'confidence', 'confident', 'phrase', 'batch'] as const;
export type QueueOrder = ProposalOrder | (typeof QUEUE_ORDERS)[number];

/** What the queue shows (null: any). `batchId` 0 means proposals of no batch (live queries). */
export interface QueueFilter {
  batchId: number | null;
  phrase: string | null;
  kind: 'any' | 'box' | 'no-box';
}

export const NO_QUEUE_FILTER: QueueFilter = { batchId: null, phrase: null, kind: 'any' };

/** A "no box" proposal: the model answered that nothing matches (neither box). X agrees, Backspace rejects. */
export function isNoBox(p: Pick<Proposal, 'visible' | 'amodal'>): boolean {
  return p.visible === null && p.amodal === null;
}

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

/** Most confident first (the ones a bulk accept takes); greedy answers still last; ties newest first. */
function mostConfidentFirst(a: Proposal, b: Proposal): number {
  if (a.score === null || b.score === null) {
    if (a.score !== b.score) return a.score === null ? 1 : -1;
  } else if (a.score !== b.score) return b.score - a.score;
  return newestFirst(a, b);
}

const phraseCollator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** By phrase (case and accents aside), then newest first. */
function byPhrase(a: Proposal, b: Proposal): number {
  return phraseCollator.compare(a.phrase, b.phrase) || newestFirst(a, b);
}

/** Newest batch first, live queries (no batch) last, then newest first. */
function byBatch(a: Proposal, b: Proposal): number {
  return (b.batchId ?? 0) - (a.batchId ?? 0) || newestFirst(a, b);
}

const COMPARE: Record<QueueOrder, (a: Proposal, b: Proposal) => number> = {
  newest: newestFirst,
  confidence: leastConfidentFirst,
  confident: mostConfidentFirst,
  phrase: byPhrase,
  batch: byBatch,
};

/** The queue in `order` (a new array). */
export function sortProposals(queue: readonly Proposal[], order: QueueOrder): Proposal[] {
  return [...queue].sort(COMPARE[order]);
}

/** Whether a proposal passes the filter. */
export function matchesFilter(p: Proposal, filter: QueueFilter): boolean {
  if (filter.batchId !== null && (p.batchId ?? 0) !== filter.batchId) return false;
  if (filter.phrase !== null && p.phrase !== filter.phrase) return false;
  if (filter.kind !== 'any' && isNoBox(p) !== (filter.kind === 'no-box')) return false;
  return true;
}

export function isFilteringQueue(filter: QueueFilter): boolean {
  return filter.batchId !== null || filter.phrase !== null || filter.kind !== 'any';
}

/** The proposals the filter shows, in queue order (the same array when nothing is filtered). */
export function filterProposals(queue: readonly Proposal[], filter: QueueFilter): readonly Proposal[] {
  return isFilteringQueue(filter) ? queue.filter((p) => matchesFilter(p, filter)) : queue;
}

export interface QueueFacets {
  /** Batch ids with proposals waiting (0: live queries), newest first, with how many. */
  batches: { batchId: number; count: number }[];
  /** Phrases with proposals waiting, in phrase order, with how many. */
  phrases: { phrase: string; count: number }[];
  noBox: number;
}

/** What the queue's filter can choose from: one pass over the queue. */
export function queueFacets(queue: readonly Proposal[]): QueueFacets {
  const batches = new Map<number, number>();
  const phrases = new Map<string, number>();
  let noBox = 0;
  for (const p of queue) {
    batches.set(p.batchId ?? 0, (batches.get(p.batchId ?? 0) ?? 0) + 1);
    phrases.set(p.phrase, (phrases.get(p.phrase) ?? 0) + 1);
    if (isNoBox(p)) noBox++;
  }
  return {
    batches: [...batches].map(([batchId, count]) => ({ batchId, count })).sort((a, b) => b.batchId - a.batchId),
    phrases: [...phrases].map(([phrase, count]) => ({ phrase, count })).sort((a, b) => phraseCollator.compare(a.phrase, b.phrase)),
    noBox,
  };
}

/**
 * The queue after `delta`: removed ids leave it, added proposals take their
 * place in `order` (one already queued is replaced, never doubled). Applying
 * the same delta twice gives the same queue, so a proposal the renderer added
 * itself (a query's answer) is not doubled when main's event repeats it.
 */
export function applyProposalDelta(queue: readonly Proposal[], delta: ProposalDelta, order: QueueOrder): Proposal[] {
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
