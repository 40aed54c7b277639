// One worker_thread of the builder's conversion pool (convert-pool.ts): runs
// the tensor jobs it is sent, one at a time, and answers each with its result
// or its error (one line, and the errno code, so a full disk still reads as one).
import { parentPort } from 'node:worker_threads';
import { runTensorJob, type TensorJob } from './tensor-jobs';

export type ConvertReply = { id: number; result: ReturnType<typeof runTensorJob> } | { id: number; error: string; code?: string };

parentPort!.on('message', ({ id, job }: { id: number; job: TensorJob }) => {
  let reply: ConvertReply;
  try {
    reply = { id, result: runTensorJob(job) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    reply = { id, error: String(e?.message ?? e).split('\n')[0]!, ...(e?.code ? { code: e.code } : {}) };
  }
  parentPort!.postMessage(reply);
});
