// Pure: turns the raw answers of one query (per kind, one or N samples) into
// the fields of a Proposal. Self-consistency follows issue 4: N sampled boxes
// are fused by coordinate-wise median (core/egm/fuse.ts) and the confidence
// is the mean IoU of the samples to the fused box, a sample without a box
// counting IoU 0 (the authors' scoring keeps failed answers in the mean).
import type { Box, BoxKind, GroundingResult, GroundingSettings, Point, Proposal } from '@core/types';
import { fuseBoxes } from '@core/egm/fuse';
import { iou } from '@core/egm/iou';
import { containsPoint } from '@core/geometry';

export type KindsSetting = GroundingSettings['kinds'];

export interface KindOutcome {
  box: Box | null;
  reasoning: string;
  /** Null for a single answer (no measured agreement). */
  agreement: number | null;
  /** Why box is null, else null. */
  reason: string | null;
  model: string;
}

export function kindsOf(setting: KindsSetting): BoxKind[] {
  return setting === 'both' ? ['visible', 'amodal'] : [setting];
}

/** Folds the samples of one kind. Throws on an empty list (a caller bug). */
export function combineSamples(results: readonly GroundingResult[]): KindOutcome {
  const first = results[0];
  if (!first) throw new Error('combineSamples: no results');
  const model = results.find((r) => r.model)?.model ?? first.model;
  const withBox = results.filter((r): r is GroundingResult & { box: Box } => r.box !== null);
  if (withBox.length === 0) {
    // An error says more than 'no-box': report the first real failure if any.
    const reason = results.find((r) => r.reason && r.reason !== 'no-box')?.reason ?? 'no-box';
    // A "no box" answer keeps its whole transcript (reasoning, </think>, the answer): the model's sentence
    // ("I cannot find such an object") is what the reviewer reads before agreeing (issue 18).
    const said = reason === 'no-box' ? results.find((r) => r.reason === 'no-box' && r.raw)?.raw : undefined;
    return { box: null, reasoning: said ?? first.reasoning, agreement: results.length > 1 ? 0 : null, reason, model };
  }
  if (results.length === 1) return { box: withBox[0]!.box, reasoning: withBox[0]!.reasoning, agreement: null, reason: null, model };
  const fused = fuseBoxes(withBox.map((r) => r.box))!;
  // The reasoning shown is that of the sample closest to the fused box.
  const closest = withBox.reduce((best, r) => (iou(r.box, fused.box) > iou(best.box, fused.box) ? r : best));
  return {
    box: fused.box,
    reasoning: closest.reasoning,
    agreement: (fused.agreement * fused.count) / results.length,
    reason: null,
    model,
  };
}

/** What a grounding query decides about a proposal; the store adds the rest. */
export type ProposalFields = Omit<Proposal, 'id' | 'imageId' | 'phrase' | 'latencyMs' | 'batchId' | 'createdAt'>;

/**
 * The proposal of one query. score: the mean agreement of the kinds asked
 * (null for greedy answers). pointHit: whether the visible box (the amodal one
 * when only it was asked) contains the user's point. reason: set when a box
 * that was asked for is missing, prefixed with its kind when the other exists.
 */
export function proposalFields(outcomes: Partial<Record<BoxKind, KindOutcome>>, point: Point | null, fallbackModel: string): ProposalFields {
  const asked = (['visible', 'amodal'] as const).filter((kind) => outcomes[kind]);
  if (asked.length === 0) throw new Error('proposalFields: no kind was asked');
  const visible = outcomes.visible?.box ?? null;
  const amodal = outcomes.amodal?.box ?? null;
  const agreements = asked.map((kind) => outcomes[kind]!.agreement);
  const score = agreements.every((a) => a === null) ? null : agreements.reduce<number>((sum, a) => sum + (a ?? 0), 0) / agreements.length;
  const missing = asked.filter((kind) => outcomes[kind]!.box === null);
  let reason: string | null = null;
  // With no box at all, an error outranks 'no-box': the batch records it as failed, not as answered.
  if (missing.length === asked.length) reason = missing.map((kind) => outcomes[kind]!.reason).find((r) => r !== 'no-box') ?? 'no-box';
  else if (missing.length > 0) reason = `${missing[0]}: ${outcomes[missing[0]!]!.reason}`;
  const checked = outcomes.visible ? visible : amodal;
  return {
    visible,
    amodal,
    reasoningVisible: outcomes.visible?.reasoning ?? '',
    reasoningAmodal: outcomes.amodal?.reasoning ?? '',
    model: asked.map((kind) => outcomes[kind]!.model).find(Boolean) ?? fallbackModel,
    score: score === null ? null : Math.min(1, Math.max(0, score)),
    point,
    pointHit: point ? checked !== null && containsPoint(checked, point) : null,
    reason,
  };
}
