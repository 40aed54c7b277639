// The ways a request to the server fails, typed so the backend can name each
// one in a result's reason and decide what to retry:
//   CancelledError → 'cancelled' (the caller's signal);
//   TimeoutError → 'timeout' (a deadline of http.ts: connect, first byte, idle, total);
//   NetworkError → retried, then 'error: server unreachable: ...' (refused, reset, DNS);
//   HttpError → 429/5xx retried, then 'error: server busy: ...'; other statuses at once;
//   TooLargeError → never retried: the answer broke a bound of limits.ts.

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export type DeadlinePhase = 'connect' | 'first-byte' | 'idle' | 'total';

export class TimeoutError extends Error {
  constructor(
    readonly phase: DeadlinePhase,
    readonly ms: number,
    url: string,
  ) {
    super(timeoutText(phase, ms, url));
    this.name = 'TimeoutError';
  }
}

function timeoutText(phase: DeadlinePhase, ms: number, url: string): string {
  switch (phase) {
    case 'connect':
      return `no connection to ${url} within ${ms} ms`;
    case 'first-byte':
      return `no answer from ${url} within ${ms} ms of sending the request`;
    case 'idle':
      return `no data from ${url} for ${ms} ms`;
    case 'total':
      return `${url} did not finish within ${ms} ms`;
  }
}

/** The connection failed or broke (before or during the answer): worth another attempt. */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Wait the server asked for (Retry-After), in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** A body or an answer over one of the bounds (bytes, characters, tokens, one line). */
export class TooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TooLargeError';
  }
}
