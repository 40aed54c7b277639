// A real local HTTP server (node:http on 127.0.0.1, random port) that speaks
// the OpenAI chat-completions streaming protocol the way vLLM/SGLang do, with
// scriptable misbehaviour for tests and benches: reasoning style, latency,
// limited generation slots, failures with a status, a cut or silent stream, an
// answer without a box, a huge answer, keep-alive comments forever, a plain
// JSON answer, a finish_reason of choice, a redirect, an outage (down()). It
// records each request so tests can check payloads.
// Run directly (`node --import tsx fake-openai-server.ts '<json behaviour>'`) it
// serves from a child process and prints `LISTENING <url>`.
import { createServer, get as httpGet, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

export type ReasoningStyle = 'reasoning' | 'reasoning_content' | 'inline';

export interface FakeBehaviour {
  reasoningStyle: ReasoningStyle;
  reasoning: string;
  /** Content after the reasoning; default: the canonical fenced bbox_2d list. */
  answer: string;
  /** When set, completion k (counted from 1) answers answers[(k - 1) % length] instead (self-consistency tests). */
  answers?: string[] | null;
  /** When set, a completion whose prompt text contains one of these keys answers its value (first key that matches; eval tests). */
  answerByPrompt?: Record<string, string> | null;
  /** Characters per streamed delta. */
  chunkChars: number;
  /** Wait after taking a slot, before the first chunk. */
  latencyMs: number;
  /** If set, chunks are spread evenly so the last leaves durationMs after the slot was taken (absolute schedule, no drift). */
  durationMs: number | null;
  /** Generations served at once; requests beyond wait for a slot (like a server's batch). */
  slots: number;
  /** Answer the next `times` completions with this status (Retry-After when given). */
  fail: { times: number; status: number; retryAfter?: string } | null;
  /** Stop after this many answer characters: 'destroy' resets the socket, 'end' closes cleanly without [DONE]; only the first `times` completions when given. */
  cut: { afterChars: number; mode: 'destroy' | 'end'; times?: number } | null;
  /** Never answer: before headers, after headers, or after the reasoning. */
  hang: 'none' | 'before-headers' | 'after-headers' | 'mid-stream';
  /** GET /v1/models sends its headers and then nothing. */
  modelsHang: boolean;
  /** After the headers, only SSE comments (': keep-alive') every everyMs, forever. */
  keepAlive: { everyMs: number } | null;
  /** A runaway answer of about `bytes` reasoning bytes: many SSE chunks, one endless SSE line, or one plain JSON body. */
  huge: { bytes: number; shape: 'chunks' | 'one-line' | 'json' } | null;
  /** Answer with one plain JSON completion (a server ignoring stream: true). */
  plainJson: boolean;
  /** finish_reason of the last chunk. */
  finishReason: string;
  /** Answer completions with 307 to this URL. */
  redirectTo: string | null;
  models: string[];
  /** Keep request bodies (off for long benches). */
  record: boolean;
}

/** The text parts of a chat request's messages, joined (the prompt a server would read). */
function promptText(body: unknown): string {
  const messages = (body as { messages?: { content?: unknown }[] })?.messages ?? [];
  return messages
    .flatMap((m) => (typeof m.content === 'string' ? [m.content] : Array.isArray(m.content) ? m.content.map((c: { text?: unknown }) => (typeof c?.text === 'string' ? c.text : '')) : []))
    .join('\n');
}

export const BOX_ANSWER = '```json\n[\n\t{"bbox_2d": [100, 200, 500, 750], "label": "the object"}\n]\n```';
export const NO_BOX_ANSWER = 'I cannot find such an object in this image.';

export const DEFAULT_BEHAVIOUR: FakeBehaviour = {
  reasoningStyle: 'reasoning',
  reasoning: 'The phrase points at the object on the left; its box spans the left half.',
  answer: BOX_ANSWER,
  chunkChars: 8,
  latencyMs: 0,
  durationMs: null,
  slots: Number.POSITIVE_INFINITY,
  fail: null,
  cut: null,
  hang: 'none',
  modelsHang: false,
  keepAlive: null,
  huge: null,
  plainJson: false,
  finishReason: 'stop',
  redirectTo: null,
  models: ['nvidia/EGM-8B'],
  record: true,
};

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface FakeStats {
  completions: number;
  failuresSent: number;
  active: number;
  peakActive: number;
  generating: number;
  peakGenerating: number;
  /** Streams whose client went away before the end. */
  clientAborts: number;
}

export interface FakeServer {
  url: string;
  /** Base URL with /v1, as a user would type it. */
  baseUrl: string;
  requests: RecordedRequest[];
  stats: FakeStats;
  behaviour: FakeBehaviour;
  configure(patch: Partial<FakeBehaviour>): void;
  /** An outage: stops listening and drops every connection (clients get ECONNREFUSED), listening again on the same port after ms. */
  down(ms: number): Promise<void>;
  /** Resolves once the server listens again after down() (at once when it is not down). */
  whenUp(): Promise<void>;
  /**
   * Resolves when nothing more can land from clients that have gone (a killed
   * process): every connection already made is accepted (a probe on a fresh
   * connection goes through the accept queue behind them), and no request is
   * in progress (received, its body not yet read or its response not closed).
   * Then stats.completions is final for them.
   */
  whenIdle(): Promise<void>;
  /** Resolves once stats.completions has reached count (at once if it already has): a test waits on the server's own count instead of polling it. */
  whenCompletions(count: number): Promise<void>;
  /** Resolves once check() holds, re-checked when a completion is counted, a request is recorded or a client goes away (stats.clientAborts). */
  when(check: () => boolean): Promise<void>;
  close(): Promise<void>;
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export async function startFakeOpenAIServer(initial: Partial<FakeBehaviour> = {}): Promise<FakeServer> {
  const behaviour: FakeBehaviour = { ...DEFAULT_BEHAVIOUR, ...initial };
  const requests: RecordedRequest[] = [];
  const stats: FakeStats = { completions: 0, failuresSent: 0, active: 0, peakActive: 0, generating: 0, peakGenerating: 0, clientAborts: 0 };
  const waiting: Array<() => void> = [];
  let failed = 0;
  // Waiters on stats/requests, re-checked whenever a completion is counted, a request recorded or a client goes away.
  let statWaiters: Array<{ check: () => boolean; wake: () => void }> = [];
  const statsChanged = () => {
    const reached = statWaiters.filter((w) => w.check());
    statWaiters = statWaiters.filter((w) => !reached.includes(w));
    for (const w of reached) w.wake();
  };
  const when = (check: () => boolean) => (check() ? Promise.resolve() : new Promise<void>((wake) => statWaiters.push({ check, wake })));

  const takeSlot = async () => {
    if (stats.generating >= behaviour.slots) await new Promise<void>((resolve) => waiting.push(resolve));
    stats.generating += 1;
    stats.peakGenerating = Math.max(stats.peakGenerating, stats.generating);
  };
  const freeSlot = () => {
    stats.generating -= 1;
    waiting.shift()?.();
  };

  async function complete(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    stats.completions += 1;
    statsChanged();
    if (behaviour.fail && failed < behaviour.fail.times) {
      failed += 1;
      stats.failuresSent += 1;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (behaviour.fail.retryAfter !== undefined) headers['retry-after'] = behaviour.fail.retryAfter;
      res.writeHead(behaviour.fail.status, headers);
      res.end(JSON.stringify({ object: 'error', message: `fake failure ${failed} (status ${behaviour.fail.status})`, code: behaviour.fail.status }));
      return;
    }
    if (behaviour.redirectTo) {
      res.writeHead(307, { location: behaviour.redirectTo }).end();
      return;
    }
    if (behaviour.hang === 'before-headers') return; // the socket stays open, silent
    if (behaviour.plainJson || behaviour.huge?.shape === 'json') return plainJson(res, body);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    res.flushHeaders();
    if (behaviour.hang === 'after-headers') return;
    let gone = false;
    res.on('close', () => {
      if (!res.writableFinished) {
        gone = true;
        stats.clientAborts += 1;
        statsChanged();
      }
    });
    if (behaviour.keepAlive) return keepAliveForever(res, behaviour.keepAlive.everyMs);
    if (behaviour.huge) return hugeStream(res, behaviour.huge);
    const model = (body as { model?: string })?.model ?? behaviour.models[0];
    const prompt = promptText(body);
    const byPrompt = behaviour.answerByPrompt ? Object.entries(behaviour.answerByPrompt).find(([key]) => prompt.includes(key))?.[1] : undefined;
    const answer = byPrompt ?? (behaviour.answers?.length ? behaviour.answers[(stats.completions - 1) % behaviour.answers.length]! : behaviour.answer);
    const send = (delta: Record<string, unknown>, finish: string | null = null) =>
      res.write(`data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`);

    await takeSlot();
    try {
      const started = Date.now();
      const style = behaviour.reasoningStyle;
      const reasoningText = style === 'inline' ? `${behaviour.reasoning}\n</think>\n\n` : behaviour.reasoning;
      const plan: Array<{ field: 'content' | 'reasoning' | 'reasoning_content'; text: string; answer: boolean }> = [
        ...chunks(reasoningText, behaviour.chunkChars).map((text) => ({ field: style === 'inline' ? ('content' as const) : style, text, answer: false })),
        ...chunks(answer, behaviour.chunkChars).map((text) => ({ field: 'content' as const, text, answer: true })),
      ];
      await sleep(behaviour.latencyMs);
      send({ role: 'assistant', content: '' });
      let answerChars = 0;
      for (let i = 0; i < plan.length && !gone; i++) {
        const part = plan[i]!;
        if (behaviour.durationMs !== null) await sleep(started + (behaviour.durationMs * (i + 1)) / plan.length - Date.now());
        if (part.answer && behaviour.hang === 'mid-stream') return;
        const cutting = behaviour.cut && (behaviour.cut.times === undefined || stats.completions <= behaviour.cut.times);
        if (behaviour.cut && cutting && part.answer && answerChars >= behaviour.cut.afterChars) {
          // Flush what was written first, so the client really has the partial answer.
          if (behaviour.cut.mode === 'destroy') res.write('', () => res.socket?.destroy());
          else res.end();
          return;
        }
        send({ [part.field]: part.text });
        if (part.answer) answerChars += part.text.length;
      }
      if (gone) return;
      send({}, behaviour.finishReason);
      res.write(`data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 100, completion_tokens: plan.length, total_tokens: 100 + plan.length } })}\n\n`);
      res.end('data: [DONE]\n\n');
    } finally {
      freeSlot();
    }
  }

  function plainJson(res: ServerResponse, body: unknown): void {
    const model = (body as { model?: string })?.model ?? behaviour.models[0];
    res.writeHead(200, { 'content-type': 'application/json' });
    if (behaviour.hang === 'after-headers') {
      res.flushHeaders();
      return;
    }
    const reasoning = behaviour.huge ? 'x'.repeat(behaviour.huge.bytes) : behaviour.reasoning;
    const message = { role: 'assistant', reasoning_content: reasoning, content: behaviour.answer };
    res.end(JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion', model, choices: [{ index: 0, message, finish_reason: behaviour.finishReason }] }));
  }

  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const raw = Buffer.concat(parts).toString('utf8');
      let body: unknown = undefined;
      try {
        // Unrecorded bodies are not parsed (in benches this server shares the CPU being measured), unless answers depend on the prompt.
        body = raw && (behaviour.record || behaviour.answerByPrompt) ? JSON.parse(raw) : undefined;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'body is not JSON' } }));
        return;
      }
      const path = (req.url ?? '/').split('?')[0]!;
      if (behaviour.record) {
        requests.push({ method: req.method ?? '', path, headers: req.headers, body });
        statsChanged();
      }
      if (req.method === 'GET' && path === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' });
        if (behaviour.modelsHang) {
          res.on('close', () => (stats.clientAborts++, statsChanged()));
          res.flushHeaders();
          return;
        }
        res.end(JSON.stringify({ object: 'list', data: behaviour.models.map((id) => ({ id, object: 'model', owned_by: 'fake' })) }));
      } else if (req.method === 'GET' && path === '/__stats') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...stats, rssMb: process.memoryUsage().rss / 1048576, cpuMs: cpuMs() }));
      } else if (req.method === 'POST' && path === '/v1/chat/completions') {
        stats.active += 1;
        stats.peakActive = Math.max(stats.peakActive, stats.active);
        res.on('close', () => (stats.active -= 1));
        complete(req, res, body).catch((err: Error) => {
          if (!res.headersSent) res.writeHead(500).end(String(err.message));
          else res.destroy();
        });
      } else {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.method} ${path}` } }));
      }
    });
  });
  // Requests from their 'request' event until both the body is read (so a
  // completion is counted) and the response is closed; whenIdle waits for 0.
  let inProgress = 0;
  let idleWaiters: Array<() => void> = [];
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    inProgress += 1;
    const read = new Promise<void>((done) => (req.once('end', done), req.once('close', done)));
    const closed = new Promise<void>((done) => res.once('close', done));
    void Promise.all([read, closed]).then(() => {
      inProgress -= 1;
      if (inProgress > 0) return;
      const woken = idleWaiters;
      idleWaiters = [];
      for (const wake of woken) wake();
    });
  });
  const probe = () =>
    new Promise<void>((done, fail) => {
      const req = httpGet({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/__stats', agent: false, headers: { connection: 'close' } }, (res) => {
        res.resume();
        res.on('end', done);
      });
      req.on('error', (err) => fail(new Error(`fake server whenIdle probe: ${err.message}`)));
    });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const stopListening = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  let upAgain = Promise.resolve();
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    requests,
    stats,
    behaviour,
    configure(patch) {
      Object.assign(behaviour, patch);
      if (patch.fail !== undefined) failed = 0;
    },
    async down(ms) {
      await stopListening();
      // The outage's length is the behaviour being simulated, not a wait.
      upAgain = new Promise<void>((listening) => setTimeout(() => server.listen(port, '127.0.0.1', listening), ms));
    },
    whenUp: () => upAgain,
    async whenIdle() {
      await probe();
      if (inProgress > 0) await new Promise<void>((wake) => idleWaiters.push(wake));
    },
    whenCompletions: (count) => when(() => stats.completions >= count),
    when,
    close: () => (server.listening ? stopListening() : Promise.resolve()),
  };
}

/** SSE comments only, every everyMs, until the client goes away. */
function keepAliveForever(res: ServerResponse, everyMs: number): void {
  const timer = setInterval(() => res.write(': keep-alive\n\n'), everyMs);
  res.on('close', () => clearInterval(timer));
}

/** About `bytes` of reasoning as fast as the client reads it, then the usual end (if the client is still there). */
async function hugeStream(res: ServerResponse, huge: { bytes: number; shape: 'chunks' | 'one-line' | 'json' }): Promise<void> {
  const piece = 'x'.repeat(65_536);
  const frame = (text: string) => `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { reasoning: text }, finish_reason: null }] })}\n\n`;
  let closed = false;
  res.on('close', () => (closed = true));
  const write = (text: string) => (res.write(text) ? Promise.resolve() : new Promise<void>((r) => res.once('drain', () => r())));
  if (huge.shape === 'one-line') {
    // One data line that never ends: written in 64 kB pieces with no newline.
    await write(`data: {"choices":[{"index":0,"delta":{"reasoning":"`);
    for (let sent = 0; sent < huge.bytes && !closed; sent += piece.length) await write(piece);
    if (!closed) res.end('"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n');
    return;
  }
  for (let sent = 0; sent < huge.bytes && !closed; sent += piece.length) await write(frame(piece));
  if (!closed) res.end(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: BOX_ANSWER }, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`);
}

// Child-process mode for benches: the server's CPU and memory stay out of the
// measured process.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const patch = JSON.parse(process.argv[2] ?? '{}') as Partial<FakeBehaviour>;
  const server = await startFakeOpenAIServer(patch);
  process.stdout.write(`LISTENING ${server.url}\n`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
}
