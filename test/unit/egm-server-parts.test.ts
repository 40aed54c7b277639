// Unit tests of the server backend's parts: SSE framing, chunk reduction,
// retry timing rules, the concurrency pool, base URLs.
import { describe, expect, it } from 'vitest';
import { SseParser } from '../../electron/engine/server/sse';
import { TooLargeError } from '../../electron/engine/server/errors';
import { answerBounds, clampDeadlines } from '../../electron/engine/server/limits';
import { applyEvent, chatBody, newStreamState, streamTokens } from '../../electron/engine/server/chat';
import { backoffMs, isRetryableStatus, parseRetryAfter } from '../../electron/engine/server/retry';
import { createPool, PoolAbortError } from '../../electron/engine/server/pool';
import { normalizeBaseUrl } from '../../electron/engine/server/api';

function collect(parts: string[], maxLineChars = 1000): string[] {
  const parser = new SseParser(maxLineChars);
  const out: string[] = [];
  for (const part of parts) out.push(...parser.push(part));
  out.push(...parser.end());
  return out;
}

describe('SseParser', () => {
  it('frames events split anywhere, with LF, CRLF or CR', () => {
    expect(collect(['data: {"a"', ':1}\n', '\ndata: [DO', 'NE]\n\n'])).toEqual(['{"a":1}', '[DONE]']);
    expect(collect(['data: x\r', '\n\r\ndata:y\r\rdata: z'])).toEqual(['x', 'y', 'z']);
    expect(collect(['data: x\r', '\n', '\r\n'])).toEqual(['x']);
  });

  it('joins multi-line data and skips comments and other fields', () => {
    expect(collect([': keep-alive\n\nevent: message\nid: 3\ndata: a\ndata: b\n\n'])).toEqual(['a\nb']);
  });

  it('refuses a line or an event over the limit instead of buffering it', () => {
    const parser = new SseParser(100);
    expect(() => {
      for (let i = 0; i < 20; i++) parser.push('data: xxxxxxxx');
    }).toThrow(TooLargeError);
    expect(() => collect(['data: ' + 'y'.repeat(60) + '\ndata: ' + 'y'.repeat(60) + '\n'], 100)).toThrow(/stream event over 100 characters/);
  });

  it('is linear in the input: a 16 MB line in 4 kB pieces costs about what 16 MB of short lines do', () => {
    const piece = 'z'.repeat(4096);
    const time = (feed: (p: SseParser) => void) => {
      const started = performance.now();
      feed(new SseParser(32 * 1_048_576));
      return performance.now() - started;
    };
    const oneLine = time((p) => {
      p.push('data: ');
      for (let i = 0; i < 4096; i++) p.push(piece);
      expect(p.push('\n\n')).toHaveLength(1);
    });
    // Rescanning the growing line on each piece (the old reader) took minutes here.
    expect(oneLine).toBeLessThan(2_000);
  });
});

describe('limits', () => {
  it('bounds an answer by tokens, characters, line and bytes, growing with max_tokens', () => {
    expect(answerBounds(4096)).toEqual({ maxTokens: 4096, maxChars: 131_072, maxLineChars: 196_608, maxBodyBytes: 8_388_608 });
    expect(answerBounds(32_768).maxBodyBytes).toBe(33_554_432);
  });

  it('no phase outlives what the query has left', () => {
    expect(clampDeadlines({ connectMs: 10_000, firstByteMs: 60_000, idleMs: 120_000, totalMs: 600_000 }, 5_000)).toEqual({ connectMs: 5_000, firstByteMs: 5_000, idleMs: 5_000, totalMs: 5_000 });
  });
});

describe('applyEvent', () => {
  const chunk = (delta: object, finish: string | null = null) => JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] });

  it('accumulates reasoning fields and content, emitting </think> between them', () => {
    const state = newStreamState();
    const emitted: string[] = [];
    for (const data of [chunk({ role: 'assistant', content: '' }), chunk({ reasoning: 'a' }), chunk({ reasoning_content: 'b' }), chunk({ content: '[1,2,3,4]' }), chunk({}, 'stop'), '[DONE]']) {
      applyEvent(state, data, (t) => emitted.push(t));
    }
    expect(state).toMatchObject({ reasoning: 'ab', content: '[1,2,3,4]', finishReason: 'stop', done: true, chunks: 3 });
    expect(emitted.join('')).toBe('ab\n</think>\n\n[1,2,3,4]');
    expect(streamTokens(state)).toBe(3);
    applyEvent(state, JSON.stringify({ choices: [], usage: { completion_tokens: 42 } }));
    expect(streamTokens(state)).toBe(42);
  });

  it('records errors sent in the stream and rejects non-JSON chunks', () => {
    const state = newStreamState();
    applyEvent(state, JSON.stringify({ object: 'error', message: 'out of memory' }));
    expect(state.error).toBe('out of memory');
    applyEvent(state, JSON.stringify({ error: { message: 'bad' } }));
    expect(state.error).toBe('bad');
    expect(() => applyEvent(state, '<html>')).toThrow(/not JSON: <html>/);
  });

  it('chatBody carries the decoding settings of EGM.md', () => {
    expect(chatBody({ model: 'm', dataUrl: 'data:image/jpeg;base64,AA', prompt: 'p', maxTokens: 7 })).toMatchObject({
      temperature: 0,
      top_p: 1,
      top_k: 20,
      repetition_penalty: 1,
      max_tokens: 7,
      stream: true,
    });
  });
});

describe('retry rules', () => {
  it('retries 429 and 5xx only', () => {
    expect([400, 401, 404, 422, 429, 500, 502, 503].map(isRetryableStatus)).toEqual([false, false, false, false, true, true, true, true]);
  });

  it('reads Retry-After as seconds or a date, capped', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter('99999')).toBe(60_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 7_000)).toBe(3000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('backs off exponentially with jitter in [ceiling/2, ceiling]', () => {
    const policy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffMs(0, policy, () => 0)).toBe(50);
    expect(backoffMs(0, policy, () => 1)).toBe(100);
    expect(backoffMs(2, policy, () => 0.5)).toBe(300);
    expect(backoffMs(10, policy, () => 1)).toBe(1000);
  });
});

describe('createPool', () => {
  it('runs at most limit tasks at once, in order', async () => {
    const pool = createPool(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        pool.run(async () => {
          running += 1;
          peak = Math.max(peak, running);
          order.push(i);
          await new Promise((r) => setTimeout(r, 5)); // simulated work holding the slot, not a wait
          running -= 1;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(pool.active).toBe(0);
  });

  it('frees the slot when a task throws, and drops aborted waiters', async () => {
    const pool = createPool(1);
    await expect(pool.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    let release!: () => void;
    const first = pool.run(() => new Promise<void>((r) => (release = r)));
    const controller = new AbortController();
    const second = pool.run(async () => 'never', controller.signal);
    expect(pool.waiting).toBe(1);
    controller.abort();
    await expect(second).rejects.toBeInstanceOf(PoolAbortError);
    expect(pool.waiting).toBe(0);
    release();
    await first;
    expect(() => createPool(0)).toThrow(/positive integer/);
  });
});

describe('normalizeBaseUrl', () => {
  it('adds /v1 to a bare host and keeps explicit paths', () => {
    expect(normalizeBaseUrl('http://127.0.0.1:8000')).toBe('http://127.0.0.1:8000/v1');
    expect(normalizeBaseUrl('http://host:8000/v1/')).toBe('http://host:8000/v1');
    expect(normalizeBaseUrl('https://api.example.com/openai/v1')).toBe('https://api.example.com/openai/v1');
    expect(() => normalizeBaseUrl('localhost:8000')).toThrow(/must be http/);
    expect(() => normalizeBaseUrl('not a url')).toThrow(/not a valid URL/);
  });
});
