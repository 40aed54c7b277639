// Runs buildModel in a worker_thread (build-worker.ts) so a build of minutes
// never blocks the app's main process or the CLI: progress comes back as
// messages, and cancelling terminates the worker mid-tensor. The builder
// writes into a staging folder beside `out` and renames it last, so a
// terminated build leaves only that staging folder, which is removed here:
// nothing half-installed, the previous folder untouched. A cancelled build
// starts again from the first tensor (it takes minutes, not hours).
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ResourceLimits, Worker } from 'node:worker_threads';
import { startWorker } from '../workers/start-worker';
import type { BuildOptions, BuildProgress, BuildReport } from './onnx-builder/build-model';
import type { BuildWorkerMessage } from './build-worker';

export type WorkerBuildOptions = Omit<BuildOptions, 'onProgress' | 'signal'>;

/**
 * The build worker's heap: the graphs' structure and one tensor block at a
 * time need far less (weights live in ArrayBuffers, outside this limit, sized
 * from the checked safetensors shapes). A worker past it is stopped with
 * ERR_WORKER_OUT_OF_MEMORY and the build fails in one line; without a limit,
 * V8's out-of-memory handler aborts the whole process (the app, the CLI).
 */
export const BUILD_WORKER_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 64 };

/** The worker: build-worker.ts from source, dist/host/model-build-worker.mjs when bundled. */
function startBuildWorker(options: WorkerBuildOptions, resourceLimits: ResourceLimits): Worker {
  return startWorker('models/build-worker.ts', 'model-build-worker.mjs', { workerData: { options }, resourceLimits });
}

/** Removes what a terminated build left: its staging folder(s) beside `out`. */
export async function removeBuildLeftovers(out: string): Promise<void> {
  const parent = dirname(out);
  const prefix = `.${basename(out)}.building-`;
  const names = await readdir(parent).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(prefix)).map((n) => rm(join(parent, n), { recursive: true, force: true })));
}

export function buildInWorker(
  options: WorkerBuildOptions,
  {
    onProgress,
    signal,
    resourceLimits = BUILD_WORKER_LIMITS,
  }: { onProgress?: (p: BuildProgress) => void; signal?: AbortSignal; resourceLimits?: ResourceLimits } = {},
): Promise<BuildReport> {
  if (signal?.aborted) return Promise.reject(new Error('model build: cancelled'));
  return new Promise<BuildReport>((resolvePromise, reject) => {
    const worker = startBuildWorker(options, resourceLimits);
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    // A build that ended badly leaves its staging folder: remove it (stopping the
    // worker first when it still runs), then reject. A failed clean-up joins the
    // message instead of becoming an unhandled rejection.
    const failAfterCleanup = (message: string, { terminate }: { terminate: boolean }) =>
      finish(() => {
        const cleanUp = async () => {
          if (terminate) await worker.terminate();
          await removeBuildLeftovers(options.out);
        };
        cleanUp().then(
          () => reject(new Error(message)),
          (err: Error) => reject(new Error(`${message}; cleaning up failed: ${err.message}`)),
        );
      });
    const onAbort = () => failAfterCleanup('model build: cancelled (a new build starts from the beginning)', { terminate: true });
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: BuildWorkerMessage) => {
      if (m.type === 'progress') onProgress?.({ dtype: m.dtype as BuildProgress['dtype'], graph: m.graph, bytesDone: m.bytesDone, bytesTotal: m.bytesTotal });
      else if (m.type === 'done') finish(() => resolvePromise(m.report));
      else finish(() => reject(new Error(m.message)));
    });
    worker.on('error', (err: NodeJS.ErrnoException) => {
      const message =
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `model build: ran out of memory (the build's limit is ${resourceLimits.maxOldGenerationSizeMb ?? '?'} MB of heap); nothing was installed`
          : `model build: ${err.message.split('\n')[0]}`;
      failAfterCleanup(message, { terminate: false });
    });
    worker.on('exit', (code) => failAfterCleanup(`model build: the build worker stopped (exit code ${code})`, { terminate: false }));
  });
}
