// One grounding query through a backend: every kind asked × N samples, each a
// GroundRequest, folded into per-kind outcomes (combine.ts). A server serves
// requests side by side, so they all go at once (its pool bounds them); the
// local model host runs one generation at a time, so there they go in turn.
import type { GroundingBackend, GroundRequest } from '../engine/backend';
import type { BoxKind, GroundingResult, GroundingSettings, Point } from '../core/types';
import { combineSamples, kindsOf, type KindOutcome } from './combine';

export interface QueryInput {
  imagePath: string;
  phrase: string;
  point?: Point;
  settings: GroundingSettings;
  signal?: AbortSignal;
  /** Streamed text of the first sample of each kind (the others would interleave). */
  onToken?: (kind: BoxKind, text: string) => void;
  /** Wraps each request (the batch runner's request limit); default: run it. */
  limit?: <T>(run: () => Promise<T>) => Promise<T>;
}

export interface QueryOutcome {
  outcomes: Partial<Record<BoxKind, KindOutcome>>;
  /** True when any request ended 'cancelled' (the caller's signal fired): nothing should be stored. */
  cancelled: boolean;
  /** Requests answered (not cancelled), for throughput. */
  requests: number;
}

export function sequentialFor(backend: GroundingBackend): boolean {
  return backend.info().kind === 'local';
}

export async function runQuery(backend: GroundingBackend, input: QueryInput): Promise<QueryOutcome> {
  const kinds = kindsOf(input.settings.kinds);
  const samples = Math.max(1, Math.floor(input.settings.samples));
  const limit = input.limit ?? ((run) => run());
  const jobs: Array<{ kind: BoxKind; sample: number }> = [];
  for (const kind of kinds) for (let sample = 0; sample < samples; sample++) jobs.push({ kind, sample });

  const ask = ({ kind, sample }: { kind: BoxKind; sample: number }): Promise<GroundingResult> => {
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
    return limit(() => backend.ground(request, { ...(input.signal ? { signal: input.signal } : {}), ...(onToken ? { onToken } : {}) }));
  };

  let results: GroundingResult[];
  if (sequentialFor(backend)) {
    results = [];
    for (const job of jobs) {
      if (input.signal?.aborted) break;
      results.push(await ask(job));
    }
  } else {
    results = await Promise.all(jobs.map(ask));
  }
  const cancelled = results.length < jobs.length || results.some((r) => r.reason === 'cancelled');
  const outcomes: Partial<Record<BoxKind, KindOutcome>> = {};
  if (!cancelled) {
    for (const kind of kinds) outcomes[kind] = combineSamples(results.filter((_, i) => jobs[i]!.kind === kind));
  }
  return { outcomes, cancelled, requests: results.filter((r) => r.reason !== 'cancelled').length };
}
