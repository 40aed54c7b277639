// One grounding query through a backend: every kind asked × N samples, each a
// GroundRequest, folded into per-kind outcomes (combine.ts). How many requests
// go at once is decided here only (requestSlots), from what the backend says
// it serves (GroundingBackend.concurrency): the local model host 1, in turn; a
// server its pool size, side by side. Live queries and batches both use it.
import type { GroundingBackend, GroundRequest } from '../engine/backend';
import type { BoxKind, GroundingResult, GroundingSettings, Point } from '@core/types';
import { combineSamples, kindsOf, type KindOutcome } from './combine';
import { createLimit } from './throughput';

export interface QueryInput {
  imagePath: string;
  phrase: string;
  point?: Point;
  settings: GroundingSettings;
  signal?: AbortSignal;
  /** Streamed text of the first sample of each kind (the others would interleave). */
  onToken?: (kind: BoxKind, text: string) => void;
  /** Wraps each request (a batch shares one limit across its items); default: a limit of requestSlots(backend). */
  limit?: RequestLimit;
}

export interface QueryOutcome {
  outcomes: Partial<Record<BoxKind, KindOutcome>>;
  /** True when any request ended 'cancelled' (the caller's signal fired): nothing should be stored. */
  cancelled: boolean;
  /** Requests answered (not cancelled), for throughput. */
  requests: number;
}

export type RequestLimit = <T>(run: () => Promise<T>) => Promise<T>;

/**
 * The one scheduling decision: how many requests may be in flight on this
 * backend, what it serves at once, capped by what the caller asks for (a
 * batch's concurrency).
 */
export function requestSlots(backend: GroundingBackend, wanted = Infinity): number {
  return Math.max(1, Math.floor(Math.min(backend.concurrency, wanted)));
}

export async function groundQuery(backend: GroundingBackend, input: QueryInput): Promise<QueryOutcome> {
  const kinds = kindsOf(input.settings.kinds);
  const samples = Math.max(1, Math.floor(input.settings.samples));
  const limit = input.limit ?? createLimit(requestSlots(backend));
  const jobs: Array<{ kind: BoxKind; sample: number }> = [];
  for (const kind of kinds) for (let sample = 0; sample < samples; sample++) jobs.push({ kind, sample });

  /** Null: cancelled before its turn came (never sent). */
  const ask = ({ kind, sample }: { kind: BoxKind; sample: number }): Promise<GroundingResult | null> => {
    const request: GroundRequest = {
      imagePath: input.imagePath,
      phrase: input.phrase,
      kind,
      maxNewTokens: input.settings.maxNewTokens,
      maxPixels: input.settings.maxPixels,
      timeoutMs: Math.round(input.settings.timeoutSeconds * 1000),
      // Tells the backend N answers are wanted, so it can sample rather than decode greedily.
      samples,
      ...(input.point ? { point: input.point } : {}),
    };
    const onToken = sample === 0 && input.onToken ? (text: string) => input.onToken!(kind, text) : undefined;
    return limit(async () =>
      input.signal?.aborted ? null : backend.ground(request, { ...(input.signal ? { signal: input.signal } : {}), ...(onToken ? { onToken } : {}) }),
    );
  };

  const results = await Promise.all(jobs.map(ask));
  const answered = results.filter((r): r is GroundingResult => r !== null && r.reason !== 'cancelled');
  const cancelled = answered.length < jobs.length;
  const outcomes: Partial<Record<BoxKind, KindOutcome>> = {};
  if (!cancelled) {
    // Not cancelled: every request was answered, results[i] belongs to jobs[i].
    for (const kind of kinds) outcomes[kind] = combineSamples(results.filter((_, i) => jobs[i]!.kind === kind) as GroundingResult[]);
  }
  return { outcomes, cancelled, requests: answered.length };
}
