// How long a request may take and how big an answer may get. Every request to
// a server (completions, the model list, error bodies) runs under deadlines
// (http.ts), and an answer is read under bounds, so a server that stalls,
// trickles keep-alives or streams without end costs a bounded time and memory.
import type { Deadlines } from './http';

/**
 * connect 10 s; first byte 60 s (a server accepts a streamed request before it
 * generates); idle 120 s (a long prefill under load sends nothing for a
 * while); total 10 minutes, the same as a local query (host-client.ts).
 */
export const DEFAULT_DEADLINES: Deadlines = { connectMs: 10_000, firstByteMs: 60_000, idleMs: 120_000, totalMs: 600_000 };

/** The model list is a small JSON answer: 30 s for all of it. */
export const LOOKUP_TOTAL_MS = 30_000;

/** Error bodies are read only for their message. */
export const MAX_ERROR_BODY_BYTES = 65_536;
/** GET /v1/models: a long list is a few kB. */
export const MAX_MODEL_LIST_BYTES = 1_048_576;

export interface AnswerBounds {
  /** Streamed text pieces (a server sends about one token per piece), and usage.completion_tokens. */
  maxTokens: number;
  /** Reasoning plus content, in characters. */
  maxChars: number;
  /** One SSE line or event: a whole answer sent in one piece still fits. */
  maxLineChars: number;
  /** Everything read from the body, JSON framing and keep-alives included. */
  maxBodyBytes: number;
}

/**
 * Bounds for an answer asked with max_tokens = maxTokens. A token is a few
 * characters (32 allows any real vocabulary); a streamed piece costs a few
 * hundred bytes of JSON framing (vLLM: ~250), so 1 kB per token leaves room.
 */
export function answerBounds(maxTokens: number): AnswerBounds {
  const maxChars = Math.max(65_536, maxTokens * 32);
  return { maxTokens, maxChars, maxLineChars: maxChars + 65_536, maxBodyBytes: Math.max(8 * 1_048_576, maxTokens * 1024) };
}

/** The effective deadlines: each phase at most the total, the total at most what the query has left. */
export function clampDeadlines(deadlines: Deadlines, remainingMs: number): Deadlines {
  const totalMs = Math.max(1, Math.min(deadlines.totalMs, Math.round(remainingMs)));
  return {
    connectMs: Math.min(deadlines.connectMs, totalMs),
    firstByteMs: Math.min(deadlines.firstByteMs, totalMs),
    idleMs: Math.min(deadlines.idleMs, totalMs),
    totalMs,
  };
}
