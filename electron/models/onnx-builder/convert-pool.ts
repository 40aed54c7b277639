// The builder's tensor conversion, spread over worker_threads: the graph code
// reserves every weight's span first, then all of a build's jobs
// (tensor-jobs.ts) go here at once and run side by side, one per worker at a
// time, each worker taking the next job as it finishes one. Converting
// bf16 → fp16, transposing and quantising are CPU work that one thread
// cannot keep up with the disk on; reads and writes are positional, so the
// jobs need no order. threads = 0 runs the jobs on the calling thread (the
// same code; for comparison and where workers cannot start).
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../workers/start-worker';
import { runTensorJob, type JobResult, type TensorJob } from './tensor-jobs';
import type { ConvertReply } from './convert-worker';

/** Jobs hold one block (≤ 16 M values, ~200 MB with its conversions) in ArrayBuffers; their heaps stay small. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 };

/** Workers by default: one per core, at most four (past that the disk is the limit). */
export function defaultThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

interface Pending {
  id: number;
  job: TensorJob;
  resolve: (r: JobResult) => void;
  reject: (e: Error) => void;
}

export class ConvertPool {
  private readonly idle: Worker[] = [];
  private readonly workers: Worker[] = [];
  private readonly queue: Pending[] = [];
  private readonly running = new Map<Worker, Pending>();
  private nextId = 0;
  private failure: Error | null = null;
  private closed = false;

  constructor(private readonly threads = defaultThreads()) {}

  run(job: TensorJob): Promise<JobResult> {
    if (this.closed) return Promise.reject(new Error('model build: the conversion pool is closed'));
    if (this.failure) return Promise.reject(this.failure);
    if (this.threads === 0) {
      try {
        return Promise.resolve(runTensorJob(job));
      } catch (err) {
        return Promise.reject(err as Error);
      }
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length) {
      const worker = this.idle.pop() ?? (this.workers.length < this.threads ? this.start() : undefined);
      if (!worker) return;
      const task = this.queue.shift()!;
      this.running.set(worker, task);
      worker.postMessage({ id: task.id, job: task.job });
    }
  }

  private start(): Worker {
    const worker = startWorker('models/onnx-builder/convert-worker.ts', 'model-convert-worker.mjs', { resourceLimits: WORKER_LIMITS });
    this.workers.push(worker);
    worker.on('message', (reply: ConvertReply) => {
      const task = this.running.get(worker);
      this.running.delete(worker);
      this.idle.push(worker);
      if (task) {
        if ('error' in reply) task.reject(Object.assign(new Error(reply.error), reply.code ? { code: reply.code } : {}));
        else task.resolve(reply.result);
      }
      this.dispatch();
    });
    // A worker that dies (out of memory, a crash) fails the build: its job and every one waiting.
    const fail = (err: Error) => {
      if (this.closed) return;
      const e = err as NodeJS.ErrnoException;
      this.failure ??= new Error(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'model build: a conversion worker ran out of memory' : `model build: a conversion worker failed (${e.message.split('\n')[0]})`);
      this.running.get(worker)?.reject(this.failure);
      this.running.delete(worker);
      for (const task of this.queue.splice(0)) task.reject(this.failure);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    return worker;
  }

  /** Stops every worker (jobs still queued or running are rejected). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const cancelled = new Error('model build: cancelled');
    for (const task of this.queue.splice(0)) task.reject(cancelled);
    for (const task of this.running.values()) task.reject(cancelled);
    this.running.clear();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
