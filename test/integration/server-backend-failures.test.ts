// The server backend when things go wrong mid-answer: cancel, silent servers,
// cut streams, a full pool, dispose; and (issue 8) deadlines nothing can
// stretch, answers that never end, answers cut mid-number, truncation, a
// redirect that would carry the key elsewhere. Against a real local HTTP server.
import { afterEach, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { Agent } from 'node:http';
import { Socket } from 'node:net';
import { createAgents, openExchange } from '../../electron/engine/server/http';
import { TimeoutError } from '../../electron/engine/server/errors';
import { createServerBackend, type ServerBackend } from '../../electron/engine/server';
import { startFakeOpenAIServer, type FakeBehaviour, type FakeServer } from '../helpers/fake-openai-server';

const image = resolve(__dirname, '../../assets/samples/messi5.jpg');
const request = { imagePath: image, phrase: 'the man', kind: 'visible' as const };
const open: Array<{ close(): Promise<void> } | ServerBackend> = [];

async function setup(behaviour: Partial<FakeBehaviour>, options: Partial<Parameters<typeof createServerBackend>[0]> = {}) {
  const server: FakeServer = await startFakeOpenAIServer(behaviour);
  const backend = createServerBackend({ baseUrl: server.url, model: 'm', retries: 0, ...options });
  open.push(server, backend);
  return { server, backend };
}

afterEach(async () => {
  for (const item of open.splice(0)) await ('dispose' in item ? item.dispose() : item.close());
});

/**
 * Resolves when the backend's send pool reaches a state. The pool exposes no
 * event to wait on (its counters only), so this polls them on each turn of the
 * event loop (setImmediate: no fixed delay); conditions on the fake server
 * wait on its own promise, server.when().
 */
async function untilPool(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setImmediate(r));
}

describe('server backend: cancel', () => {
  it('cancels mid-stream, keeps what arrived, and closes the connection', async () => {
    const { server, backend } = await setup({ durationMs: 4_000, chunkChars: 4 });
    const controller = new AbortController();
    const result = await backend.ground(request, {
      signal: controller.signal,
      onToken: () => controller.abort(), // after the first piece of reasoning
    });
    expect(result).toMatchObject({ box: null, reason: 'cancelled' });
    expect(result.reasoning.length).toBeGreaterThan(0);
    await server.when(() => server.stats.clientAborts === 1);
  });

  it('cancels a query still waiting for a pool slot without sending it', async () => {
    const { server, backend } = await setup({ durationMs: 1_500 }, { maxConcurrency: 1 }); // long enough to be still busy under load
    const first = backend.ground(request);
    const controller = new AbortController();
    const second = backend.ground(request, { signal: controller.signal });
    await untilPool(() => backend.pool.waiting === 1); // prepared, waiting for the one send slot
    controller.abort();
    expect(await second).toMatchObject({ box: null, reason: 'cancelled' });
    expect((await first).box).not.toBeNull();
    expect(server.stats.completions).toBe(1);
  });

  it('an already-aborted signal is cancelled at once', async () => {
    const { server, backend } = await setup({});
    const result = await backend.ground(request, { signal: AbortSignal.abort() });
    expect(result.reason).toBe('cancelled');
    expect(server.stats.completions).toBe(0);
  });

  it('cancelling one query does not fail others sharing the model lookup', async () => {
    const server = await startFakeOpenAIServer({});
    const backend = createServerBackend({ baseUrl: server.url, retries: 0 }); // no model: GET /v1/models first
    open.push(server, backend);
    const controller = new AbortController();
    const first = backend.ground(request, { signal: controller.signal });
    const second = backend.ground(request);
    controller.abort();
    expect((await first).reason).toBe('cancelled');
    expect(await second).toMatchObject({ model: 'nvidia/EGM-8B', box: [55, 68, 274, 257] });
  });

  it('dispose cancels queries in flight and refuses new ones', async () => {
    const { backend } = await setup({ durationMs: 60_000 });
    const pending = backend.ground(request);
    await untilPool(() => backend.pool.active === 1);
    await backend.dispose();
    expect((await pending).reason).toBe('cancelled');
    expect((await backend.ground(request)).reason).toBe('error: server backend is disposed');
  });
});

describe('server backend: deadlines (issue 8, finding 5)', () => {
  it('times out a connection that never completes (connect)', async () => {
    // A socket stuck in connecting, as behind a firewall that drops the SYN.
    class NeverConnects extends Agent {
      override createConnection() {
        const socket = new Socket();
        (socket as unknown as { connecting: boolean }).connecting = true;
        return socket;
      }
    }
    const agents = { ...createAgents(1), http: new NeverConnects() };
    const started = performance.now();
    const failure = await openExchange({ url: 'http://127.0.0.1:9/v1/models', method: 'GET', headers: {}, deadlines: { connectMs: 200, firstByteMs: 60_000, idleMs: 60_000, totalMs: 60_000 }, agents }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(TimeoutError);
    expect((failure as TimeoutError).phase).toBe('connect');
    expect((failure as Error).message).toBe('no connection to http://127.0.0.1:9/v1/models within 200 ms');
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('times out a server that sends headers and then nothing (idle)', async () => {
    const { backend } = await setup({ hang: 'after-headers' }, { idleTimeoutMs: 200 });
    expect(await backend.ground(request)).toMatchObject({ box: null, reason: 'timeout: no data for 0.2 s while the answer streamed' });
  });

  it('times out a server that never sends its headers (first byte)', async () => {
    const { backend } = await setup({ hang: 'before-headers' }, { firstByteTimeoutMs: 200 });
    // Issue 18: the reason names the deadline that passed, not a bare "timeout".
    expect(await backend.ground(request)).toMatchObject({ box: null, reason: 'timeout: no response headers within 0.2 s' });
  });

  it('times out a stream that stalls after the reasoning, keeping the reasoning', async () => {
    const { server, backend } = await setup({ hang: 'mid-stream' }, { idleTimeoutMs: 200 });
    const result = await backend.ground(request);
    expect(result).toMatchObject({ box: null, reason: 'timeout: no data for 0.2 s while the answer streamed' });
    expect(result.reasoning).toBe(server.behaviour.reasoning);
  });

  it('keep-alive comments forever do not extend the overall deadline', async () => {
    const { server, backend } = await setup({ keepAlive: { everyMs: 20 } }, { idleTimeoutMs: 60_000, timeoutMs: 400 });
    const started = performance.now();
    expect(await backend.ground(request)).toMatchObject({ box: null, reason: 'timeout: no answer within the time limit of 0.4 s per answer' });
    expect(performance.now() - started).toBeLessThan(3_000);
    await server.when(() => server.stats.clientAborts === 1); // the connection was closed, not left open
  });

  it('a request timeout (GroundRequest.timeoutMs) overrides the backend default', async () => {
    const { backend } = await setup({ keepAlive: { everyMs: 20 } }, { idleTimeoutMs: 60_000 });
    const started = performance.now();
    expect(await backend.ground({ ...request, timeoutMs: 300 })).toMatchObject({ box: null, reason: 'timeout: no answer within the time limit of 0.3 s per answer' });
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('times out a plain JSON answer whose body stalls', async () => {
    const { backend } = await setup({ plainJson: true, hang: 'after-headers' }, { idleTimeoutMs: 200 });
    expect(await backend.ground(request)).toMatchObject({ box: null, reason: 'timeout: no data for 0.2 s while the answer streamed' });
  });

  it('reads a plain JSON answer (a server that ignores stream: true)', async () => {
    const { backend } = await setup({ plainJson: true });
    expect(await backend.ground(request)).toMatchObject({ box: [55, 68, 274, 257] });
  });

  it('times out a model list whose body stalls, in health() and in a query', async () => {
    const server = await startFakeOpenAIServer({ modelsHang: true });
    const backend = createServerBackend({ baseUrl: server.url, retries: 0, idleTimeoutMs: 200 }); // no model: GET /v1/models first
    open.push(server, backend);
    const health = await backend.health();
    expect(health).toMatchObject({ ok: false });
    expect(health.reason).toMatch(/no data from .*\/v1\/models for 200 ms/);
    expect(await backend.ground(request)).toMatchObject({ box: null, reason: expect.stringMatching(/^timeout: model lookup: no data from .*\/v1\/models for 200 ms$/) });
  });

  it('dispose cancels a model lookup in flight', async () => {
    const server = await startFakeOpenAIServer({ modelsHang: true });
    const backend = createServerBackend({ baseUrl: server.url, retries: 0 });
    open.push(server);
    const pending = backend.ground(request);
    await server.when(() => server.requests.some((r) => r.path === '/v1/models'));
    await backend.dispose();
    expect((await pending).reason).toBe('cancelled');
    await server.when(() => server.stats.clientAborts === 1); // the lookup's connection was closed, not left waiting
  });
});

describe('server backend: answers that did not finish (issue 8, finding 6)', () => {
  // With one character per chunk the cut falls exactly after "556, 95" of "556, 950".
  const CUT_ANSWER = '```json\n[{"bbox_2d": [100, 200, 556, 950], "label": "x"}]\n```';
  const cutAt = CUT_ANSWER.indexOf('556, 95') + '556, 95'.length;

  it('a stream cut in the middle of a number is an error, never a (wrong) box', async () => {
    const { backend } = await setup({ answer: CUT_ANSWER, chunkChars: 1, cut: { afterChars: cutAt, mode: 'destroy' } });
    const result = await backend.ground(request);
    expect(result.box).toBeNull();
    expect(result.reason).toMatch(/^error: stream cut: the connection broke/);
    expect(result.raw.endsWith('556, 95')).toBe(true);
  });

  it('a stream closed cleanly without a finish_reason is an error too', async () => {
    const { backend } = await setup({ answer: CUT_ANSWER, chunkChars: 1, cut: { afterChars: cutAt, mode: 'end' } });
    expect(await backend.ground(request)).toMatchObject({ box: null, reason: 'error: stream cut: the stream ended without a finish_reason' });
  });

  it('a stream cut after the whole box is still not a box', async () => {
    const { backend } = await setup({ cut: { afterChars: 56, mode: 'destroy' }, chunkChars: 4 });
    const result = await backend.ground(request);
    expect(result.box).toBeNull();
    expect(result.reason).toMatch(/^error: stream cut: /);
  });

  it('a cut stream is asked again like a dropped connection, and the second answer counts', async () => {
    const { server, backend } = await setup({ answer: CUT_ANSWER, chunkChars: 4, cut: { afterChars: cutAt, mode: 'destroy', times: 1 } }, { retries: 2, retryBaseDelayMs: 5 });
    let streamed = '';
    const result = await backend.ground(request, { onToken: (t) => (streamed += t) });
    expect(result.reason).toBeUndefined();
    expect(result.box).toEqual([55, 68, 305, 325]);
    expect(server.stats.completions).toBe(2);
    expect(streamed).toContain('asking again');
  });

  it('gives up after the retries, saying how many attempts', async () => {
    const { server, backend } = await setup({ cut: { afterChars: 8, mode: 'end' } }, { retries: 1, retryBaseDelayMs: 5 });
    expect((await backend.ground(request)).reason).toBe('error: stream cut: the stream ended without a finish_reason after 2 attempts');
    expect(server.stats.completions).toBe(2);
  });

  it("finish_reason 'length' is reported as truncated, not as a box", async () => {
    const { backend } = await setup({ finishReason: 'length' });
    const result = await backend.ground({ ...request, maxNewTokens: 300 });
    expect(result.box).toBeNull();
    expect(result.reason).toBe('error: truncated: the server stopped at the 300-token budget (finish_reason length)');
  });

  it('an answer over the token budget is cut off here, whatever the server does', async () => {
    const { backend } = await setup({ chunkChars: 1 });
    const result = await backend.ground({ ...request, maxNewTokens: 20 });
    expect(result).toMatchObject({ box: null, reason: 'error: truncated: the answer went over 20 tokens without ending' });
  });
});

describe('server backend: huge answers (issue 8, finding 4)', () => {
  it.each(['chunks', 'one-line', 'json'] as const)('a 48 MB answer (%s) stops at the bounds, with capped text', async (shape) => {
    const { backend } = await setup({ huge: { bytes: 48 * 1_048_576, shape } });
    const started = performance.now();
    const result = await backend.ground(request);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(result.box).toBeNull();
    expect(result.reason).toMatch(/^error: truncated: /);
    // The stored reasoning is capped, with a marker saying so.
    expect(result.reasoning.length).toBeLessThanOrEqual(32_768);
    expect(result.raw.length).toBeLessThanOrEqual(32_768);
    if (shape === 'chunks') expect(result.reasoning).toMatch(/\[\.\.\. \d+ characters cut \.\.\.\]/);
  });

  it('streams at most the bounded text to onToken', async () => {
    const { backend } = await setup({ huge: { bytes: 48 * 1_048_576, shape: 'chunks' } });
    let streamed = 0;
    await backend.ground(request, { onToken: (t) => (streamed += t.length) });
    expect(streamed).toBeLessThan(300_000);
  });
});

describe('server backend: the key stays with its server (issue 8, finding 1)', () => {
  it('does not follow a redirect to another host', async () => {
    const other = await startFakeOpenAIServer({});
    open.push(other);
    const { server, backend } = await setup({ redirectTo: `${other.url}/v1/chat/completions` }, { apiKey: 'sk-only-for-the-first' });
    const result = await backend.ground(request);
    expect(result.reason).toBe(`error: request: HTTP 307 from ${server.url}/v1/chat/completions: redirects are not followed (the request and its API key stay with ${server.url})`);
    expect(other.requests).toHaveLength(0);
  });
});

describe('server backend: concurrency', () => {
  it('never has more than maxConcurrency requests at the server', async () => {
    const { server, backend } = await setup({ durationMs: 100 }, { maxConcurrency: 3 });
    const results = await Promise.all(Array.from({ length: 10 }, () => backend.ground(request)));
    expect(results.every((r) => r.box !== null)).toBe(true);
    expect(server.stats.peakActive).toBe(3);
    expect(server.stats.completions).toBe(10);
  });

  it('encodes an image once for many concurrent queries', async () => {
    const { server, backend } = await setup({}, { maxConcurrency: 4 });
    await Promise.all(Array.from({ length: 8 }, () => backend.ground(request)));
    const urls = new Set(server.requests.map((r) => JSON.stringify(r.body)));
    expect(urls.size).toBe(1);
  });

  it('health lists the models', async () => {
    const { server, backend } = await setup({ models: ['a', 'b'] });
    expect(await backend.health()).toMatchObject({ ok: true, url: `${server.url}/v1`, models: ['a', 'b'] });
  });
});
