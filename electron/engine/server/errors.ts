// The ways a request to the server fails, typed so the backend can name each
// one in a result's reason and decide what to retry:
//   CancelledError → 'cancelled' (the caller's signal);
//   TimeoutError → 'timeout: <the deadline that passed>' (timeoutReason: connect,
//     response headers, idle, or the time limit per answer);
//   NetworkError → retried, then 'error: server unreachable: ...' (refused, reset, DNS);
//   HttpError → 429/5xx retried, then 'error: server busy: ...'; other statuses at once;
//   TooLargeError → never retried: the answer broke a bound of limits.ts.

import { durationText, timeLimitReason } from '../result';

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

/**
 * A result's reason for a deadline that passed, naming it (issue 18: a bare
 * "timeout" after 60 s did not say which of the four it was). `limitMs` is the
 * time limit per answer the caller set (retries included); a 'total' timeout
 * reports it rather than what was left of it for the last attempt. Always
 * starts with 'timeout' (isTransientReason, the UI's wording).
 */
export function timeoutReason(err: TimeoutError, limitMs?: number): string {
  switch (err.phase) {
    case 'connect':
      return `timeout: no connection within ${durationText(err.ms)}`;
    case 'first-byte':
      return `timeout: no response headers within ${durationText(err.ms)}`;
    case 'idle':
      return `timeout: no data for ${durationText(err.ms)} while the answer streamed`;
    case 'total':
      return limitMs === undefined ? `timeout: not finished within ${durationText(err.ms)}` : timeLimitReason(limitMs);
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
