// The grounding slice (issue 4): model settings and status, the running
// query, the review queue (every pending proposal of the project), the
// proposal being reviewed and its unsaved handle edits, the batch. Kept apart
// from the workbench store so grounding updates re-render only grounding
// panels. Streamed reasoning text lives in reasoning.ts, not here: a token
// must never cause a render of anything but the reasoning panel.
// The store belongs to the workbench; `grounding` and `useGrounding` act on the installed one.
import { createStore, useStore, type StoreApi } from 'zustand';
import { NO_MODEL } from '@core/schemas';
import type { ProposalBoxes } from '@core/grounding-ui';
import { filterProposals, NO_QUEUE_FILTER, type QueueFilter, type QueueOrder } from '@core/proposal-queue';
import type { BatchStatus, ModelStatus, Point, Proposal, SettingsView } from '@core/types';
import { installedStore, workbench } from '../workbench/current';

export interface RunningQuery {
  queryId: string;
  imageId: number;
  phrase: string;
  point: Point | null;
  startedAt: number;
}

/** A proposal's boxes as the user dragged them, not yet accepted. */
export type ProposalEdit = ProposalBoxes;

/** A proposal's edit as an undo step holds it (state/edits.ts, kind 'proposalEdit'): id is the proposal's. */
export interface ProposalEditRecord extends ProposalEdit {
  id: number;
}

export interface GroundingState {
  settings: SettingsView | null;
  status: ModelStatus;
  query: RunningQuery | null;
  /** Last query's failure, one line (cleared by the next query). */
  queryError: string | null;
  /** The last query that failed (Retry asks it again); imageId: the image it was asked on. */
  failedQuery: { phrase: string; point: Point | null; imageId: number } | null;
  /** The point hint for the next query (image px), set with the point tool or Ctrl-click. */
  point: Point | null;
  pointTool: boolean;
  queue: Proposal[];
  order: QueueOrder;
  /** What the queue shows and J/K walk (issue 18: by batch, phrase, box or no box); bulk review acts on it too. */
  filter: QueueFilter;
  /** The proposal under review (drawn on the canvas, Enter/Backspace act on it). */
  activeId: number | null;
  edits: Record<number, ProposalEdit>;
  /** The category a proposal is accepted with (keys 1–9 while it is under review, issue 18); absent: none. */
  categories: Record<number, number>;
  batch: BatchStatus | null;
  panel: 'none' | 'model' | 'batch' | 'bulk';
  /** Recent phrases of this project, newest first (localStorage). */
  recent: string[];
}

export function createGroundingStore(): StoreApi<GroundingState> {
  return createStore<GroundingState>(() => ({
    settings: null,
    status: NO_MODEL,
    query: null,
    queryError: null,
    failedQuery: null,
    point: null,
    pointTool: false,
    queue: [],
    order: 'newest',
    filter: NO_QUEUE_FILTER,
    activeId: null,
    edits: {},
    categories: {},
    batch: null,
    panel: 'none',
    recent: [],
  }));
}

export function useGrounding<T>(selector: (s: GroundingState) => T): T {
  return useStore(workbench().grounding, selector);
}

export const grounding = installedStore((wb) => wb.grounding);

/** The queue as its filter shows it (a new array only while filtering: memoize in components). */
export function shownQueue(s: GroundingState = grounding.get()): readonly Proposal[] {
  return filterProposals(s.queue, s.filter);
}

export function activeProposal(s: GroundingState = grounding.get()): Proposal | null {
  return s.activeId === null ? null : (s.queue.find((p) => p.id === s.activeId) ?? null);
}

