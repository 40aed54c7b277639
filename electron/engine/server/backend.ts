// GroundingBackend for OpenAI-compatible servers (vLLM, SGLang, Ollama,
// llama-server): one streamed chat completion per query, at most
// `maxConcurrency` in flight (a batch keeps the server's slots full without
// flooding it), retries for transient failures, and every failure returned as
// a GroundingResult with a reason — ground() never throws.
import type { BackendInfo, GroundingBackend, GroundOptions, GroundRequest } from '../backend';
import type { GroundingResult } from '../../core/types';
import { buildPrompt } from '../../core/egm/prompt';
import { toGrid } from '../../core/egm/coordinates';
import { failedResult, makeResult, oneLine, type ResultContext } from '../result';
import { createPool, PoolAbortError, type Pool } from './pool';
import { createImageCache, type ImageCache } from './image-cache';
import { chatBody } from './chat';
import { streamCompletion } from './stream';
import { CancelledError, linkAbort, TimeoutError } from './request';
import { DEFAULT_RETRY, type RetryPolicy } from './retry';
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
  /** Until the response headers arrive (default 30 s). */
  connectTimeoutMs?: number;
  /** Longest silence inside a streaming answer (default 120 s). */
  readTimeoutMs?: number;
  /** Extra attempts after the first (default 3). */
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

export function createServerBackend(options: ServerBackendOptions): ServerBackend {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY,
    retries: options.retries ?? DEFAULT_RETRY.retries,
    baseDelayMs: options.retryBaseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
  };
  const connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
  const readTimeoutMs = options.readTimeoutMs ?? 120_000;
  const pool = createPool(options.maxConcurrency ?? 8);
  const preparePool = createPool(pool.limit);
  const images = options.imageCache ?? createImageCache();
  const api = createServerApi({ baseUrl, apiKey: options.apiKey, apiKeyEnv: options.apiKeyEnv, connectTimeoutMs, policy });
  const live = new Set<AbortController>();
  let disposed = false;
  let resolvedModel: string | undefined = options.model;
  let modelLookup: Promise<string> | undefined;

  // One lookup shared by every query that needs it, so it runs without any one
  // query's signal (cancelling that query must not fail the others); each
  // query stops waiting on its own signal instead.
  const resolveModel = (signal: AbortSignal): Promise<string> => {
    if (resolvedModel) return Promise.resolve(resolvedModel);
    modelLookup ??= api.firstModel().then(
      (name) => (resolvedModel = name),
      (err) => {
        modelLookup = undefined; // let the next query try again
        throw err;
      },
    );
    return untilAborted(modelLookup, signal);
  };

  /** Image, model name and request body: everything done before a request can go out. */
  async function prepare(request: GroundRequest, context: ResultContext, signal: AbortSignal) {
    const image = await images.get(request.imagePath, request.maxPixels).catch((err: unknown) => {
      throw new Error(`image: ${oneLine(err)}`);
    });
    context.model = await resolveModel(signal).catch((err: unknown) => {
      throw err instanceof CancelledError || err instanceof TimeoutError ? err : new Error(`model lookup: ${oneLine(err)}`);
    });
    const point = request.point ? toGrid(request.point, image.originalWidth, image.originalHeight) : undefined;
    const prompt = buildPrompt({ phrase: request.phrase, kind: request.kind, ...(point ? { point0to1000: point } : {}) });
    const maxTokens = request.maxNewTokens ?? options.maxTokens ?? 4096;
    const sample = (request.samples ?? 1) > 1;
    const body = JSON.stringify(chatBody({ model: context.model, dataUrl: image.dataUrl, prompt, maxTokens, sample }));
    return { image, body };
  }

  // Two stages: up to maxConcurrency queries are prepared ahead (image encoded,
  // body built) while waiting for a send slot, so a slot that frees up is
  // refilled at once instead of after an image read and a JSON build — that
  // gap, repeated every request, is what keeps a server below its concurrency.
  async function query(request: GroundRequest, context: ResultContext, ground: GroundOptions, signal: AbortSignal, started: number): Promise<GroundingResult> {
    let releaseSend: (() => void) | undefined;
    let sending = false;
    try {
      const releasePrep = await preparePool.acquire(signal);
      let prepared: Awaited<ReturnType<typeof prepare>>;
      try {
        prepared = await prepare(request, context, signal);
        releaseSend = await pool.acquire(signal);
      } finally {
        releasePrep();
      }
      const { image, body } = prepared;
      sending = true;
      const modelStarted = performance.now();
      const outcome = await streamCompletion({
        url: `${baseUrl}/chat/completions`,
        headers: api.headers(),
        body,
        signal,
        connectTimeoutMs,
        readTimeoutMs,
        policy,
        ...(ground.onToken ? { onToken: ground.onToken } : {}),
      });
      const timings = { preprocessMs: image.ms, modelMs: performance.now() - modelStarted, totalMs: performance.now() - started };
      const output = { text: outcome.state.content, reasoning: outcome.state.reasoning, tokens: outcome.tokens, timings, width: image.originalWidth, height: image.originalHeight };
      const partial = { raw: outcome.state.content, reasoning: outcome.state.reasoning, tokens: outcome.tokens, timings };
      if (outcome.stop === 'cancelled') return failedResult(context, 'cancelled', partial);
      const result = makeResult(context, { ...output, endedEarly: outcome.stop !== 'complete' });
      if (result.box) return result;
      if (outcome.stop === 'timeout') return failedResult(context, 'timeout', partial);
      if (outcome.state.error) return failedResult(context, `server error in stream: ${outcome.state.error}`, partial);
      if (outcome.stop === 'cut' && outcome.cause) return failedResult(context, `stream ended early (${outcome.cause})`, partial);
      return result;
    } catch (err) {
      const timings = { preprocessMs: 0, modelMs: 0, totalMs: performance.now() - started };
      if (err instanceof CancelledError || err instanceof PoolAbortError || signal.aborted) return failedResult(context, 'cancelled', { timings });
      if (err instanceof TimeoutError) return failedResult(context, 'timeout', { timings });
      return failedResult(context, sending ? `request: ${oneLine(err)}` : err, { timings });
    } finally {
      releaseSend?.();
    }
  }

  return {
    pool,
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
      images.clear();
    },
  };
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
