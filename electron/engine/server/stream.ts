// Sends one chat completion and reads its answer (SSE, or plain JSON from a
// server that ignores stream: true) under the answer bounds of limits.ts.
// How the answer ended decides the outcome:
//   'complete'   finish_reason stop (or [DONE]);
//   'truncated'  finish_reason length, or a bound hit here (tokens, characters,
//                bytes, one line): reading stops at once, never a box;
//   'cut'        the stream ended without a finish_reason (closed or reset):
//                asked again like a dropped connection while retries last;
//   'timeout'    a deadline of http.ts; 'cancelled' the caller aborted.
// Failures before the answer starts throw (request.ts, errors.ts).
import { applyEvent, newStreamState, streamTokens, type StreamState } from './chat';
import { CancelledError, NetworkError, TimeoutError, TooLargeError } from './errors';
import type { Exchange } from './http';
import type { AnswerBounds } from './limits';
import { send, waitToRetry, type SendOptions } from './request';
import { backoffMs } from './retry';
import { SseParser } from './sse';

export interface StreamOptions extends Omit<SendOptions, 'method' | 'attemptsBefore'> {
  body: string;
  bounds: AnswerBounds;
  onToken?: (text: string) => void;
}

export type StreamStop = 'complete' | 'truncated' | 'cut' | 'timeout' | 'cancelled';

export interface StreamOutcome {
  state: StreamState;
  tokens: number;
  stop: StreamStop;
  /** For 'truncated', 'cut' and 'timeout': what happened, one line. */
  detail?: string;
  /** For 'timeout': the deadline that passed. */
  deadline?: TimeoutError;
  attempts: number;
}

/** An answer that is not a completion at all (not retried: the server speaks something else). */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

type Ending = Omit<StreamOutcome, 'attempts' | 'tokens'>;

export async function streamCompletion(options: StreamOptions): Promise<StreamOutcome> {
  const deadlineAt = options.deadlineAt ?? performance.now() + options.deadlines.totalMs;
  let attempts = 0;
  for (;;) {
    const sent = await send({ ...options, method: 'POST', deadlineAt, attemptsBefore: attempts });
    attempts = sent.attempts;
    const ending = await readAnswer(sent.exchange, options);
    const outcome: StreamOutcome = { ...ending, tokens: streamTokens(ending.state), attempts };
    if (outcome.stop !== 'cut' || attempts > options.policy.retries || performance.now() >= deadlineAt) return outcome;
    // Asked again from the start: the text streamed so far says so, so a reader sees why it repeats.
    options.onToken?.(`\n[the answer was cut off (${outcome.detail}); asking again]\n`);
    await waitToRetry(backoffMs(attempts - 1, options.policy), options.signal, deadlineAt);
  }
}

async function readAnswer(exchange: Exchange, options: StreamOptions): Promise<Ending> {
  const state = newStreamState();
  const type = String(exchange.headers['content-type'] ?? '');
  try {
    if (!type.includes('text/event-stream')) return readJsonAnswer(state, await exchange.text(options.bounds.maxBodyBytes), type, options.bounds);
    const parser = new SseParser(options.bounds.maxLineChars);
    const decoder = new TextDecoder();
    let bytes = 0;
    for await (const chunk of exchange.chunks()) {
      bytes += chunk.length;
      if (bytes > options.bounds.maxBodyBytes) return { state, stop: 'truncated', detail: `the answer went over ${options.bounds.maxBodyBytes} bytes` };
      for (const data of parser.push(decoder.decode(chunk, { stream: true }))) {
        if (!applyChecked(state, data, options.onToken)) return { state, stop: 'cut', detail: `the stream held a chunk that is not JSON: ${data.slice(0, 80)}` };
        const over = overBound(state, options.bounds);
        if (over) return { state, stop: 'truncated', detail: over };
      }
    }
    // The body ended: a last event without its blank line counts; a half line means the stream was cut.
    for (const data of [...parser.push(decoder.decode()), ...parser.end()]) {
      if (!applyChecked(state, data, options.onToken)) return { state, stop: 'cut', detail: 'the stream ended inside a chunk' };
    }
    return ending(state, options.bounds);
  } catch (err) {
    if (err instanceof CancelledError || options.signal?.aborted) return { state, stop: 'cancelled' };
    if (err instanceof TimeoutError) return { state, stop: 'timeout', detail: err.message, deadline: err };
    if (err instanceof TooLargeError) return { state, stop: 'truncated', detail: err.message };
    if (err instanceof NetworkError) return { state, stop: 'cut', detail: `the connection broke (${err.code ?? err.message})` };
    throw err;
  } finally {
    exchange.close();
  }
}

/** Applies one SSE event; false for a chunk that is not JSON. */
function applyChecked(state: StreamState, data: string, onToken?: (text: string) => void): boolean {
  try {
    applyEvent(state, data, onToken);
    return true;
  } catch {
    return false;
  }
}

function overBound(state: StreamState, bounds: AnswerBounds): string | null {
  if (streamTokens(state) > bounds.maxTokens) return `the answer went over ${bounds.maxTokens} tokens without ending`;
  if (state.content.length + state.reasoning.length > bounds.maxChars) return `the answer went over ${bounds.maxChars} characters`;
  return null;
}

/** How a stream that ended by itself ended. */
function ending(state: StreamState, bounds: AnswerBounds): Ending {
  const reason = state.finishReason;
  if (reason === 'length') return { state, stop: 'truncated', detail: `the server stopped at the ${bounds.maxTokens}-token budget (finish_reason length)` };
  // vLLM says 'abort' for a request it dropped (engine restart): like a cut connection.
  if (reason === 'abort') return { state, stop: 'cut', detail: "the server aborted the answer (finish_reason 'abort')" };
  if (reason || state.done || state.error) return { state, stop: 'complete' };
  return { state, stop: 'cut', detail: 'the stream ended without a finish_reason' };
}

/** A plain JSON completion (the server ignored stream: true). */
function readJsonAnswer(state: StreamState, text: string, type: string, bounds: AnswerBounds): Ending {
  let json: {
    choices?: Array<{ message?: { content?: unknown; reasoning?: unknown; reasoning_content?: unknown }; finish_reason?: string | null }>;
    usage?: { completion_tokens?: number };
  };
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProtocolError(`server answered ${type || 'without a content type'} that is not JSON: ${text.slice(0, 80).replace(/\s+/g, ' ')}`);
  }
  const choice = json.choices?.[0];
  const message = choice?.message;
  if (!message) throw new ProtocolError(`server answered ${type || 'without a content type'} with no choices`);
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  state.reasoning = str(message.reasoning) || str(message.reasoning_content);
  state.content = str(message.content);
  state.finishReason = choice.finish_reason ?? null;
  state.done = true;
  if (typeof json.usage?.completion_tokens === 'number') state.usageTokens = json.usage.completion_tokens;
  const over = overBound(state, bounds);
  if (over) return { state, stop: 'truncated', detail: over };
  return ending(state, bounds);
}
