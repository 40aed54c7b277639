// A real local HTTP server that speaks the Hugging Face hub's download layout:
//   GET /{owner}/{name}/resolve/{revision}/{path}
// Small ("git") files are served directly with a git-style ETag; LFS files get a
// 302 to a CDN-like path (/cdn/<sha256>, optionally on a second server = another
// origin) carrying X-Linked-ETag (the sha256) and X-Linked-Size, as the hub
// does. Range requests, an optional Bearer token, and scripted failures (drop the
// connection mid-file, a status code, a wrong body, an endless body) let tests
// exercise the downloader's resume and verification paths for real. If-Range
// is honoured as HTTP says: a validator that no longer matches (the file was
// replace()d) gets the whole file (200) instead of the range.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeHubFile {
  content: Buffer;
  /** Served through the CDN redirect with a sha256 ETag (default: files over 1 KiB). */
  lfs?: boolean;
  /** false: served with no ETag at all (a server the downloader cannot verify against). */
  etag?: boolean;
}

export type FakeHubFailure =
  /** Send `afterBytes` bytes of the body, then destroy the socket. */
  | { kind: 'drop'; afterBytes: number; times?: number }
  /** Answer with this status (404, 500, ...) instead of the file. */
  | { kind: 'status'; status: number; times?: number }
  /** Serve a different body (headers match that body; the X-Linked-ETag stays the real one). */
  | { kind: 'body'; content: Buffer; times?: number }
  /** Send `bytes` bytes chunked, with no Content-Length (a server trying to fill the disk). */
  | { kind: 'flood'; bytes: number; times?: number };

export interface FakeHubRequest {
  url: string;
  route: 'resolve' | 'cdn' | 'other';
  file?: string;
  range?: string;
  ifRange?: string;
  authorization?: string;
  status: number;
  bytesSent: number;
}

export interface FakeHubOptions {
  /** repo ("owner/name") → path → file. */
  repos: Record<string, Record<string, Buffer | FakeHubFile>>;
  /** When set, resolve requests need `Authorization: Bearer <token>`. */
  token?: string;
  /** Serve the CDN from a second server (another origin), as the real hub does. */
  separateCdn?: boolean;
  /** Send file bodies at about this many bytes per second (so a UI can show a download in progress). */
  bytesPerSecond?: number;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const gitSha1 = (b: Buffer) => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');

export class FakeHub {
  readonly requests: FakeHubRequest[] = [];
  private readonly failures = new Map<string, FakeHubFailure[]>();
  private readonly byKey = new Map<string, { repo: string; path: string; file: FakeHubFile }>();
  private readonly bySha = new Map<string, string>();
  private hub!: Server;
  private cdn?: Server;
  url = '';
  cdnUrl = '';

  private constructor(private readonly options: FakeHubOptions) {
    for (const [repo, files] of Object.entries(options.repos)) {
      for (const [path, f] of Object.entries(files)) {
        const file = Buffer.isBuffer(f) ? { content: f, lfs: f.length > 1024 } : { lfs: f.content.length > 1024, ...f };
        const key = `${repo}/${path}`;
        this.byKey.set(key, { repo, path, file });
        this.bySha.set(sha256(file.content), key);
      }
    }
  }

  static async start(options: FakeHubOptions): Promise<FakeHub> {
    const hub = new FakeHub(options);
    hub.hub = await listen((req, res) => hub.handle(req, res, false));
    hub.url = `http://127.0.0.1:${(hub.hub.address() as AddressInfo).port}`;
    if (options.separateCdn) {
      hub.cdn = await listen((req, res) => hub.handle(req, res, true));
      hub.cdnUrl = `http://127.0.0.1:${(hub.cdn.address() as AddressInfo).port}`;
    } else hub.cdnUrl = hub.url;
    return hub;
  }

  /** Script a failure for `repo/path`; each applies `times` times (default 1), in order. */
  fail(repo: string, path: string, failure: FakeHubFailure): void {
    const key = `${repo}/${path}`;
    this.failures.set(key, [...(this.failures.get(key) ?? []), failure]);
  }

  /** The file changes on the "hub" (a new commit): new content, new ETags. */
  replace(repo: string, path: string, content: Buffer): void {
    const key = `${repo}/${path}`;
    const entry = this.byKey.get(key)!;
    entry.file = { ...entry.file, content };
    this.bySha.set(sha256(content), key);
  }

  sha256Of(repo: string, path: string): string {
    return sha256(this.byKey.get(`${repo}/${path}`)!.file.content);
  }

  /** Requests that carried file bytes for `path` (resolve or CDN). */
  bodyRequests(path: string): FakeHubRequest[] {
    return this.requests.filter((r) => r.file === path && r.bytesSent > 0);
  }

  async close(): Promise<void> {
    for (const s of [this.hub, this.cdn]) {
      if (!s) continue;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }

  private takeFailure(key: string): FakeHubFailure | undefined {
    const list = this.failures.get(key);
    const f = list?.[0];
    if (!f) return undefined;
    const left = (f.times ?? 1) - 1;
    if (left <= 0) list!.shift();
    else list![0] = { ...f, times: left };
    return f;
  }

  private handle(req: IncomingMessage, res: ServerResponse, isCdn: boolean): void {
    const ifRange = req.headers['if-range'] as string | undefined;
    const log: FakeHubRequest = { url: req.url ?? '', route: 'other', range: req.headers.range, ifRange, authorization: req.headers.authorization, status: 0, bytesSent: 0 };
    this.requests.push(log);
    const end = (status: number, headers: Record<string, string> = {}, body = '') => {
      log.status = status;
      res.writeHead(status, headers).end(body);
    };
    const url = new URL(req.url ?? '/', 'http://x');
    const cdn = /^\/cdn\/([0-9a-f]{64})$/.exec(url.pathname);
    if (cdn && (isCdn || !this.cdn)) {
      log.route = 'cdn';
      const key = this.bySha.get(cdn[1]!);
      if (!key) return end(404);
      const { path, file } = this.byKey.get(key)!;
      log.file = path;
      // An old sha's CDN path is gone once the file was replaced.
      if (sha256(file.content) !== cdn[1]) return end(404);
      return this.serve(req, res, log, key, file, file.etag === false ? {} : { etag: `"${cdn[1]}"` });
    }
    const m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (!m || isCdn) return end(404, {}, 'not found');
    log.route = 'resolve';
    const [, repo, , rawPath] = m;
    const path = rawPath!.split('/').map(decodeURIComponent).join('/');
    log.file = path;
    if (this.options.token && req.headers.authorization !== `Bearer ${this.options.token}`) {
      return end(401, { 'x-error-code': 'GatedRepo' }, 'Access to this repository is restricted.');
    }
    const key = `${repo}/${path}`;
    const entry = this.byKey.get(key);
    if (!entry) return end(404, { 'x-error-code': 'EntryNotFound' }, 'Entry not found');
    if (entry.file.lfs) {
      const sha = sha256(entry.file.content);
      return end(302, {
        location: `${this.cdnUrl}/cdn/${sha}?file=${encodeURIComponent(path)}`,
        'x-linked-etag': `"${sha}"`,
        'x-linked-size': String(entry.file.content.length),
        etag: `"${gitSha1(entry.file.content)}"`,
      });
    }
    return this.serve(req, res, log, key, entry.file, entry.file.etag === false ? {} : { etag: `"${gitSha1(entry.file.content)}"` });
  }

  private serve(req: IncomingMessage, res: ServerResponse, log: FakeHubRequest, key: string, file: FakeHubFile, headers: Record<string, string>): void {
    const failure = this.takeFailure(key);
    if (failure?.kind === 'status') {
      log.status = failure.status;
      res.writeHead(failure.status).end();
      return;
    }
    if (failure?.kind === 'flood') return flood(res, log, failure.bytes);
    const content = failure?.kind === 'body' ? failure.content : file.content;
    const size = content.length;
    let start = 0;
    let last = size - 1;
    // If-Range: the range only if the validator still names this version, else the whole file.
    const ifRange = req.headers['if-range'];
    const current = headers.etag;
    const rangeHeader = ifRange !== undefined && ifRange !== current ? undefined : req.headers.range;
    const range = /^bytes=(\d+)-(\d*)$/.exec(rangeHeader ?? '');
    if (range) {
      start = Number(range[1]);
      if (range[2]) last = Math.min(Number(range[2]), size - 1);
      if (start >= size) {
        log.status = 416;
        res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
        return;
      }
    }
    const body = content.subarray(start, last + 1);
    log.status = range ? 206 : 200;
    res.writeHead(log.status, {
      ...headers,
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
      'content-length': String(body.length),
      ...(range ? { 'content-range': `bytes ${start}-${last}/${size}` } : {}),
    });
    if (failure?.kind === 'drop') {
      const part = body.subarray(0, failure.afterBytes);
      log.bytesSent = part.length;
      // Flush what we promised to send, then cut the socket as a dropped network would.
      res.write(part, () => setTimeout(() => res.destroy(), 20));
      return;
    }
    log.bytesSent = body.length;
    if (this.options.bytesPerSecond) return pace(res, body, this.options.bytesPerSecond);
    res.end(body);
  }
}

/** Sends `bytes` zero bytes as fast as the client takes them, chunked (no length); counts what left before the client hung up. */
function flood(res: ServerResponse, log: FakeHubRequest, bytes: number): void {
  log.status = 200;
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  const slice = Buffer.alloc(64 * 1024);
  const next = () => {
    while (!res.destroyed && log.bytesSent < bytes) {
      log.bytesSent += slice.length;
      if (!res.write(slice)) return void res.once('drain', next);
    }
    if (!res.destroyed) res.end();
  };
  next();
}

/** Writes the body in 64 KiB slices spaced to the given rate; stops if the client goes away. */
function pace(res: ServerResponse, body: Buffer, bytesPerSecond: number): void {
  const slice = 64 * 1024;
  let at = 0;
  const next = () => {
    if (res.destroyed) return;
    if (at >= body.length) return void res.end();
    const part = body.subarray(at, at + slice);
    at += part.length;
    res.write(part, () => setTimeout(next, (1000 * part.length) / bytesPerSecond));
  };
  next();
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return server;
}
