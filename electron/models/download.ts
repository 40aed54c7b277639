// Downloads one catalog model (one dtype) from the Hugging Face hub and installs
// it atomically: files land in <destRoot>/.staging/<folder>/ (partials under
// .partial/), and only when every file has checked out does the folder move to
// <destRoot>/<folder>/ with its egm-model.json. A failed or cancelled run leaves
// the staging folder for the next run to resume, and nothing that looks
// installed. Every file is verified (fetch-file.ts) and fsynced before its
// rename; the folders that gain names are fsynced after (durable.ts). A model
// published as safetensors only (catalog status 'build') is fetched and built
// into ONNX instead (download-build.ts).
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hasSize } from './has-size';
import { dirname, join } from 'node:path';
import { bundledModelCatalog, findEntry, resolveDtype, type Catalog, type CatalogEntry, type CatalogFile } from './catalog';
import { renameDurably } from './durable';
import { fetchFile } from './fetch-file';
import { readManifest, writeManifest, type InstalledFile, type ModelManifest } from './manifest';
import { defaultModelsDir, modelDir, stagingDir } from './paths';
import { takeLock } from './lock';
import { ProgressTracker, type DownloadProgress } from './progress';
import type { BuildDtype } from './onnx-builder/layers';

export interface DownloadOptions {
  dtype?: string;
  destRoot?: string;
  endpoint?: string;
  token?: string;
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Defaults to the bundled models/catalog.json. */
  catalog?: Catalog;
  /** Defaults to process.env (HF_ENDPOINT, HF_TOKEN, EGM_MODELS_DIR). */
  env?: NodeJS.ProcessEnv;
  /** Attempts per file after a dropped connection. */
  retries?: number;
  /** Most bytes accepted for a file whose size neither the catalog nor the server gives (default 32 GiB). */
  maxFileBytes?: number;
  /** Free bytes on a folder's file system (tests fake a full disk); default: statfs. */
  freeSpace?: (dir: string) => Promise<number>;
  /** A model built locally (catalog status 'build'): keep its downloaded safetensors after the build. */
  keepSource?: boolean;
}

export interface DownloadResult {
  id: string;
  dtype: string;
  dir: string;
  files: InstalledFile[];
  absent: string[];
  /** Bytes fetched over the network in this run (0 when already installed). */
  fetchedBytes: number;
  alreadyInstalled: boolean;
}

export class DownloadError extends Error {
  override name = 'DownloadError';
}

/** `${endpoint}/${repo}/resolve/${revision}/${file}`, the hub's layout. */
export function resolveUrl(endpoint: string, repo: string, revision: string, file: string): string {
  const path = file.split('/').map(encodeURIComponent).join('/');
  return `${endpoint.replace(/\/+$/, '')}/${repo}/resolve/${encodeURIComponent(revision)}/${path}`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Per-file results already verified by an earlier, interrupted run of the same staging folder. */
async function readStagedProgress(staging: string): Promise<Record<string, InstalledFile>> {
  try {
    return JSON.parse(await readFile(join(staging, '.progress.json'), 'utf8')) as Record<string, InstalledFile>;
  } catch {
    return {}; // none yet (or unreadable): files are simply fetched again
  }
}

export async function downloadModel(catalogId: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const env = options.env ?? process.env;
  const catalog = options.catalog ?? bundledModelCatalog();
  const entry = findEntry(catalog, catalogId);
  if (entry.status === 'build') return downloadCheckpointAndBuild(entry, options);
  if (entry.status !== 'ready' || !('repo' in entry.source)) {
    throw new DownloadError(`${entry.id} has no ONNX files to download (${entry.status}); run: ${entry.exportCommand ?? 'egm model build <checkpoint> --out <dir>'}`);
  }
  const { repo, revision } = entry.source;
  const dtype = resolveDtype(entry, options.dtype);
  const files = entry.dtypes![dtype]!.files;
  const destRoot = options.destRoot ?? defaultModelsDir({ env });
  const endpoint = options.endpoint ?? (env.HF_ENDPOINT || 'https://huggingface.co');
  const token = options.token ?? (env.HF_TOKEN || undefined);
  const finalDir = modelDir(destRoot, entry.id);
  const staging = stagingDir(destRoot, entry.id);
  const fail = (reason: string) => new DownloadError(`${entry.id} (${dtype}): ${reason}`);

  const existing = await readManifest(finalDir).catch((err: Error) => {
    throw fail(err.message);
  });
  if (existing?.dtypes[dtype]) {
    const missing = [];
    for (const f of existing.dtypes[dtype].files) if (!(await exists(join(finalDir, f.path)))) missing.push(f.path);
    if (missing.length === 0) {
      const d = existing.dtypes[dtype];
      return { id: entry.id, dtype, dir: finalDir, files: d.files, absent: d.absent, fetchedBytes: 0, alreadyInstalled: true };
    }
  }
  // Files another dtype already installed (config, tokenizer) are reused when still on disk.
  const reusable = new Map<string, InstalledFile>();
  for (const d of Object.values(existing?.dtypes ?? {})) for (const f of d.files) reusable.set(f.path, f);

  await mkdir(join(staging, '.partial'), { recursive: true });
  const lock = await takeLock(`${staging}.lock`).catch((err: Error) => {
    throw fail(err.message);
  });
  try {
    return await fetchAndInstall({ entry, dtype, files, repo, revision, endpoint, token, finalDir, staging, existing, reusable, options, fail });
  } finally {
    await lock.release();
  }
}

/** A model published as safetensors only: fetch the checkpoint, then build the ONNX folder (download-build.ts). */
async function downloadCheckpointAndBuild(entry: CatalogEntry, options: DownloadOptions): Promise<DownloadResult> {
  const env = options.env ?? process.env;
  const { repo, revision } = entry.source as { repo: string; revision: string };
  const dtype = resolveDtype(entry, options.dtype);
  const endpoint = options.endpoint ?? (env.HF_ENDPOINT || 'https://huggingface.co');
  const fail = (reason: string) => new DownloadError(`${entry.id} (${dtype}): ${reason}`);
  const { downloadAndBuild } = await import('./download-build');
  const result = await downloadAndBuild({
    entry,
    dtype: dtype as BuildDtype,
    repo,
    revision,
    destRoot: options.destRoot ?? defaultModelsDir({ env }),
    resolve: (path) => resolveUrl(endpoint, repo, revision, path),
    token: options.token ?? (env.HF_TOKEN || undefined),
    signal: options.signal,
    retries: options.retries,
    maxFileBytes: options.maxFileBytes,
    freeSpace: options.freeSpace,
    keepSource: options.keepSource,
    onProgress: options.onProgress,
    fail,
  });
  return { id: entry.id, dtype, ...result, absent: [] };
}

interface Job {
  entry: CatalogEntry;
  dtype: string;
  files: CatalogFile[];
  repo: string;
  revision: string;
  endpoint: string;
  token: string | undefined;
  finalDir: string;
  staging: string;
  existing: ModelManifest | null;
  reusable: Map<string, InstalledFile>;
  options: DownloadOptions;
  fail: (reason: string) => DownloadError;
}

async function fetchAndInstall({ entry, dtype, files, repo, revision, endpoint, token, finalDir, staging, existing, reusable, options, fail }: Job): Promise<DownloadResult> {
  const staged = await readStagedProgress(staging);
  const tracker = new ProgressTracker();
  for (const f of files) tracker.setTotal(f.path, f.size ?? f.approxSize ?? 0);

  const installed: InstalledFile[] = [];
  const absent: string[] = [];
  let fetchedBytes = 0;
  for (const [index, f] of files.entries()) {
    const report = () => options.onProgress?.(tracker.snapshot(f.path, index, files.length));
    const known = reusable.get(f.path);
    if (known && (await hasSize(join(finalDir, f.path), known.size))) {
      tracker.setTotal(f.path, known.size);
      tracker.addExisting(known.size);
      installed.push(known);
      continue;
    }
    const prior = staged[f.path];
    if (prior && (await hasSize(join(staging, f.path), prior.size))) {
      tracker.setTotal(f.path, prior.size);
      tracker.addExisting(prior.size);
      installed.push(prior);
      continue;
    }
    const partPath = join(staging, '.partial', `${f.path}.part`);
    const partSize = await stat(partPath).then((s) => s.size, () => 0);
    tracker.addExisting(partSize);
    report();
    let result;
    try {
      result = await fetchFile({
        url: resolveUrl(endpoint, repo, revision, f.path),
        label: f.path,
        partPath,
        finalPath: join(staging, f.path),
        token,
        expectedSize: f.size,
        expectedSha256: f.sha256,
        optional: f.optional,
        signal: options.signal,
        retries: options.retries,
        maxBytes: options.maxFileBytes,
        freeSpace: options.freeSpace,
        onTotal: (total) => tracker.setTotal(f.path, total),
        onBytes: (delta) => {
          tracker.add(delta);
          report();
        },
      });
    } catch (err) {
      throw fail((err as Error).message);
    }
    if (result.status === 'absent') {
      tracker.setTotal(f.path, 0);
      absent.push(f.path);
      continue;
    }
    fetchedBytes += result.fetched;
    const file: InstalledFile = { path: f.path, ...result.file };
    installed.push(file);
    staged[f.path] = file;
    await writeFile(join(staging, '.progress.json'), JSON.stringify(staged));
  }

  const manifest: ModelManifest = existing ?? { format: 1, id: entry.id, source: `hub:${repo}@${revision}`, dtypes: {} };
  manifest.dtypes[dtype] = { installedAt: new Date().toISOString(), files: installed, absent };
  try {
    await install(staging, finalDir, manifest, installed, existing !== null);
  } catch (err) {
    throw fail(`install into ${finalDir} failed: ${(err as Error).message}`);
  }
  return { id: entry.id, dtype, dir: finalDir, files: installed, absent, fetchedBytes, alreadyInstalled: false };
}

async function install(staging: string, finalDir: string, manifest: ModelManifest, files: InstalledFile[], finalExists: boolean): Promise<void> {
  await rm(join(staging, '.partial'), { recursive: true, force: true });
  await rm(join(staging, '.progress.json'), { force: true });
  if (!finalExists && !(await exists(finalDir))) {
    // One rename: the folder appears complete, manifest included, or not at all.
    await writeManifest(staging, manifest);
    await mkdir(dirname(finalDir), { recursive: true });
    await renameDurably(staging, finalDir, dirname(staging), dirname(finalDir));
    return;
  }
  // Adding a dtype to an installed folder: move the new files in, then the
  // manifest last, so the new dtype only counts once all its files are there.
  for (const f of files) {
    const from = join(staging, f.path);
    if (!(await exists(from))) continue; // reused from the installed folder
    const to = join(finalDir, f.path);
    await mkdir(dirname(to), { recursive: true });
    await renameDurably(from, to, dirname(from), dirname(to));
  }
  await writeManifest(finalDir, manifest);
  await rm(staging, { recursive: true, force: true });
}
