// Streamed reasoning text, in its own tiny store so that tokens re-render the
// reasoning panel only (never the canvas or the workbench). Tokens arriving
// between two frames are joined and applied once per frame (the workbench's
// frame scheduler: requestAnimationFrame in the app). One ReasoningStream per
// workbench; the functions below act on the installed one.
import { createStore, useStore, type StoreApi } from 'zustand';
import type { BoxKind } from '@core/types';
import { workbench } from '../workbench/current';

export interface ReasoningState {
  queryId: string | null;
  visible: string;
  amodal: string;
  /** Tokens (events) received, for the panel's counter. */
  chunks: number;
}

/** Asks for fn to run at the next frame; returns a non-zero handle. */
export type RequestFrame = (fn: () => void) => number;

export class ReasoningStream {
  readonly store: StoreApi<ReasoningState> = createStore<ReasoningState>(() => ({ queryId: null, visible: '', amodal: '', chunks: 0 }));
  private pending: { queryId: string; visible: string; amodal: string; chunks: number } | null = null;
  private frame = 0;

  constructor(private readonly requestFrame: RequestFrame) {}

  private flush(): void {
    this.frame = 0;
    const p = this.pending;
    this.pending = null;
    if (!p) return;
    const s = this.store.getState();
    if (s.queryId !== p.queryId) return; // a token of an older query, delivered late
    this.store.setState({ visible: s.visible + p.visible, amodal: s.amodal + p.amodal, chunks: s.chunks + p.chunks });
  }

  /** Starts showing a new query's reasoning (clears the old text). */
  begin(queryId: string): void {
    this.pending = null;
    this.store.setState({ queryId, visible: '', amodal: '', chunks: 0 });
  }

  /** Shows a stored proposal's reasoning (queue review), replacing the stream. */
  show(text: { visible: string; amodal: string } | null): void {
    this.pending = null;
    this.store.setState({ queryId: null, visible: text?.visible ?? '', amodal: text?.amodal ?? '', chunks: 0 });
  }

  append(queryId: string, kind: BoxKind, text: string): void {
    if (this.store.getState().queryId !== queryId) return;
    if (!this.pending || this.pending.queryId !== queryId) this.pending = { queryId, visible: '', amodal: '', chunks: 0 };
    this.pending[kind] += text;
    this.pending.chunks++;
    if (!this.frame) this.frame = this.requestFrame(() => this.flush());
  }
}

export function useReasoning<T>(selector: (s: ReasoningState) => T): T {
  return useStore(workbench().reasoning.store, selector);
}

export const beginReasoning = (queryId: string): void => workbench().reasoning.begin(queryId);
export const showReasoning = (text: { visible: string; amodal: string } | null): void => workbench().reasoning.show(text);
export const appendToken = (queryId: string, kind: BoxKind, text: string): void => workbench().reasoning.append(queryId, kind, text);
