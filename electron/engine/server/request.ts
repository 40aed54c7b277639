// One HTTP request to the server with a connect timeout, cancellation and
// retries (retry.ts says which failures are retried and how long to wait).
// Errors come out typed so the backend can name them: CancelledError →
// 'cancelled', TimeoutError → 'timeout', anything else → 'error: <message>'.
import { backoffMs, isRetryableStatus, parseRetryAfter, sleep, type RetryPolicy } from './retry';

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export class TimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeoutError';
  }
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface SendOptions {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** The caller's cancel signal. */
  signal?: AbortSignal;
  /** Until the response headers arrive. */
  connectTimeoutMs: number;
  policy: RetryPolicy;
}

export interface Sent {
  response: Response;
  /** Aborting it closes the response body (used on read timeouts). */
  controller: AbortController;
  /** Unlinks the caller's signal; call once the body is done with. */
  release: () => void;
  attempts: number;
}

/** Links `signal` into `controller`; returns the function that unlinks it. */
export function linkAbort(controller: AbortController, signal: AbortSignal | undefined): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    controller.abort(signal.reason);
    return () => undefined;
  }
  const onAbort = () => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message ?? String(err);
}

/** The server's own words for an error status, kept to one short line. */
async function errorText(response: Response): Promise<string> {
  // A body that cannot be read (or is cut by the body timer) leaves the status alone as the reason.
  const text = await response.text().catch(() => '');
  let message = text;
  try {
    const json = JSON.parse(text) as { error?: { message?: string } | string; message?: string; detail?: string };
    message = (typeof json.error === 'string' ? json.error : json.error?.message) ?? json.message ?? json.detail ?? text;
  } catch {
    // not JSON: the text as is
  }
  const line = String(message).replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

export async function sendWithRetry(options: SendOptions): Promise<Sent> {
  const { url, policy, signal } = options;
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw new CancelledError();
    const controller = new AbortController();
    const unlink = linkAbort(controller, signal);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.connectTimeoutMs);
    let response: Response;
    try {
      response = await fetch(url, {
        method: options.method,
        headers: options.headers,
        ...(options.body !== undefined ? { body: options.body } : {}),
        signal: controller.signal,
      });
    } catch (err) {
      unlink();
      if (signal?.aborted) throw new CancelledError();
      if (timedOut) throw new TimeoutError(`no response from ${url} within ${options.connectTimeoutMs} ms`);
      const why = describeFetchError(err);
      if (attempt >= policy.retries) throw new Error(`cannot reach ${url} (${why}) after ${attempt + 1} attempt(s)`);
      await wait(backoffMs(attempt, policy), signal);
      continue;
    } finally {
      clearTimeout(timer);
    }
    if (response.ok) {
      // The caller's signal stays linked: cancelling while the body streams aborts it.
      return { response, controller, release: unlink, attempts: attempt + 1 };
    }
    // An error body that never ends must not hang the query: same limit as the headers.
    const bodyTimer = setTimeout(() => controller.abort(), options.connectTimeoutMs);
    const message = await errorText(response);
    clearTimeout(bodyTimer);
    unlink();
    if (isRetryableStatus(response.status) && attempt < policy.retries) {
      const delay = parseRetryAfter(response.headers.get('retry-after')) ?? backoffMs(attempt, policy);
      await wait(delay, signal);
      continue;
    }
    const tries = attempt > 0 ? ` after ${attempt + 1} attempts` : '';
    throw new HttpError(response.status, `HTTP ${response.status} from ${url}${tries}${message ? `: ${message}` : ''}`);
  }
}

async function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, signal);
  } catch {
    throw new CancelledError();
  }
}
