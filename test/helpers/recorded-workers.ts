// node:worker_threads with every Worker started recorded (its workerData), for
// tests that check work runs off the thread that asked for it:
//   vi.mock('node:worker_threads', async (original) => recordedWorkers(await original(), (data) => started.push(data?.path)));
import type * as WorkerThreads from 'node:worker_threads';

export function recordedWorkers(wt: typeof WorkerThreads, record: (workerData: Record<string, unknown> | undefined) => void): typeof WorkerThreads {
  class RecordedWorker extends wt.Worker {
    constructor(file: string | URL, options?: WorkerThreads.WorkerOptions) {
      record(options?.workerData as Record<string, unknown> | undefined);
      super(file, options);
    }
  }
  return { ...wt, Worker: RecordedWorker, default: { ...wt, Worker: RecordedWorker } } as typeof WorkerThreads;
}
