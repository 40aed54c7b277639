// GroundingBackend for OpenAI-compatible servers (vLLM, SGLang, Ollama,
// llama-server): one streamed chat completion per query, at most
// `maxConcurrency` in flight (a batch keeps the server's slots full without
// flooding it), retries for transient failures, and every failure returned as
// a GroundingResult with a reason — ground() never throws.
import type { BackendInfo, GroundingBackend, GroundOptions, GroundRequest } from '../backend';
import type { GroundingResult } from '@core/types';
import { buildPrompt } from '@core/egm/prompt';
import { toGrid } from '@core/egm/coordinates';
import { failedResult, makeResult, oneLine, transientReason, type ResultContext } from '../result';
import { createPool, PoolAbortError, type Pool } from './pool';
import { createImageCache, type ImageCache } from './image-cache';
import { chatBody } from './chat';
import { streamCompletion, type StreamOutcome } from './stream';
import { CancelledError, HttpError, NetworkError, TimeoutError, timeoutReason } from './errors';
import { createAgents, type Deadlines } from './http';
import { answerBounds, DEFAULT_DEADLINES } from './limits';
import { linkAbort } from './request';
import { DEFAULT_RETRY, isRetryableStatus, type RetryPolicy } from './retry';
import { createServerApi, normalizeBaseUrl, type ServerHealth } from './api';

export interface ServerBackendOptions {
  /** e.g. http://127.0.0.1:8000 or http://host:8000/v1 (a bare host gets /v1). */
  baseUrl: string;
  /** Served model name; default: the first one GET /v1/models lists. */
  model?: string;
  /** The key itself (tests, or already read from the OS keychain). */
  apiKey?: string;
  /** Name of the environment variable that holds the key (CLI --api-key-env). */
  apiKeyEnv?: string;
  /** Requests in flight at once (default 8). */
  maxConcurrency?: number;
  /** Until the connection is up (default 10 s). */
  connectTimeoutMs?: number;
  /** From connected until the response headers (default 60 s). */
  firstByteTimeoutMs?: number;
  /** Longest silence while an answer streams (default 120 s); keep-alive comments count as data. */
  idleTimeoutMs?: number;
  /** Longest one query may take, every attempt included (default 10 min); GroundRequest.timeoutMs overrides it. */
  timeoutMs?: number;
  /** Extra attempts after the first (default 3): refused or reset connections, 429/5xx, answers cut short. */
  retries?: number;
  /** First backoff in ms (default 250; doubles per attempt, jittered). */
  retryBaseDelayMs?: number;
  /** Default max new tokens when the request has none (EGM.md: 4096). */
  maxTokens?: number;
  /** Shared encoded-image cache (default: one per backend). */
  imageCache?: ImageCache;
}

export interface ServerBackend extends GroundingBackend {
  /** GET /v1/models: is the server up, which models it serves. Never throws. */
  health(signal?: AbortSignal): Promise<ServerHealth>;
  readonly pool: Pool;
}

type Phase = 'image' | 'model lookup' | 'request';

export function createServerBackend(options: ServerBackendOptions): ServerBackend {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY,
    retries: options.retries ?? DEFAULT_RETRY.retries,
    baseDelayMs: options.retryBaseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
  };
  const deadlines: Deadlines = {
    connectMs: options.connectTimeoutMs ?? DEFAULT_DEADLINES.connectMs,
    firstByteMs: options.firstByteTimeoutMs ?? DEFAULT_DEADLINES.firstByteMs,
    idleMs: options.idleTimeoutMs ?? DEFAULT_DEADLINES.idleMs,
    totalMs: options.timeoutMs ?? DEFAULT_DEADLINES.totalMs,
  };
  const pool = createPool(options.maxConcurrency ?? 8);
  const preparePool = createPool(pool.limit);
  const images = options.imageCache ?? createImageCache();
  const agents = createAgents(pool.limit);
  const api = createServerApi({ baseUrl, apiKey: options.apiKey, apiKeyEnv: options.apiKeyEnv, deadlines, policy, agents });
  const live = new Set<AbortController>();
  let disposed = false;
  let resolvedModel: string | undefined = options.model;
  let lookup: { promise: Promise<string>; controller: AbortController; waiters: number } | undefined;

  // One lookup shared by every query that needs it, run under its own
  // controller (cancelling one query must not fail the others); each query
  // stops waiting on its own signal, and the lookup itself is cancelled when
  // no query waits for it any more, or on dispose. Its deadlines are api.ts's.
  const resolveModel = async (signal: AbortSignal): Promise<string> => {
    if (resolvedModel) return resolvedModel;
    if (!lookup) {
      const controller = new AbortController();
      const entry = { controller, waiters: 0, promise: api.firstModel(controller.signal).then((name) => (resolvedModel = name)) };
      const forget = () => {
        if (lookup === entry) lookup = undefined; // the next query asks again after a failure
      };
      entry.promise.then(forget, forget);
      lookup = entry;
    }
    const entry = lookup;
    entry.waiters += 1;
    try {
      return await untilAborted(entry.promise, signal);
    } finally {
      entry.waiters -= 1;
      if (entry.waiters === 0 && !resolvedModel && lookup === entry) {
        lookup = undefined;
        entry.controller.abort();
      }
    }
  };

  /** Image, model name and request body: everything done before a request can go out. */
  async function prepare(request: GroundRequest, context: ResultContext, signal: AbortSignal, phase: { now: Phase }) {
    const image = await images.get(request.imagePath, request.maxPixels);
    phase.now = 'model lookup';
    context.model = await resolveModel(signal);
    phase.now = 'request';
    const point = request.point ? toGrid(request.point, image.originalWidth, image.originalHeight) : undefined;
    const prompt = buildPrompt({ phrase: request.phrase, kind: request.kind, ...(point ? { point0to1000: point } : {}) });
    const maxTokens = request.maxNewTokens ?? options.maxTokens ?? 4096;
    const sample = (request.samples ?? 1) > 1;
    const body = JSON.stringify(chatBody({ model: context.model, dataUrl: image.dataUrl, prompt, maxTokens, sample }));
    return { image, body, maxTokens };
  }

  // Two stages: up to maxConcurrency queries are prepared ahead (image encoded,
  // body built) while waiting for a send slot, so a slot that frees up is
  // refilled at once instead of after an image read and a JSON build — that
  // gap, repeated every request, is what keeps a server below its concurrency.
  async function query(request: GroundRequest, context: ResultContext, ground: GroundOptions, signal: AbortSignal, started: number): Promise<GroundingResult> {
    let releaseSend: (() => void) | undefined;
    const phase: { now: Phase } = { now: 'image' };
    const timeoutMs = request.timeoutMs ?? deadlines.totalMs;
    try {
      const releasePrep = await preparePool.acquire(signal);
      let prepared: Awaited<ReturnType<typeof prepare>>;
      try {
        prepared = await prepare(request, context, signal, phase);
        releaseSend = await pool.acquire(signal);
      } finally {
        releasePrep();
      }
      const { image, body, maxTokens } = prepared;
      const modelStarted = performance.now();
      const outcome = await streamCompletion({
        url: `${baseUrl}/chat/completions`,
        headers: api.headers(),
        body,
        signal,
        deadlines: { ...deadlines, totalMs: timeoutMs },
        deadlineAt: modelStarted + timeoutMs,
        policy,
        agents,
        bounds: answerBounds(maxTokens),
        ...(ground.onToken ? { onToken: ground.onToken } : {}),
      });
      const timings = { preprocessMs: image.ms, modelMs: performance.now() - modelStarted, totalMs: performance.now() - started };
      return resultOf(context, outcome, { timings, width: image.originalWidth, height: image.originalHeight }, timeoutMs);
    } catch (err) {
      const timings = { preprocessMs: 0, modelMs: 0, totalMs: performance.now() - started };
      return failedResult(context, reasonOf(err, signal, phase.now, timeoutMs), { timings });
    } finally {
      releaseSend?.();
    }
  }

  return {
    pool,
    concurrency: pool.limit,
    info(): BackendInfo {
      return { kind: 'server', model: resolvedModel ?? '(first model the server lists)', device: baseUrl };
    },
    async ground(request, ground = {}) {
      const started = performance.now();
      const context: ResultContext = { phrase: request.phrase, kind: request.kind, model: resolvedModel ?? '', ...(request.point ? { point: request.point } : {}) };
      if (disposed) return failedResult(context, 'server backend is disposed');
      // One controller per query, linked to the caller's signal by hand (and
      // unlinked after) rather than AbortSignal.any, and kept in a set for
      // dispose(), so thousands of queued queries hang no listeners on one signal.
      const controller = new AbortController();
      const unlinkCaller = linkAbort(controller, ground.signal);
      live.add(controller);
      try {
        return await query(request, context, ground, controller.signal, started);
      } finally {
        unlinkCaller();
        live.delete(controller);
      }
    },
    health: (signal) => api.health(signal),
    async dispose() {
      disposed = true;
      for (const controller of live) controller.abort(new CancelledError());
      lookup?.controller.abort();
      lookup = undefined;
      agents.destroy();
      images.clear();
    },
  };
}

/**
 * The result of an answer that arrived (fully or not). Only a finished
 * answer can give a box: a truncated or cut one is an error, whatever its
 * text looks like (a number cut in half still parses).
 */
function resultOf(context: ResultContext, outcome: StreamOutcome, output: { timings: GroundingResult['timings']; width: number; height: number }, timeoutMs: number): GroundingResult {
  const { state } = outcome;
  const partial = { raw: state.content, reasoning: state.reasoning, tokens: outcome.tokens, timings: output.timings };
  const tries = outcome.attempts > 1 ? ` after ${outcome.attempts} attempts` : '';
  switch (outcome.stop) {
    case 'cancelled':
      return failedResult(context, 'cancelled', partial);
    case 'timeout':
      return failedResult(context, outcome.deadline ? timeoutReason(outcome.deadline, timeoutMs) : 'timeout', partial);
    case 'cut':
      return failedResult(context, transientReason('stream cut', `${outcome.detail ?? 'the answer did not finish'}${tries}`), partial);
    case 'truncated':
      return failedResult(context, `truncated: ${outcome.detail ?? 'the answer did not finish'}`, partial);
    case 'complete':
      if (state.error) return failedResult(context, `server error in stream: ${state.error}`, partial);
      return makeResult(context, { text: state.content, reasoning: state.reasoning, tokens: outcome.tokens, ...output });
  }
}

/** A thrown failure as a result's reason: cancelled, the deadline that passed, a transient server failure, or what went wrong where. */
function reasonOf(err: unknown, signal: AbortSignal, phase: Phase, timeoutMs: number): string {
  if (err instanceof CancelledError || err instanceof PoolAbortError || signal.aborted) return 'cancelled';
  const where = phase === 'request' ? '' : `${phase}: `;
  // The model lookup runs under its own limits (api.ts), not the time limit per answer.
  if (err instanceof TimeoutError) return phase === 'request' ? timeoutReason(err, timeoutMs) : `timeout: ${where}${err.message}`;
  if (err instanceof NetworkError) return transientReason('server unreachable', `${where}${err.message}`);
  if (err instanceof HttpError && isRetryableStatus(err.status)) return transientReason('server busy', `${where}${err.message}`);
  return `${phase}: ${oneLine(err)}`;
}

/** The promise's outcome, or CancelledError as soon as the signal aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
