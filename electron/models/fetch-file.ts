// Fetches one file of a hub repository into a .part file, resuming with Range,
// following the hub's redirect to its CDN, and checking size and sha256 before
// the file is moved to its final path. A dropped connection is retried from
// where it stopped; a mismatch deletes the .part (resuming corrupt bytes would
// only fail again) and throws one line that says which file and why.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { InstalledFile } from './manifest';

export interface FetchFileOptions {
  /** The hub's resolve URL of the file. */
  url: string;
  /** Name shown in messages (the file's path in the repository). */
  label: string;
  partPath: string;
  finalPath: string;
  token?: string;
  expectedSize?: number;
  expectedSha256?: string;
  optional?: boolean;
  signal?: AbortSignal;
  /** Attempts after a connection drops mid-file (default 3). */
  retries?: number;
  /** Called with bytes as they arrive; `total` once a header says it. */
  onBytes?: (delta: number) => void;
  onTotal?: (total: number) => void;
}

export type FetchFileResult = { status: 'ok'; file: Omit<InstalledFile, 'path'>; fetched: number } | { status: 'absent' };

const SHA256 = /^[0-9a-f]{64}$/;
const MAX_REDIRECTS = 5;

/** The sha256 an LFS file's ETag carries (the hub's X-Linked-ETag, or the CDN's ETag). */
export function sha256FromEtag(value: string | null): string | undefined {
  if (!value) return undefined;
  const bare = value.replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
  return SHA256.test(bare) ? bare : undefined;
}

interface Opened {
  res: Response;
  etagSha?: string;
  linkedSize?: number;
}

/** GET with Range, following redirects by hand so the hub's X-Linked-* headers are seen. */
async function openStream(opts: FetchFileOptions, from: number): Promise<Opened> {
  let url = opts.url;
  const origin = new URL(opts.url).origin;
  let etagSha: string | undefined;
  let linkedSize: number | undefined;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers: Record<string, string> = { 'user-agent': 'egm-annotator' };
    if (from > 0) headers.range = `bytes=${from}-`;
    // The token goes to the hub only: a CDN on another host must not see it.
    if (opts.token && new URL(url).origin === origin) headers.authorization = `Bearer ${opts.token}`;
    const res = await fetch(url, { headers, redirect: 'manual', signal: opts.signal });
    etagSha ??= sha256FromEtag(res.headers.get('x-linked-etag'));
    const xs = Number(res.headers.get('x-linked-size'));
    if (linkedSize === undefined && Number.isFinite(xs) && xs > 0) linkedSize = xs;
    if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      await res.body?.cancel();
      url = new URL(res.headers.get('location')!, url).toString();
      continue;
    }
    // A plain ETag counts only from the hub itself: a CDN's 64-hex ETag may be another hash (Xet).
    if (new URL(url).origin === origin) etagSha ??= sha256FromEtag(res.headers.get('etag'));
    return { res, etagSha, linkedSize };
  }
  throw new Error(`${opts.label}: more than ${MAX_REDIRECTS} redirects`);
}

/** undici hides the socket error in `cause`; the one line should name it. */
function describe(err: unknown): string {
  const e = err as Error & { cause?: Error & { code?: string } };
  const cause = e.cause ? `: ${e.cause.code ?? e.cause.message}` : '';
  return `${e.message}${cause}`.split('\n')[0]!;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

async function hashFile(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

function httpReason(label: string, res: Response, url: string): string {
  const host = new URL(url).host;
  if (res.status === 401 || res.status === 403) return `${label}: HTTP ${res.status} from ${host} (gated or private repository? set HF_TOKEN)`;
  return `${label}: HTTP ${res.status} from ${host}`;
}

export async function fetchFile(opts: FetchFileOptions): Promise<FetchFileResult> {
  await mkdir(dirname(opts.partPath), { recursive: true });
  const retries = opts.retries ?? 3;
  let fetched = 0;
  let headerTotal: number | undefined;
  let etagSha: string | undefined;
  let linkedSize: number | undefined;
  // Hashed as it is written (one pass over the bytes); a resumed file hashes its .part first.
  let hash = createHash('sha256');
  for (let attempt = 0; ; attempt++) {
    let have = await sizeOf(opts.partPath);
    if (opts.expectedSize !== undefined && have > opts.expectedSize) {
      await rm(opts.partPath, { force: true }); // longer than the file can be: start over
      have = 0;
    }
    let opened: Opened;
    try {
      opened = await openStream(opts, have);
    } catch (err) {
      if (opts.signal?.aborted) throw new Error(`${opts.label}: download cancelled`);
      if ((err as Error).message.startsWith(opts.label) || attempt >= retries) throw new Error(`${opts.label}: ${describe(err)}`);
      continue; // could not connect: try again
    }
    const { res } = opened;
    etagSha ??= opened.etagSha;
    linkedSize ??= opened.linkedSize;
    if (res.status === 404 && opts.optional) {
      await res.body?.cancel();
      return { status: 'absent' };
    }
    if (res.status === 416 && have > 0) {
      // Range past the end: the .part is complete or stale; check the whole length it claims.
      const total = Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1]);
      await res.body?.cancel();
      if (total === have) {
        headerTotal = total;
        hash = createHash('sha256');
        await hashFile(opts.partPath, hash);
        break;
      }
      await rm(opts.partPath, { force: true });
      continue;
    }
    if (res.status !== 200 && res.status !== 206) {
      await res.body?.cancel();
      if (res.status >= 500 && attempt < retries) continue; // the hub's occasional 5xx passes
      throw new Error(httpReason(opts.label, res, opts.url));
    }
    let append = false;
    if (res.status === 206) {
      const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
      if (!m || Number(m[1]) !== have) throw new Error(`${opts.label}: server answered an unexpected range '${res.headers.get('content-range')}'`);
      if (m[2] !== '*') headerTotal = Number(m[2]);
      append = true;
    } else {
      const len = Number(res.headers.get('content-length'));
      if (res.headers.get('content-length') !== null && Number.isFinite(len)) headerTotal = len;
    }
    headerTotal ??= linkedSize;
    if (headerTotal !== undefined) opts.onTotal?.(headerTotal);
    if (!append && have > 0) opts.onBytes?.(-have); // server ignored Range: those bytes come again
    // The size to hold the body to: the catalog's, else the hub's own record of the LFS file.
    const [want, wantFrom] = opts.expectedSize !== undefined ? [opts.expectedSize, 'catalog'] : [linkedSize, 'the hub (X-Linked-Size)'];
    if (want !== undefined && headerTotal !== undefined && headerTotal !== want) {
      await res.body?.cancel();
      await rm(opts.partPath, { force: true });
      throw new Error(`${opts.label}: server says ${headerTotal} bytes, ${wantFrom} says ${want}`);
    }
    hash = createHash('sha256');
    if (append) await hashFile(opts.partPath, hash);
    const fh = await open(opts.partPath, append ? 'a' : 'w');
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        await fh.write(chunk);
        hash.update(chunk);
        fetched += chunk.byteLength;
        opts.onBytes?.(chunk.byteLength);
      }
      // A clean close before the announced length is a drop too.
      if (headerTotal !== undefined && (await sizeOf(opts.partPath)) < headerTotal && attempt < retries) continue;
      break;
    } catch (err) {
      if (opts.signal?.aborted) throw new Error(`${opts.label}: download cancelled (partial file kept for resume)`);
      if (attempt >= retries) throw new Error(`${opts.label}: connection failed after ${attempt + 1} attempts (${describe(err)}); run again to resume`);
      // Dropped mid-file: loop and ask for the rest with Range.
    } finally {
      await fh.close();
    }
  }
  return await verifyAndInstall(opts, headerTotal, etagSha, fetched, hash);
}

async function verifyAndInstall(opts: FetchFileOptions, headerTotal: number | undefined, etagSha: string | undefined, fetched: number, hash: Hash): Promise<FetchFileResult> {
  const size = await sizeOf(opts.partPath);
  const [wantSize, sizeSource] = opts.expectedSize !== undefined ? [opts.expectedSize, 'catalog'] : [headerTotal, 'server'];
  if (wantSize !== undefined && size !== wantSize) {
    await rm(opts.partPath, { force: true });
    throw new Error(`${opts.label}: got ${size} bytes, ${sizeSource} says ${wantSize}`);
  }
  const sha256 = hash.digest('hex');
  const [wantSha, verifiedBy] = opts.expectedSha256 ? [opts.expectedSha256, 'catalog' as const] : etagSha ? [etagSha, 'hub-etag' as const] : [undefined, 'computed' as const];
  if (wantSha && sha256 !== wantSha) {
    await rm(opts.partPath, { force: true });
    throw new Error(`${opts.label}: sha256 ${sha256.slice(0, 12)}… does not match ${verifiedBy === 'catalog' ? 'the catalog' : "the hub's ETag"} ${wantSha.slice(0, 12)}…`);
  }
  await mkdir(dirname(opts.finalPath), { recursive: true });
  await rename(opts.partPath, opts.finalPath);
  return { status: 'ok', file: { size, sha256, verifiedBy }, fetched };
}
