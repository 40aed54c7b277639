// Sending a request with retries (retry.ts says which failures and how long
// to wait): connection failures and 429/5xx are tried again; every attempt
// runs under the deadlines of http.ts, and no attempt starts after the
// query's own deadline. A 2xx answer comes back as an open Exchange; anything
// else throws a typed error (errors.ts) whose message is one line.
import { CancelledError, HttpError, NetworkError, TimeoutError } from './errors';
import { openExchange, type Exchange, type ExchangeOptions } from './http';
import { clampDeadlines, MAX_ERROR_BODY_BYTES } from './limits';
import { backoffMs, isRetryableStatus, parseRetryAfter, sleep, type RetryPolicy } from './retry';

/** One exchange's options (http.ts), plus the retry policy and the query's deadline. */
export interface SendOptions extends ExchangeOptions {
  /** performance.now() by which every attempt must be over (default: deadlines.totalMs from now, which is then the query's limit). */
  deadlineAt?: number;
  policy: RetryPolicy;
  /** Attempts already spent on this query (a cut stream that is asked again). */
  attemptsBefore?: number;
}

export interface Sent {
  exchange: Exchange;
  /** Attempts spent, this one included. */
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

/** The server's own words for an error status, kept to one short line (its body read under the same deadlines, at most 64 kB). */
async function errorText(exchange: Exchange): Promise<string> {
  const text = await exchange.text(MAX_ERROR_BODY_BYTES).catch(() => '');
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

/** Waits before the next attempt, never past the deadline; CancelledError when the signal fires. */
export async function waitToRetry(ms: number, signal: AbortSignal | undefined, deadlineAt: number): Promise<void> {
  try {
    await sleep(Math.max(0, Math.min(ms, deadlineAt - performance.now())), signal);
  } catch {
    throw new CancelledError();
  }
}

export async function send(options: SendOptions): Promise<Sent> {
  const { url, policy, signal } = options;
  const deadlineAt = options.deadlineAt ?? performance.now() + options.deadlines.totalMs;
  for (let attempt = options.attemptsBefore ?? 0; ; attempt++) {
    if (signal?.aborted) throw new CancelledError();
    const remaining = deadlineAt - performance.now();
    if (remaining <= 0) throw new TimeoutError('total', options.deadlines.totalMs, url);
    const tries = `${attempt + 1} attempt${attempt ? 's' : ''}`;
    let exchange: Exchange;
    try {
      exchange = await openExchange({ ...options, deadlines: clampDeadlines(options.deadlines, remaining) });
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
      if (attempt >= policy.retries) throw new NetworkError(`cannot reach ${url} (${err.code ?? err.message}) after ${tries}`, err.code);
      await waitToRetry(backoffMs(attempt, policy), signal, deadlineAt);
      continue;
    }
    const status = exchange.status;
    if (status >= 200 && status < 300) return { exchange, attempts: attempt + 1 };
    const retryAfter = parseRetryAfter(headerText(exchange.headers['retry-after']));
    if (status >= 300 && status < 400) {
      exchange.close();
      throw new HttpError(status, `HTTP ${status} from ${url}: redirects are not followed (the request and its API key stay with ${new URL(url).origin})`);
    }
    const message = await errorText(exchange);
    exchange.close();
    if (isRetryableStatus(status) && attempt < policy.retries) {
      await waitToRetry(retryAfter ?? backoffMs(attempt, policy), signal, deadlineAt);
      continue;
    }
    throw new HttpError(status, `HTTP ${status} from ${url}${attempt > 0 ? ` after ${tries}` : ''}${message ? `: ${message}` : ''}`, retryAfter);
  }
}

function headerText(value: string | string[] | undefined): string | null {
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}
