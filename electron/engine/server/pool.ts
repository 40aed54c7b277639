// A small FIFO concurrency pool: at most `limit` tasks run at once, the rest
// wait in order. A waiting task whose signal aborts leaves the queue at once
// (it never takes a slot), so cancelling a big batch is immediate.

export class PoolAbortError extends Error {
  constructor() {
    super('aborted while waiting for a free slot');
    this.name = 'PoolAbortError';
  }
}

export interface Pool {
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Takes a slot (waiting in order); resolves to the function that gives it back (once). */
  acquire(signal?: AbortSignal): Promise<() => void>;
  readonly active: number;
  readonly waiting: number;
  readonly limit: number;
}

export function createPool(limit: number): Pool {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`pool size must be a positive integer, got ${limit}`);
  let active = 0;
  const queue: Array<() => void> = [];

  const release = () => {
    active -= 1;
    const next = queue.shift();
    if (next) next();
  };

  const acquire = (signal?: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new PoolAbortError());
      if (active < limit) {
        active += 1;
        return resolve();
      }
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        active += 1;
        resolve();
      };
      const onAbort = () => {
        const index = queue.indexOf(grant);
        if (index >= 0) queue.splice(index, 1);
        reject(new PoolAbortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(grant);
    });

  return {
    async acquire(signal?: AbortSignal) {
      await acquire(signal);
      let released = false;
      return () => {
        if (!released) release();
        released = true;
      };
    },
    async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      await acquire(signal);
      try {
        return await task();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    limit,
  };
}
