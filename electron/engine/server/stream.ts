// Sends one chat completion and reads its SSE stream to the end. How the
// stream stopped decides the result: 'complete' ([DONE] or a finish_reason),
// 'cut' (connection closed or reset before that: parse what arrived),
// 'timeout' (no byte for readTimeoutMs), 'cancelled' (the caller aborted).
// Failures before any byte of the answer throw (request.ts errors).
import { applyEvent, newStreamState, streamTokens, type StreamState } from './chat';
import { ReadTimeoutError, sseEvents } from './sse';
import { HttpError, sendWithRetry, type SendOptions } from './request';

export interface StreamOptions extends Omit<SendOptions, 'method'> {
  body: string;
  readTimeoutMs: number;
  onToken?: (text: string) => void;
}

export interface StreamOutcome {
  state: StreamState;
  tokens: number;
  stop: 'complete' | 'cut' | 'timeout' | 'cancelled';
  /** For 'cut': what ended the stream, when it was an error rather than a clean close. */
  cause?: string;
}

export async function streamCompletion(options: StreamOptions): Promise<StreamOutcome> {
  const sent = await sendWithRetry({ ...options, method: 'POST' });
  const state = newStreamState();
  const outcome = (stop: StreamOutcome['stop'], cause?: string): StreamOutcome => ({ state, tokens: streamTokens(state), stop, ...(cause ? { cause } : {}) });
  try {
    const type = sent.response.headers.get('content-type') ?? '';
    if (!sent.response.body) throw new Error('server answered with an empty body');
    if (!type.includes('text/event-stream')) {
      // Some servers ignore stream: true; accept a plain JSON completion too.
      const json = (await sent.response.json()) as { choices?: Array<{ message?: { content?: string; reasoning?: string; reasoning_content?: string } }> };
      const message = json.choices?.[0]?.message;
      if (!message) throw new HttpError(sent.response.status, `server answered ${type || 'without a content type'} with no choices`);
      state.reasoning = message.reasoning ?? message.reasoning_content ?? '';
      state.content = message.content ?? '';
      state.done = true;
      return outcome('complete');
    }
    // Read to the end of the body even after [DONE], so the connection is
    // returned to the keep-alive pool instead of being torn down.
    for await (const data of sseEvents(sent.response.body, options.readTimeoutMs)) {
      applyEvent(state, data, options.onToken);
    }
    return outcome(state.done || state.finishReason ? 'complete' : 'cut');
  } catch (err) {
    if (options.signal?.aborted) return outcome('cancelled');
    if (err instanceof ReadTimeoutError) {
      sent.controller.abort(); // close the silent connection
      return outcome('timeout');
    }
    if (err instanceof HttpError) throw err;
    // Reset or closed mid-body ("terminated"), or a chunk that is not JSON.
    // undici says TypeError('terminated') with the socket error as its cause.
    const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    return outcome('cut', cause === 'terminated' ? undefined : cause);
  } finally {
    sent.release();
  }
}
