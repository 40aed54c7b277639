// One HTTP exchange with the server, on node:http(s), with four deadlines
// that no server behaviour can stretch:
//   connect     until the connection is up (TCP, and TLS for https);
//   first-byte  from then until the response headers;
//   idle        longest silence while the body streams (any byte counts);
//   total       the whole exchange, start to last byte — absolute: SSE
//               keep-alive comments reset the idle timer, never this one.
// Redirects are not followed: a request never carries the API key to another
// host. The caller's signal cancels at any point.
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { CancelledError, NetworkError, TimeoutError, TooLargeError, type DeadlinePhase } from './errors';

export interface Deadlines {
  connectMs: number;
  firstByteMs: number;
  idleMs: number;
  totalMs: number;
}

export interface ExchangeOptions {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal | undefined;
  deadlines: Deadlines;
  agents: Agents;
}

export interface Exchange {
  status: number;
  headers: IncomingHttpHeaders;
  /** Body chunks as they arrive; throws TimeoutError, NetworkError (connection broken) or CancelledError. */
  chunks(): AsyncGenerator<Buffer>;
  /** The rest of the body as UTF-8 text; over maxBytes it stops reading and throws TooLargeError. */
  text(maxBytes: number): Promise<string>;
  /** Ends the exchange: a body not read to its end closes the connection. Safe to call twice. */
  close(): void;
}

/** Keep-alive agents, one pair per backend, so a batch reuses its connections. */
export interface Agents {
  http: HttpAgent;
  https: HttpsAgent;
  destroy(): void;
}

export function createAgents(maxFreeSockets: number): Agents {
  const options = { keepAlive: true, maxFreeSockets, scheduling: 'lifo' as const };
  const http = new HttpAgent(options);
  const https = new HttpsAgent(options);
  return {
    http,
    https,
    destroy() {
      http.destroy();
      https.destroy();
    },
  };
}

/** A Node socket error as a NetworkError naming the code ("ECONNREFUSED"), or the error as it is when it is ours. */
function networkError(err: unknown, url: string): Error {
  if (err instanceof TimeoutError || err instanceof CancelledError || err instanceof TooLargeError || err instanceof NetworkError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const message = (err as Error).message ?? String(err);
  return new NetworkError(`${url}: ${code && !message.includes(code) ? `${code} ` : ''}${message}`.trim(), code);
}

export function openExchange(options: ExchangeOptions): Promise<Exchange> {
  const { url, deadlines, signal } = options;
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  return new Promise<Exchange>((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const send = secure ? httpsRequest : httpRequest;
    const headers = { ...options.headers, ...(options.body !== undefined ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}) };
    const req = send(target, { method: options.method, headers, agent: secure ? options.agents.https : options.agents.http });
    let response: IncomingMessage | null = null;
    let failure: Error | null = null;
    let settled = false;
    let phase: DeadlinePhase = 'connect';
    let phaseMs = deadlines.connectMs;

    const stopTimers = () => {
      clearTimeout(total);
      clearTimeout(phaseTimer);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (err: Error) => {
      if (failure || settled) return;
      failure = err;
      stopTimers();
      if (response) response.destroy(err);
      else req.destroy(err);
    };
    // A phase deadline cut down to what is left of the total (limits.ts clampDeadlines) is the total passing, and says so.
    const onPhaseTimeout = () => fail(phaseMs >= deadlines.totalMs ? new TimeoutError('total', deadlines.totalMs, url) : new TimeoutError(phase, phaseMs, url));
    let phaseTimer = setTimeout(onPhaseTimeout, phaseMs);
    const arm = (next: DeadlinePhase, ms: number) => {
      clearTimeout(phaseTimer);
      phase = next;
      phaseMs = ms;
      phaseTimer = setTimeout(onPhaseTimeout, ms);
    };
    const total = setTimeout(() => fail(new TimeoutError('total', deadlines.totalMs, url)), deadlines.totalMs);
    const onAbort = () => fail(new CancelledError());
    signal?.addEventListener('abort', onAbort, { once: true });

    req.on('socket', (socket) => {
      // A kept-alive socket is connected already; a new one says so with (secure)connect.
      if (!socket.connecting) arm('first-byte', deadlines.firstByteMs);
      else socket.once(secure ? 'secureConnect' : 'connect', () => phase === 'connect' && arm('first-byte', deadlines.firstByteMs));
    });
    req.on('error', (err) => {
      stopTimers();
      if (!response) reject(failure ?? networkError(err, url));
    });
    req.on('response', (res) => {
      response = res;
      arm('idle', deadlines.idleMs);
      let ended = false;
      const close = () => {
        if (settled) return;
        settled = true;
        stopTimers();
        if (!ended) res.destroy();
      };
      async function* chunks(): AsyncGenerator<Buffer> {
        try {
          for await (const chunk of res as AsyncIterable<Buffer>) {
            phaseTimer.refresh();
            yield chunk;
          }
          ended = true;
        } catch (err) {
          throw failure ?? networkError(err, url);
        } finally {
          close();
        }
      }
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        chunks,
        async text(maxBytes) {
          const parts: Buffer[] = [];
          let bytes = 0;
          for await (const chunk of chunks()) {
            bytes += chunk.length;
            if (bytes > maxBytes) throw new TooLargeError(`${url} answered more than ${maxBytes} bytes`);
            parts.push(chunk);
          }
          return Buffer.concat(parts).toString('utf8');
        },
        close,
      });
    });
    req.end(options.body);
  });
}
