// Fetches a Hugging Face Qwen3-VL checkpoint (config, tokenizer, chat template,
// the safetensors index and every shard it names) into a source folder, for
// the builder. Each file goes through fetchFile (resume with Range/If-Range,
// size cap, sha256/git-sha1 verification, fsync), and a file once verified is
// recorded in <dir>/.progress.json, so a run that stops (cancel, a dropped
// connection, a full disk) keeps every finished shard and resumes the one it
// was on. The architecture is checked as soon as config.json is in, before
// gigabytes of shards are fetched for a model the builder cannot make.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { hasSize } from './has-size';
import { join } from 'node:path';
import { readQwen3VlConfig } from './onnx-builder/qwen3vl-config';
import { fetchFile } from './fetch-file';
import type { InstalledFile } from './manifest';
import { ProgressTracker, type DownloadProgress } from './progress';

/** What a Qwen3-VL checkpoint holds besides its shards; optional ones may 404. */
export const CHECKPOINT_FILES: ReadonlyArray<{ path: string; optional?: boolean }> = [
  { path: 'config.json' },
  { path: 'generation_config.json', optional: true },
  { path: 'preprocessor_config.json', optional: true },
  { path: 'tokenizer.json' },
  { path: 'tokenizer_config.json' },
  { path: 'chat_template.jinja', optional: true },
  { path: 'chat_template.json', optional: true },
  { path: 'model.safetensors.index.json', optional: true },
];

export interface CheckpointFetchOptions {
  /** "owner/name" and revision on the hub; `resolve(path)` gives a file's URL. */
  resolve: (path: string) => string;
  dir: string;
  token?: string;
  signal?: AbortSignal;
  retries?: number;
  maxFileBytes?: number;
  freeSpace?: (dir: string) => Promise<number>;
  /** The catalog's estimate of the whole checkpoint, until the index and headers say better. */
  approxBytes?: number;
  onProgress?: (p: DownloadProgress) => void;
}

export interface CheckpointFetchResult {
  files: InstalledFile[];
  shards: string[];
  /** Bytes fetched over the network in this run. */
  fetchedBytes: number;
}

const SHARD_NAME = /^(?!\.)[\w.-]+\.safetensors$/;

/** The shards an index names (distinct, in order), refusing names that are not plain shard files. */
export function shardsOfIndex(text: string, where: string): string[] {
  let map: unknown;
  try {
    map = (JSON.parse(text) as { weight_map?: unknown }).weight_map;
  } catch (err) {
    throw new Error(`${where}: not JSON (${(err as Error).message.split('\n')[0]})`);
  }
  if (!map || typeof map !== 'object') throw new Error(`${where}: no weight_map`);
  const shards = [...new Set(Object.values(map as Record<string, unknown>))];
  const bad = shards.find((s) => typeof s !== 'string' || !SHARD_NAME.test(s));
  if (bad !== undefined) throw new Error(`${where}: '${String(bad)}' is not a shard file name`);
  if (!shards.length) throw new Error(`${where}: weight_map is empty`);
  return shards as string[];
}

async function readStaged(dir: string): Promise<Record<string, InstalledFile>> {
  try {
    return JSON.parse(await readFile(join(dir, '.progress.json'), 'utf8')) as Record<string, InstalledFile>;
  } catch {
    return {}; // none yet (or unreadable): files are simply fetched again
  }
}

export async function fetchCheckpoint(o: CheckpointFetchOptions): Promise<CheckpointFetchResult> {
  await mkdir(join(o.dir, '.partial'), { recursive: true });
  const staged = await readStaged(o.dir);
  const tracker = new ProgressTracker();
  tracker.setTotal('(estimate)', o.approxBytes ?? 0);
  const files: InstalledFile[] = [];
  let fetchedBytes = 0;
  let count = CHECKPOINT_FILES.length + 1;
  // The estimate covers the whole checkpoint: each small file's real size is taken out of it as it becomes known.
  const smallSizes = new Map<string, number>();
  const setSize = (path: string, bytes: number) => {
    tracker.setTotal(path, bytes);
    if (!path.endsWith('.safetensors')) {
      smallSizes.set(path, bytes);
      const known = [...smallSizes.values()].reduce((a, b) => a + b, 0);
      tracker.setTotal('(estimate)', Math.max(0, (o.approxBytes ?? 0) - known));
    }
  };
  let index = 0;

  const fetchOne = async (path: string, optional: boolean): Promise<boolean> => {
    const i = index++;
    const report = () => o.onProgress?.(tracker.snapshot(path, i, count));
    const prior = staged[path];
    if (prior && (await hasSize(join(o.dir, path), prior.size))) {
      setSize(path, prior.size);
      tracker.addExisting(prior.size);
      files.push(prior);
      report();
      return true;
    }
    const partPath = join(o.dir, '.partial', `${path}.part`);
    tracker.addExisting(await stat(partPath).then((s) => s.size, () => 0));
    report();
    const result = await fetchFile({
      url: o.resolve(path),
      label: path,
      partPath,
      finalPath: join(o.dir, path),
      token: o.token,
      optional,
      signal: o.signal,
      retries: o.retries,
      maxBytes: o.maxFileBytes,
      freeSpace: o.freeSpace,
      onTotal: (total) => setSize(path, total),
      onBytes: (delta) => {
        tracker.add(delta);
        report();
      },
    });
    if (result.status === 'absent') return false;
    fetchedBytes += result.fetched;
    const file: InstalledFile = { path, ...result.file };
    files.push(file);
    staged[path] = file;
    await writeFile(join(o.dir, '.progress.json'), JSON.stringify(staged));
    return true;
  };

  let hasIndex = false;
  for (const f of CHECKPOINT_FILES) {
    const got = await fetchOne(f.path, f.optional ?? false);
    if (f.path === 'model.safetensors.index.json') hasIndex = got;
    if (f.path === 'config.json') readQwen3VlConfig(o.dir); // another architecture stops here, before any shard
  }
  let shards = ['model.safetensors'];
  let shardBytes = o.approxBytes ?? 0;
  if (hasIndex) {
    const where = join(o.dir, 'model.safetensors.index.json');
    const text = await readFile(where, 'utf8');
    shards = shardsOfIndex(text, where);
    const total = Number((JSON.parse(text) as { metadata?: { total_size?: unknown } }).metadata?.total_size);
    if (Number.isFinite(total) && total > 0) shardBytes = total;
  }
  count = CHECKPOINT_FILES.length + shards.length;
  // Until a shard's own headers say its size, each counts as an equal part of the whole.
  tracker.setTotal('(estimate)', 0);
  for (const s of shards) tracker.setTotal(s, staged[s]?.size ?? Math.round(shardBytes / shards.length));
  for (const s of shards) await fetchOne(s, false);
  return { files, shards, fetchedBytes };
}
