// The server backend against a real local HTTP server speaking the OpenAI
// streaming protocol: payload, the three reasoning styles, retries.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { createServerBackend } from '../../electron/engine/server';
import { startFakeOpenAIServer, NO_BOX_ANSWER, type FakeServer, type ReasoningStyle } from '../helpers/fake-openai-server';
import { parsePartialAnswer } from '@core/egm/parse-answer';

const image = resolve(__dirname, '../../assets/samples/messi5.jpg'); // 548×342
const expectedBox = [55, 68, 274, 257]; // [100, 200, 500, 750] on the 0–1000 grid
let server: FakeServer;

beforeAll(async () => {
  server = await startFakeOpenAIServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
  server.configure({ reasoningStyle: 'reasoning', fail: null, answer: server.behaviour.answer });
});

const completions = () => server.requests.filter((r) => r.path === '/v1/chat/completions');

describe('server backend: protocol', () => {
  it.each<ReasoningStyle>(['reasoning', 'reasoning_content', 'inline'])('reads a box and reasoning given as %s', async (style) => {
    server.configure({ reasoningStyle: style });
    const backend = createServerBackend({ baseUrl: server.url, model: 'egm', maxConcurrency: 2 });
    let streamed = '';
    const result = await backend.ground({ imagePath: image, phrase: 'the man', kind: 'visible' }, { onToken: (t) => (streamed += t) });
    expect(result.reason).toBeUndefined();
    expect(result.box).toEqual(expectedBox);
    expect(result.reasoning).toBe(server.behaviour.reasoning);
    expect(result.model).toBe('egm');
    expect(result.tokens).toBeGreaterThan(5);
    expect(result.timings.totalMs).toBeGreaterThanOrEqual(result.timings.modelMs);
    // The token stream always has the inline shape, whatever field the reasoning came in.
    const partial = parsePartialAnswer(streamed);
    expect(partial.reasoning).toBe(server.behaviour.reasoning);
    expect(partial.box).toEqual([100, 200, 500, 750]);
    await backend.dispose();
  });

  it('sends the EGM payload: image first, exact prompt, greedy decoding, streaming', async () => {
    process.env.EGM_TEST_KEY = 'sk-test-123';
    const backend = createServerBackend({ baseUrl: `${server.url}/`, apiKeyEnv: 'EGM_TEST_KEY', maxConcurrency: 1 });
    const result = await backend.ground({ imagePath: image, phrase: 'the ball', kind: 'amodal', point: [274, 171], maxNewTokens: 512 });
    expect(result.model).toBe('nvidia/EGM-8B'); // first of GET /v1/models
    expect(backend.info()).toMatchObject({ kind: 'server', model: 'nvidia/EGM-8B', device: `${server.url}/v1` });
    const [request] = completions();
    expect(request!.headers.authorization).toBe('Bearer sk-test-123');
    type Part = { type: string; text?: string; image_url?: { url: string } };
    const body = request!.body as Record<string, unknown> & { messages: Array<{ role: string; content: Part[] }> };
    expect(body).toMatchObject({ model: 'nvidia/EGM-8B', temperature: 0, top_p: 1, top_k: 20, repetition_penalty: 1, max_tokens: 512, stream: true });
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0]!.role).toBe('user');
    const [img, text] = body.messages[0]!.content;
    expect(img!.type).toBe('image_url');
    expect(img!.image_url!.url).toMatch(/^data:image\/jpeg;base64,\/9j\//);
    expect(text).toEqual({
      type: 'text',
      text: 'Locate the ball amodally, output its bbox coordinates using JSON format The object contains the point (500, 500), given on the same 0-1000 grid as the bbox.',
    });
    expect(result.point).toEqual([274, 171]);
    delete process.env.EGM_TEST_KEY;
    await backend.dispose();
  });

  it('samples (temperature 0.6, top_p 0.95) when the request is one of N self-consistency samples', async () => {
    const backend = createServerBackend({ baseUrl: server.baseUrl, model: 'm' });
    const result = await backend.ground({ imagePath: image, phrase: 'x', kind: 'visible', samples: 3 });
    expect(result.box).toEqual(expectedBox);
    expect(completions()[0]!.body).toMatchObject({ temperature: 0.6, top_p: 0.95, top_k: 20, repetition_penalty: 1 });
    await backend.dispose();
  });

  it('defaults max_tokens to 4096 and says no-box for an answer without one', async () => {
    server.configure({ answer: NO_BOX_ANSWER });
    const backend = createServerBackend({ baseUrl: server.baseUrl, model: 'm' });
    const result = await backend.ground({ imagePath: image, phrase: 'a unicorn', kind: 'visible' });
    expect(result).toMatchObject({ box: null, reason: 'no-box' });
    expect(result.raw).toContain(NO_BOX_ANSWER);
    expect((completions()[0]!.body as { max_tokens: number }).max_tokens).toBe(4096);
    server.configure({ answer: (await import('../helpers/fake-openai-server')).BOX_ANSWER });
    await backend.dispose();
  });

  it('reports a missing API key variable and a missing image as one-line errors', async () => {
    const backend = createServerBackend({ baseUrl: server.url, model: 'm', apiKeyEnv: 'EGM_NO_SUCH_VAR' });
    const noKey = await backend.ground({ imagePath: image, phrase: 'x', kind: 'visible' });
    expect(noKey.reason).toBe('error: request: environment variable EGM_NO_SUCH_VAR (API key) is not set');
    const noImage = await backend.ground({ imagePath: '/nonexistent/a.jpg', phrase: 'x', kind: 'visible' });
    expect(noImage.reason).toBe('error: image: /nonexistent/a.jpg: file not found');
    expect(completions()).toHaveLength(0);
    await backend.dispose();
  });
});

describe('server backend: retries', () => {
  it('retries 503 and succeeds', async () => {
    server.configure({ fail: { times: 2, status: 503 } });
    const backend = createServerBackend({ baseUrl: server.url, model: 'm', retries: 3, retryBaseDelayMs: 10 });
    const result = await backend.ground({ imagePath: image, phrase: 'x', kind: 'visible' });
    expect(result.box).toEqual(expectedBox);
    expect(completions()).toHaveLength(3);
    await backend.dispose();
  });

  it('retries 429 and honours Retry-After', async () => {
    server.configure({ fail: { times: 1, status: 429, retryAfter: '0.05' } });
    // A huge base delay proves the wait came from Retry-After, not the backoff.
    const backend = createServerBackend({ baseUrl: server.url, model: 'm', retries: 1, retryBaseDelayMs: 600_000 });
    const result = await backend.ground({ imagePath: image, phrase: 'x', kind: 'visible' });
    expect(result.box).toEqual(expectedBox);
    expect(completions()).toHaveLength(2);
    await backend.dispose();
  });

  it('never retries a 400 and says why', async () => {
    server.configure({ fail: { times: 5, status: 400 } });
    const backend = createServerBackend({ baseUrl: server.url, model: 'm', retries: 3, retryBaseDelayMs: 10 });
    const result = await backend.ground({ imagePath: image, phrase: 'x', kind: 'visible' });
    expect(result.box).toBeNull();
    expect(result.reason).toBe(`error: request: HTTP 400 from ${server.url}/v1/chat/completions: fake failure 1 (status 400)`);
    expect(completions()).toHaveLength(1);
    await backend.dispose();
  });

  it('gives up after the retries and names the last status', async () => {
    server.configure({ fail: { times: 10, status: 503 } });
    const backend = createServerBackend({ baseUrl: server.url, model: 'm', retries: 2, retryBaseDelayMs: 5 });
    const result = await backend.ground({ imagePath: image, phrase: 'x', kind: 'visible' });
    expect(result.reason).toMatch(/^error: server busy: HTTP 503 from .* after 3 attempts: fake failure 3/);
    expect(completions()).toHaveLength(3);
    await backend.dispose();
  });

  it('retries a refused connection, then reports it', async () => {
    const closed = await startFakeOpenAIServer();
    await closed.close();
    const backend = createServerBackend({ baseUrl: closed.url, model: 'm', retries: 2, retryBaseDelayMs: 5 });
    const result = await backend.ground({ imagePath: image, phrase: 'x', kind: 'visible' });
    expect(result.reason).toBe(`error: server unreachable: cannot reach ${closed.url}/v1/chat/completions (ECONNREFUSED) after 3 attempts`);
    const health = await backend.health();
    expect(health).toMatchObject({ ok: false, models: [] });
    expect(health.reason).toMatch(/cannot reach .*ECONNREFUSED/);
    await backend.dispose();
  });
});
