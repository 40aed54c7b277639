// One job in a fresh worker_thread (start-worker.ts), for work that would
// block the thread it is asked from — Electron main serving the window: the
// worker gets its input as workerData, posts one answer (workerAnswer), and is
// ended. Rejects with the worker's one-line error, whose name is kept (a
// CocoFormatError stays one), or with why the worker stopped.
import { parentPort, type ResourceLimits } from 'node:worker_threads';
import { startWorker } from './start-worker';

export type WorkerAnswer<T> = { type: 'done'; value: T } | { type: 'error'; name: string; message: string };

/** Posts the one answer from inside the worker: `job`'s value (transferring `transfer` of it), or its error's one line. */
export function workerAnswer<T>(job: Promise<T>, transfer: (value: T) => ArrayBuffer[] = () => []): void {
  job.then(
    (value) => parentPort!.postMessage({ type: 'done', value } satisfies WorkerAnswer<T>, transfer(value)),
    (err: unknown) =>
      parentPort!.postMessage({
        type: 'error',
        name: err instanceof Error ? err.name : 'Error',
        message: String((err as Error)?.message ?? err).split('\n')[0]!,
      } satisfies WorkerAnswer<T>),
  );
}

/** Runs the worker `entry` (bundled as `bundle`) on `workerData` and resolves with its one answer. */
export function runWorkerOnce<T>(entry: string, bundle: string, workerData: Record<string, unknown>, resourceLimits: ResourceLimits, what: string): Promise<T> {
  return new Promise((resolveValue, reject) => {
    const worker = startWorker(entry, bundle, { workerData, resourceLimits });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: WorkerAnswer<T>) =>
      settle(() => {
        if (m.type === 'done') return resolveValue(m.value);
        const err = new Error(m.message);
        err.name = m.name;
        reject(err);
      }),
    );
    worker.on('error', (err) => settle(() => reject(new Error(`${what}: ${String(err.message).split('\n')[0]}`))));
    worker.on('exit', (code) => settle(() => reject(new Error(`${what} stopped (exit code ${code})`))));
  });
}
