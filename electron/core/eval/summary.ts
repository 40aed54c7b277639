// Scores of an `egm eval` run with the authors' protocol (EGM.md, "How the
// authors score an answer"; core/egm/iou.ts): Acc@0.5 is the share of queries
// whose IoU is strictly above 0.5, mean IoU beside it, and a query without a
// box (no box in the answer, a timeout, a server error) counts as IoU 0 and
// stays in the denominator. Latency percentiles and token counts per kind.
// Fractions are 0-1. Pure.
import { ACC_THRESHOLD } from '../egm/iou';
import type { Box, BoxKind } from '../types';
import type { EvalCase } from './cases';

export interface EvalOutcome extends EvalCase {
  box: Box | null;
  iou: number;
  /** Why there is no box ('no-box', 'timeout', 'error: ...'), else undefined. */
  reason?: string;
  latencyMs: number;
  tokens: number;
}

export interface KindSummary {
  n: number;
  acc50: number;
  miou: number;
  /** Queries whose answer held no box. */
  noBox: number;
  /** Queries that got no answer at all (timeout, server or model error). */
  failed: number;
  latencyMs: { p50: number; p95: number; mean: number };
  tokens: { mean: number; total: number };
}

/** Nearest-rank percentile (0 for none). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

export function summarizeKind(outcomes: readonly EvalOutcome[]): KindSummary {
  const n = outcomes.length;
  const latencies = outcomes.map((o) => o.latencyMs);
  const tokens = outcomes.reduce((sum, o) => sum + o.tokens, 0);
  const hits = outcomes.filter((o) => o.iou > ACC_THRESHOLD).length;
  return {
    n,
    acc50: n ? round(hits / n, 6) : 0,
    miou: n ? round(outcomes.reduce((sum, o) => sum + o.iou, 0) / n, 6) : 0,
    noBox: outcomes.filter((o) => o.reason === 'no-box').length,
    failed: outcomes.filter((o) => o.reason !== undefined && o.reason !== 'no-box').length,
    latencyMs: { p50: round(percentile(latencies, 50), 1), p95: round(percentile(latencies, 95), 1), mean: n ? round(latencies.reduce((a, b) => a + b, 0) / n, 1) : 0 },
    tokens: { mean: n ? round(tokens / n, 1) : 0, total: tokens },
  };
}

/** One summary per kind asked, in the order asked (the contract's final JSON line). */
export function summarize(outcomes: readonly EvalOutcome[], kinds: readonly BoxKind[]): Partial<Record<BoxKind, KindSummary>> {
  const out: Partial<Record<BoxKind, KindSummary>> = {};
  for (const kind of kinds) out[kind] = summarizeKind(outcomes.filter((o) => o.kind === kind));
  return out;
}

/** The `count` lowest-IoU outcomes (ties: no box first, then case order). */
export function worstCases(outcomes: readonly EvalOutcome[], count: number): EvalOutcome[] {
  return outcomes
    .map((o, i) => ({ o, i }))
    .sort((a, b) => a.o.iou - b.o.iou || Number(b.o.box === null) - Number(a.o.box === null) || a.i - b.i)
    .slice(0, count)
    .map(({ o }) => o);
}
