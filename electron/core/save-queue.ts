// Continuous autosave: every edit becomes one store call, run strictly in
// order (a later update must not overtake the create it refers to). When a
// call fails the queue stops at that call and keeps it and everything after
// it, so nothing is lost; retry() runs it again. Pure: no DOM, no IPC.

export type SaveStatus = 'saved' | 'saving' | 'error';

export interface SaveState {
  status: SaveStatus;
  /** Calls not yet acknowledged by the store (the failed one included). */
  pending: number;
  /** One line: which edit failed and why. */
  error: string | null;
}

interface Op {
  label: string;
  /** The store call; what it resolves to is not needed, only that it did. */
  run: () => Promise<unknown>;
  done: () => void;
}

export class SaveQueue {
  private readonly ops: Op[] = [];
  private running = false;
  private error: string | null = null;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly onChange: (state: SaveState) => void = () => {}) {}

  /**
   * Queues a store call; resolves once the store acknowledged it (after retries
   * if needed). Never rejects: a failure shows in `state` until retry(). A caller
   * that does not wait for the acknowledgement says so with `void`.
   */
  push(label: string, run: () => Promise<unknown>): Promise<void> {
    return new Promise<void>((done) => {
      this.ops.push({ label, run, done });
      this.emit();
      void this.drain();
    });
  }

  /** Runs the failed call again, then the rest. */
  retry(): void {
    if (this.error === null) return;
    this.error = null;
    this.emit();
    void this.drain();
  }

  /** Resolves when every queued call has been acknowledged. */
  idle(): Promise<void> {
    if (this.ops.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get state(): SaveState {
    return {
      status: this.error !== null ? 'error' : this.ops.length > 0 ? 'saving' : 'saved',
      pending: this.ops.length,
      error: this.error,
    };
  }

  private emit(): void {
    this.onChange(this.state);
  }

  private async drain(): Promise<void> {
    if (this.running || this.error !== null) return;
    this.running = true;
    try {
      while (this.ops.length > 0 && this.error === null) {
        const op = this.ops[0]!;
        try {
          await op.run();
        } catch (err) {
          // Keep the op at the head: the edit stays in the UI and retry() resends it.
          this.error = `${op.label} was not saved: ${err instanceof Error ? err.message : String(err)}`;
          break;
        }
        this.ops.shift();
        op.done();
        this.emit();
      }
    } finally {
      this.running = false;
    }
    this.emit();
    if (this.ops.length === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
