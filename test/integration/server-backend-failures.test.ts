// The server backend when things go wrong mid-answer: cancel, silent servers,
// cut streams, a full pool, dispose. Against a real local HTTP server.
import { afterEach, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
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

/** Resolves when the server has seen n requests finish or go away (polls: no fixed sleeps). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
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
    await until(() => server.stats.clientAborts === 1);
  });

  it('cancels a query still waiting for a pool slot without sending it', async () => {
    const { server, backend } = await setup({ durationMs: 1_500 }, { maxConcurrency: 1 }); // long enough to be still busy under load
    const first = backend.ground(request);
    const controller = new AbortController();
    const second = backend.ground(request, { signal: controller.signal });
    await until(() => backend.pool.waiting === 1); // prepared, waiting for the one send slot
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
    await until(() => backend.pool.active === 1);
    await backend.dispose();
    expect((await pending).reason).toBe('cancelled');
    expect((await backend.ground(request)).reason).toBe('error: server backend is disposed');
  });
});

describe('server backend: timeouts and cut streams', () => {
  it('times out a server that sends headers and then nothing', async () => {
    const { backend } = await setup({ hang: 'after-headers' }, { readTimeoutMs: 200 });
    expect(await backend.ground(request)).toMatchObject({ box: null, reason: 'timeout' });
  });

  it('times out a server that never answers at all', async () => {
    const { backend } = await setup({ hang: 'before-headers' }, { connectTimeoutMs: 200 });
    expect(await backend.ground(request)).toMatchObject({ box: null, reason: 'timeout' });
  });

  it('times out a stream that stalls after the reasoning, keeping the reasoning', async () => {
    const { server, backend } = await setup({ hang: 'mid-stream' }, { readTimeoutMs: 200 });
    const result = await backend.ground(request);
    expect(result).toMatchObject({ box: null, reason: 'timeout' });
    expect(result.reasoning).toBe(server.behaviour.reasoning);
  });

  it('a stream reset before the box says the stream ended early', async () => {
    const { backend } = await setup({ cut: { afterChars: 16, mode: 'destroy' } });
    const result = await backend.ground(request);
    expect(result.box).toBeNull();
    expect(result.reason).toMatch(/^error: stream ended early/);
    expect(result.raw).toContain('```json');
  });

  it('a stream closed cleanly before the box says the stream ended early', async () => {
    const { backend } = await setup({ cut: { afterChars: 24, mode: 'end' } });
    expect((await backend.ground(request)).reason).toBe('error: stream ended early');
  });

  it('a stream cut after the box still gives the box', async () => {
    const { backend } = await setup({ cut: { afterChars: 56, mode: 'destroy' }, chunkChars: 4 });
    const result = await backend.ground(request);
    expect(result.reason).toBeUndefined();
    expect(result.box).toEqual([55, 68, 274, 257]);
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
