// Fetches one file of a hub repository into a .part file, resuming with Range,
// following the hub's redirect to its CDN, and checking size and checksum
// before the file is moved to its final path. A dropped connection is retried
// from where it stopped; a mismatch deletes the .part (resuming corrupt bytes
// would only fail again) and throws one line that says which file and why.
//
// - Resume: the .part keeps the strong ETag of the response it came from
//   (<part>.etag) and a resumed request sends it as If-Range, so a file that
//   changed on the server comes back whole (200) instead of being spliced onto
//   old bytes. A .part without one is fetched again from the start.
// - Size cap while streaming: a body is cut off, and its .part deleted, the
//   moment it passes the size the catalog or the server's headers gave (or
//   maxBytes when none did); a known size is checked against the free disk
//   space before the first byte is written.
// - Every file is verified: against the catalog's sha256, else the hub's
//   sha256 ETag (LFS files), else the hub's git blob sha1 ETag (small files);
//   a file with none of these is refused.
// - Durable: the .part is fsynced before its rename and the folder after.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { formatBytes } from '@core/format';
import { renameDurably, syncFile } from './durable';
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
  /** Most bytes accepted when neither the catalog nor the server says the size (default 32 GiB). */
  maxBytes?: number;
  /** Free bytes on the file system of a folder (tests fake a full disk); default: statfs. */
  freeSpace?: (dir: string) => Promise<number>;
  /** Called with bytes as they arrive; `total` once a header says it. */
  onBytes?: (delta: number) => void;
  onTotal?: (total: number) => void;
}

export type FetchFileResult = { status: 'ok'; file: Omit<InstalledFile, 'path'>; fetched: number } | { status: 'absent' };

const SHA256 = /^[0-9a-f]{64}$/;
const SHA1 = /^[0-9a-f]{40}$/;
const MAX_REDIRECTS = 5;
export const DEFAULT_MAX_FILE_BYTES = 32 * 2 ** 30;
/** Left free on the disk by a download whose size is known. */
const DISK_RESERVE_BYTES = 256 * 2 ** 20;

/** A failure that retrying the connection would not cure. */
class FetchFailure extends Error {}

/** The sha256 an LFS file's ETag carries (the hub's X-Linked-ETag, or the CDN's ETag). */
export function sha256FromEtag(value: string | null): string | undefined {
  if (!value) return undefined;
  const bare = value.replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
  return SHA256.test(bare) ? bare : undefined;
}

/** The git blob sha1 a small (non-LFS) file's ETag carries on the hub. */
export function gitSha1FromEtag(value: string | null): string | undefined {
  if (!value) return undefined;
  const bare = value.replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
  return SHA1.test(bare) ? bare : undefined;
}

interface Opened {
  res: Response;
  etagSha?: string;
  gitSha1?: string;
  linkedSize?: number;
}

/** GET with Range (and If-Range), following redirects by hand so the hub's X-Linked-* headers are seen. */
async function openStream(opts: FetchFileOptions, from: number, ifRange: string | undefined): Promise<Opened> {
  let url = opts.url;
  const origin = new URL(opts.url).origin;
  let etagSha: string | undefined;
  let linkedSize: number | undefined;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    // identity: sizes (Content-Length, Range offsets, the size cap) then count the file's own bytes, not a compressed stream's.
    const headers: Record<string, string> = { 'user-agent': 'egm-annotator', 'accept-encoding': 'identity' };
    if (from > 0) headers.range = `bytes=${from}-`;
    // Only these bytes of this version: a changed file is sent whole (200).
    if (from > 0 && ifRange) headers['if-range'] = ifRange;
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
    const fromHub = new URL(url).origin === origin;
    if (fromHub) etagSha ??= sha256FromEtag(res.headers.get('etag'));
    const gitSha1 = fromHub ? gitSha1FromEtag(res.headers.get('etag')) : undefined;
    return { res, etagSha, gitSha1, linkedSize };
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

/** Git's hash of a file's content ("blob <size>\0" + bytes), which the hub sends as a small file's ETag. */
async function gitBlobSha1(path: string, size: number): Promise<string> {
  const hash = createHash('sha1').update(`blob ${size}\0`);
  await hashFile(path, hash);
  return hash.digest('hex');
}

/** The ETag to resume a .part with (If-Range), saved beside it; weak ones cannot be used. */
const validatorPath = (partPath: string) => `${partPath}.etag`;

async function readValidator(partPath: string): Promise<string | undefined> {
  try {
    return (await readFile(validatorPath(partPath), 'utf8')).trim() || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function saveValidator(partPath: string, res: Response): Promise<void> {
  const etag = res.headers.get('etag');
  if (etag && !etag.startsWith('W/')) await writeFile(validatorPath(partPath), etag);
  else await rm(validatorPath(partPath), { force: true });
}

async function dropPart(partPath: string): Promise<void> {
  await rm(partPath, { force: true });
  await rm(validatorPath(partPath), { force: true });
}

async function statfsFree(dir: string): Promise<number> {
  const fs = await statfs(dir);
  return Number(fs.bavail) * Number(fs.bsize);
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
  let gitSha1: string | undefined;
  let linkedSize: number | undefined;
  // Hashed as it is written (one pass over the bytes); a resumed file hashes its .part first.
  let hash = createHash('sha256');
  for (let attempt = 0; ; attempt++) {
    let have = await sizeOf(opts.partPath);
    const validator = have > 0 ? await readValidator(opts.partPath) : undefined;
    // Longer than the file can be, or no ETag to prove the bytes are of the same version: start over.
    if (have > 0 && (validator === undefined || (opts.expectedSize !== undefined && have > opts.expectedSize))) {
      await dropPart(opts.partPath);
      if (have > 0) opts.onBytes?.(-have);
      have = 0;
    }
    let opened: Opened;
    try {
      opened = await openStream(opts, have, validator);
    } catch (err) {
      if (opts.signal?.aborted) throw new Error(`${opts.label}: download cancelled`);
      if ((err as Error).message.startsWith(opts.label) || attempt >= retries) throw new Error(`${opts.label}: ${describe(err)}`);
      continue; // could not connect: try again
    }
    const { res } = opened;
    etagSha ??= opened.etagSha;
    gitSha1 = opened.gitSha1 ?? gitSha1;
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
      await dropPart(opts.partPath);
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
      if (!m || Number(m[1]) !== have) {
        await res.body?.cancel();
        throw new Error(`${opts.label}: server answered an unexpected range '${res.headers.get('content-range')}'`);
      }
      if (m[2] !== '*') headerTotal = Number(m[2]);
      append = true;
    } else {
      const len = Number(res.headers.get('content-length'));
      if (res.headers.get('content-length') !== null && Number.isFinite(len)) headerTotal = len;
      // Range ignored, or If-Range did not match (the file changed): these bytes start the file again.
      if (have > 0) opts.onBytes?.(-have);
      await saveValidator(opts.partPath, res);
    }
    headerTotal ??= linkedSize;
    if (headerTotal !== undefined) opts.onTotal?.(headerTotal);
    // The size to hold the body to: the catalog's, else the hub's own record of the LFS file.
    const [want, wantFrom] = opts.expectedSize !== undefined ? [opts.expectedSize, 'catalog'] : [linkedSize, 'the hub (X-Linked-Size)'];
    if (want !== undefined && headerTotal !== undefined && headerTotal !== want) {
      await res.body?.cancel();
      await dropPart(opts.partPath);
      throw new Error(`${opts.label}: server says ${headerTotal} bytes, ${wantFrom} says ${want}`);
    }
    // No body may grow past what the catalog or the server said, or past maxBytes when neither did.
    const maxBytes = opts.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
    const [limit, limitFrom] =
      want !== undefined
        ? [want, `the size ${wantFrom} gives`]
        : headerTotal !== undefined
          ? [headerTotal, 'the size the server announced']
          : [maxBytes, `the ${formatBytes(maxBytes)} limit for a file of unknown size`];
    const start = append ? have : 0;
    if (want !== undefined || headerTotal !== undefined) await checkSpace(opts, limit - start, res);
    hash = createHash('sha256');
    if (append) await hashFile(opts.partPath, hash);
    const fh = await open(opts.partPath, append ? 'a' : 'w');
    let size = start;
    let failure: FetchFailure | null = null;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        if (size + chunk.byteLength > limit) throw new FetchFailure(`${opts.label}: server sent more than ${limit} bytes, ${limitFrom}; stopped and deleted the partial file`);
        await fh.write(chunk);
        hash.update(chunk);
        size += chunk.byteLength;
        fetched += chunk.byteLength;
        opts.onBytes?.(chunk.byteLength);
      }
      // A clean close before the announced length is a drop too.
      if (headerTotal !== undefined && size < headerTotal && attempt < retries) continue;
      break;
    } catch (err) {
      if (!(err instanceof FetchFailure)) {
        if (opts.signal?.aborted) throw new Error(`${opts.label}: download cancelled (partial file kept for resume)`);
        if (attempt >= retries) throw new Error(`${opts.label}: connection failed after ${attempt + 1} attempts (${describe(err)}); run again to resume`);
        // Dropped mid-file: loop and ask for the rest with Range.
      } else failure = err;
    } finally {
      await fh.close();
    }
    if (failure) {
      await dropPart(opts.partPath);
      throw new Error(failure.message);
    }
  }
  return await verifyAndInstall(opts, headerTotal, { etagSha, gitSha1 }, fetched, hash);
}

/** Refuses a body that would leave less than DISK_RESERVE_BYTES free where the .part is written. */
async function checkSpace(opts: FetchFileOptions, need: number, res: Response): Promise<void> {
  const dir = dirname(opts.partPath);
  const free = await (opts.freeSpace ?? statfsFree)(dir);
  if (free - need >= DISK_RESERVE_BYTES) return;
  await res.body?.cancel();
  throw new Error(`${opts.label}: needs ${formatBytes(need)} but only ${formatBytes(free)} is free in ${dir} (${formatBytes(DISK_RESERVE_BYTES)} is kept free); free some space and run again`);
}

async function verifyAndInstall(
  opts: FetchFileOptions,
  headerTotal: number | undefined,
  etags: { etagSha?: string; gitSha1?: string },
  fetched: number,
  hash: Hash,
): Promise<FetchFileResult> {
  const size = await sizeOf(opts.partPath);
  const [wantSize, sizeSource] = opts.expectedSize !== undefined ? [opts.expectedSize, 'catalog'] : [headerTotal, 'server'];
  if (wantSize !== undefined && size !== wantSize) {
    await dropPart(opts.partPath);
    throw new Error(`${opts.label}: got ${size} bytes, ${sizeSource} says ${wantSize}`);
  }
  const sha256 = hash.digest('hex');
  let verifiedBy: InstalledFile['verifiedBy'];
  if (opts.expectedSha256 || etags.etagSha) {
    const [wantSha, by] = opts.expectedSha256 ? [opts.expectedSha256, 'catalog' as const] : [etags.etagSha!, 'hub-etag' as const];
    if (sha256 !== wantSha) {
      await dropPart(opts.partPath);
      throw new Error(`${opts.label}: sha256 ${sha256.slice(0, 12)}… does not match ${by === 'catalog' ? 'the catalog' : "the hub's ETag"} ${wantSha.slice(0, 12)}…`);
    }
    verifiedBy = by;
  } else if (etags.gitSha1) {
    const sha1 = await gitBlobSha1(opts.partPath, size);
    if (sha1 !== etags.gitSha1) {
      await dropPart(opts.partPath);
      throw new Error(`${opts.label}: git sha1 ${sha1.slice(0, 12)}… does not match the hub's ETag ${etags.gitSha1.slice(0, 12)}…`);
    }
    verifiedBy = 'hub-git-sha1';
  } else {
    await dropPart(opts.partPath);
    throw new Error(`${opts.label}: cannot be verified (no sha256 in the catalog and no checksum ETag from the server); not installed`);
  }
  // The bytes reach the disk before the name that says the file is complete.
  await syncFile(opts.partPath);
  await mkdir(dirname(opts.finalPath), { recursive: true });
  await renameDurably(opts.partPath, opts.finalPath, dirname(opts.partPath), dirname(opts.finalPath));
  await rm(validatorPath(opts.partPath), { force: true });
  return { status: 'ok', file: { size, sha256, verifiedBy }, fetched };
}
