// Which proposals a bulk review action takes (issue 18, "Bulk review"): accept
// every proposal at or above a confidence threshold, or agree with every
// "no box" answer (*not in this image*), on the image on screen or on all
// images, among the proposals the queue's filter shows. Pure: the renderer
// counts with it before asking, and acts on exactly what it counted.
import { proposalBoxes, type ProposalBoxes } from './grounding-ui';
import { isNoBox } from './proposal-queue';
import type { Proposal } from './types';

export interface BulkScope {
  /** The image on screen, or null for every image. */
  imageId: number | null;
}

export interface AcceptRule extends BulkScope {
  /** Lowest confidence (0–1) accepted. */
  threshold: number;
  /** Greedy answers have no measured confidence: taken only when asked for. */
  includeGreedy: boolean;
}

const inScope = (p: Proposal, scope: BulkScope) => scope.imageId === null || p.imageId === scope.imageId;

/**
 * The proposals a bulk accept takes: in scope, with a visible box (the user's
 * edit counts, as for Enter), and a confidence at or above the threshold, or
 * no confidence at all when greedy answers are included.
 */
export function acceptTargets(shown: readonly Proposal[], edits: Readonly<Record<number, ProposalBoxes>>, rule: AcceptRule): Proposal[] {
  return shown.filter((p) => {
    if (!inScope(p, rule) || !proposalBoxes(p, edits[p.id]).visible) return false;
    return p.score === null ? rule.includeGreedy : p.score >= rule.threshold - 1e-9;
  });
}

/** The "no box" answers in scope: a bulk "not in this image" takes them all. */
export function noBoxTargets(shown: readonly Proposal[], scope: BulkScope): Proposal[] {
  return shown.filter((p) => inScope(p, scope) && isNoBox(p));
}

/** Proposals in scope with a visible box but no measured confidence (the dialog says how many a threshold leaves out). */
export function greedyInScope(shown: readonly Proposal[], edits: Readonly<Record<number, ProposalBoxes>>, scope: BulkScope): number {
  return shown.filter((p) => inScope(p, scope) && p.score === null && proposalBoxes(p, edits[p.id]).visible).length;
}
