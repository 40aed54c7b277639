// Proposal review in main: the queue's list, accept, reject and restore, and
// the one place that tells the renderer what changed in it ('proposals:changed'
// deltas: proposals added, ids removed). Queries and batches store their
// answers themselves and report them here (added), so every change to the
// queue goes out the same way and the renderer never re-lists it.
import type { ProposalsDelta } from '@ipc/contract';
import type { Proposal, ProposalOrder } from '@core/types';
import type { ProjectStore } from '../store/api';
import { acceptProposal, acceptProposals, listProposals, rejectProposal, restoreProposal, type ProposalEdits } from '../store/proposals';
import { markProposalAbsent, markProposalsAbsent } from '../store/negatives';

export interface ProposalReviewOptions {
  /** The open project, or a one-line error when none is open. */
  getStore: () => ProjectStore;
  onChanged?: (delta: ProposalsDelta) => void;
}

export class ProposalReview {
  constructor(private readonly options: ProposalReviewOptions) {}

  list(options: { imageId?: number; order?: ProposalOrder } = {}): Proposal[] {
    return listProposals(this.options.getStore(), options);
  }

  accept(id: number, edits: ProposalEdits = {}) {
    const result = acceptProposal(this.options.getStore(), id, edits);
    this.#changed([], [id]);
    return result;
  }

  /** Bulk accept (issue 18): all in one transaction, or none. */
  acceptMany(items: readonly ({ id: number } & ProposalEdits)[]) {
    const result = acceptProposals(this.options.getStore(), items);
    this.#changed([], items.map((item) => item.id));
    return result;
  }

  reject(id: number): Proposal {
    const proposal = rejectProposal(this.options.getStore(), id);
    this.#changed([], [id]);
    return proposal;
  }

  /**
   * The reviewer agrees nothing is there: the proposal goes and its phrase is
   * recorded absent from its image, in one transaction (store/negatives.ts).
   */
  markAbsent(id: number) {
    const result = markProposalAbsent(this.options.getStore(), id);
    this.#changed([], [id]);
    return result;
  }

  /** Bulk "not in this image" (issue 18: every "no box" answer at once), in one transaction. */
  markAbsentMany(ids: readonly number[]) {
    const result = markProposalsAbsent(this.options.getStore(), ids);
    this.#changed([], [...ids]);
    return result;
  }

  /** Undo of accept or reject: the proposal comes back under its id. */
  restore(proposal: Proposal): Proposal {
    const restored = restoreProposal(this.options.getStore(), proposal);
    this.#changed([restored], []);
    return restored;
  }

  /** A proposal a query or a batch just stored: the queue gains it. */
  added(proposal: Proposal): void {
    this.#changed([proposal], []);
  }

  #changed(added: Proposal[], removedIds: number[]): void {
    this.options.onChanged?.({ added, removedIds });
  }
}
