// Download + build for a catalog model published as safetensors only (status
// 'build', e.g. nvidia/EGM-4B): the checkpoint is fetched into
// <models>/.sources/<folder>/ (resumable per shard: finished shards are kept
// across runs), then built in a worker_thread into <models>/.staging/ and
// moved into <models>/<folder>/ with its egm-model.json last. Progress comes
// in two phases ('download', then 'build': bytes of weights converted, with
// rate and ETA). A cancelled or failed build leaves no half-built folder and
// the shards in place; a new build starts from the beginning (minutes). The
// shards are deleted once the build is installed, unless keepSource is set.
import { mkdir, rm } from 'node:fs/promises';
import { hasSize } from './has-size';
import { dirname, join } from 'node:path';
import type { BuildDtype } from './onnx-builder/layers';
import { buildInWorker, removeBuildLeftovers } from './build-in-worker';
import type { CatalogEntry } from './catalog';
import { fetchCheckpoint } from './checkpoint-download';
import { renameDurably } from './durable';
import { takeLock } from './lock';
import { readManifest, writeManifest, type ModelManifest } from './manifest';
import { modelDir, modelFolderName, stagingDir } from './paths';
import { ProgressTracker, type DownloadProgress } from './progress';

export interface BuildJob {
  entry: CatalogEntry;
  dtype: BuildDtype;
  repo: string;
  revision: string;
  destRoot: string;
  resolve: (path: string) => string;
  token?: string;
  signal?: AbortSignal;
  retries?: number;
  maxFileBytes?: number;
  freeSpace?: (dir: string) => Promise<number>;
  /** Keep the downloaded safetensors after a successful build (default: delete them). */
  keepSource?: boolean;
  onProgress?: (p: DownloadProgress) => void;
  fail: (reason: string) => Error;
}

export interface BuildJobResult {
  dir: string;
  files: ModelManifest['dtypes'][string]['files'];
  fetchedBytes: number;
  alreadyInstalled: boolean;
}

/** A cancel that says which step stopped (a download resumes; a build starts over), for callers to pass on as is. */
function cancelled(job: BuildJob, reason: string): Error {
  return Object.assign(job.fail(reason), { cancelledStep: true });
}

/** Where a model's checkpoint is downloaded before the build (a dot folder: never listed as installed). */
function sourceDir(destRoot: string, id: string): string {
  return join(destRoot, '.sources', modelFolderName(id));
}

async function installedFiles(finalDir: string, dtype: string): Promise<ModelManifest['dtypes'][string]['files'] | null> {
  const manifest = await readManifest(finalDir);
  const d = manifest?.dtypes[dtype];
  if (!d) return null;
  for (const f of d.files) if (!(await hasSize(join(finalDir, f.path), f.size))) return null;
  return d.files;
}

export async function downloadAndBuild(job: BuildJob): Promise<BuildJobResult> {
  const { entry, dtype, destRoot, fail } = job;
  const finalDir = modelDir(destRoot, entry.id);
  const have = await installedFiles(finalDir, dtype).catch((err: Error) => {
    throw fail(err.message);
  });
  if (have) return { dir: finalDir, files: have, fetchedBytes: 0, alreadyInstalled: true };

  const src = sourceDir(destRoot, entry.id);
  await mkdir(src, { recursive: true });
  const lock = await takeLock(`${src}.lock`).catch((err: Error) => {
    throw fail(err.message);
  });
  try {
    const fetched = await fetchCheckpoint({
      resolve: job.resolve,
      dir: src,
      token: job.token,
      signal: job.signal,
      retries: job.retries,
      maxFileBytes: job.maxFileBytes,
      freeSpace: job.freeSpace,
      approxBytes: entry.approxSourceSize,
      onProgress: (p) => job.onProgress?.({ ...p, phase: 'download' }),
    }).catch((err: Error) => {
      if (job.signal?.aborted) throw cancelled(job, 'download cancelled (finished shards and the partial one are kept; downloading again resumes)');
      throw fail(err.message);
    });
    const files = await buildAndInstall(job, src, finalDir);
    if (!job.keepSource) await rm(src, { recursive: true, force: true });
    return { dir: finalDir, files, fetchedBytes: fetched.fetchedBytes, alreadyInstalled: false };
  } finally {
    await lock.release();
  }
}

/** Builds into <models>/.staging/<folder>.build, then installs it: one rename, or (another dtype already there) files first and manifest last. */
async function buildAndInstall(job: BuildJob, src: string, finalDir: string): Promise<ModelManifest['dtypes'][string]['files']> {
  const { entry, dtype, fail } = job;
  const out = `${stagingDir(job.destRoot, entry.id)}.build`;
  await rm(out, { recursive: true, force: true });
  await removeBuildLeftovers(out);
  const tracker = new ProgressTracker();
  let seen = 0;
  try {
    await buildInWorker(
      { source: src, out, dtypes: [dtype], id: entry.id },
      {
        signal: job.signal,
        onProgress: (p) => {
          tracker.setTotal('weights', p.bytesTotal);
          tracker.add(p.bytesDone - seen);
          seen = p.bytesDone;
          job.onProgress?.({ ...tracker.snapshot(`building ${p.graph} (${p.dtype})`, 0, 1), phase: 'build' });
        },
      },
    );
  } catch (err) {
    await rm(out, { recursive: true, force: true });
    if (job.signal?.aborted) throw cancelled(job, 'build cancelled (the downloaded shards are kept; a new build starts from the beginning and takes minutes)');
    throw fail((err as Error).message);
  }
  try {
    const built = (await readManifest(out))!;
    const previous = await readManifest(finalDir).catch(() => null);
    const source = `build:hub:${job.repo}@${job.revision}`;
    if (!previous) {
      await writeManifest(out, { ...built, source });
      await mkdir(dirname(finalDir), { recursive: true });
      await renameDurably(out, finalDir, dirname(out), dirname(finalDir));
    } else {
      // Another dtype is installed: bring this dtype's graphs in, then the manifest that makes them count.
      for (const f of built.dtypes[dtype]!.files) {
        if (!f.path.startsWith('onnx/')) continue; // support files are the same for every dtype
        await mkdir(join(finalDir, 'onnx'), { recursive: true });
        await renameDurably(join(out, f.path), join(finalDir, f.path), join(out, 'onnx'), join(finalDir, 'onnx'));
      }
      await writeManifest(finalDir, { ...previous, source, dtypes: { ...previous.dtypes, [dtype]: built.dtypes[dtype]! } });
      await rm(out, { recursive: true, force: true });
    }
    return built.dtypes[dtype]!.files;
  } catch (err) {
    await rm(out, { recursive: true, force: true });
    const e = err as NodeJS.ErrnoException;
    throw fail(e.code === 'ENOSPC' ? `the disk is full installing into ${finalDir}; nothing was installed` : `install into ${finalDir} failed: ${e.message}`);
  }
}
