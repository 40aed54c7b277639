// Streamed reasoning text, in its own tiny store so that tokens re-render the
// reasoning panel only (never the canvas or the workbench). Tokens arriving
// between two frames are joined and applied once per requestAnimationFrame.
import { create } from 'zustand';
import type { BoxKind } from '../../../electron/core/types';

export interface ReasoningState {
  queryId: string | null;
  visible: string;
  amodal: string;
  /** Tokens (events) received, for the panel's counter. */
  chunks: number;
}

export const useReasoning = create<ReasoningState>(() => ({ queryId: null, visible: '', amodal: '', chunks: 0 }));

let pending: { queryId: string; visible: string; amodal: string; chunks: number } | null = null;
let frame = 0;

function flush(): void {
  frame = 0;
  const p = pending;
  pending = null;
  if (!p) return;
  const s = useReasoning.getState();
  if (s.queryId !== p.queryId) return; // a token of an older query, delivered late
  useReasoning.setState({ visible: s.visible + p.visible, amodal: s.amodal + p.amodal, chunks: s.chunks + p.chunks });
}

/** Starts showing a new query's reasoning (clears the old text). */
export function beginReasoning(queryId: string): void {
  pending = null;
  useReasoning.setState({ queryId, visible: '', amodal: '', chunks: 0 });
}

/** Shows a stored proposal's reasoning (queue review), replacing the stream. */
export function showReasoning(text: { visible: string; amodal: string } | null): void {
  pending = null;
  useReasoning.setState({ queryId: null, visible: text?.visible ?? '', amodal: text?.amodal ?? '', chunks: 0 });
}

export function appendToken(queryId: string, kind: BoxKind, text: string): void {
  if (useReasoning.getState().queryId !== queryId) return;
  if (!pending || pending.queryId !== queryId) pending = { queryId, visible: '', amodal: '', chunks: 0 };
  pending[kind] += text;
  pending.chunks++;
  if (!frame) frame = requestAnimationFrame(flush);
}
