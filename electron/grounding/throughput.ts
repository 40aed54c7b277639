// Items answered per second over the last minute, and the ETA that follows
// from it. The batch records an item when its answer is in (issue 18: counting
// requests, two per item with both box kinds, read 2.3/s while items finished
// at 1.2/s; and items skipped at once would make any rate meaningless).
// Completion times are kept in a ring of the last 60 s only, so a long batch
// keeps a bounded memory and its rate follows the server's current speed.
// Also the batch's request limit (createLimit).
import { createPool } from '../engine/server/pool';

const WINDOW_MS = 60_000;

export class ThroughputMeter {
  #times: number[] = [];
  #head = 0;

  constructor(
    private readonly startedAt: number,
    private readonly now: () => number = Date.now,
  ) {}

  record(count = 1): void {
    const at = this.now();
    for (let i = 0; i < count; i++) this.#times.push(at);
  }

  /** Events per second over the last minute (or since the start, when younger). */
  rate(): number {
    const now = this.now();
    while (this.#head < this.#times.length && this.#times[this.#head]! < now - WINDOW_MS) this.#head++;
    if (this.#head > 1024) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
    const span = Math.min(WINDOW_MS, now - this.startedAt);
    const count = this.#times.length - this.#head;
    return span > 0 ? (count * 1000) / span : 0;
  }

  /** Seconds left for this many more events at the current rate; null until there is a rate. */
  eta(remaining: number): number | null {
    if (remaining <= 0) return 0;
    const rate = this.rate();
    return rate > 0 ? remaining / rate : null;
  }
}

/**
 * A counting semaphore as a wrapper: at most `size` runs at once, the rest wait
 * in order. The server backend's pool does the counting (one implementation):
 * a finishing run hands its slot straight to the next waiter, so a caller
 * arriving in between cannot take it too and exceed the size.
 */
export function createLimit(size: number): <T>(run: () => Promise<T>) => Promise<T> {
  const pool = createPool(size);
  return (run) => pool.run(run);
}
