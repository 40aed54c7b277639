// The model builder in a worker_thread (started by build-in-worker.ts): the
// builder is synchronous and minutes long, so it runs off the thread that
// serves the UI or the CLI's Ctrl-C. It posts progress (a few times a second)
// and one final 'done' or 'error'; the parent cancels by terminating it.
import { parentPort, workerData } from 'node:worker_threads';
import { buildModel, type BuildOptions } from './onnx-builder/build-model';

export type BuildWorkerMessage =
  | { type: 'progress'; bytesDone: number; bytesTotal: number; graph: string; dtype: string }
  | { type: 'done'; report: Awaited<ReturnType<typeof buildModel>> }
  | { type: 'error'; message: string };

const PROGRESS_EVERY_MS = 100;
const post = (m: BuildWorkerMessage) => parentPort!.postMessage(m);
const options = (workerData as { options: Omit<BuildOptions, 'onProgress' | 'signal'> }).options;
let lastAt = 0;

buildModel({
  ...options,
  onProgress: (p) => {
    const now = performance.now();
    if (now - lastAt < PROGRESS_EVERY_MS && p.bytesDone < p.bytesTotal) return;
    lastAt = now;
    post({ type: 'progress', ...p });
  },
}).then(
  (report) => post({ type: 'done', report }),
  (err: Error) => post({ type: 'error', message: String(err?.message ?? err).split('\n')[0]! }),
);
