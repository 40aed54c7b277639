// Continuous autosave: every edit becomes one store call, run strictly in
// order (a later update must not overtake the create it refers to). A call
// fails in one of two ways (issue 16):
//  - it may pass if made again (another process holds the write lock, the
//    disk): the queue stops at that call and keeps it and everything after
//    it, so nothing is lost; retry() runs it again;
//  - it is refused (a value over a limit, a record that is not there, a
//    read-only project, another project open): trying again can never
//    help, so the call leaves the queue at once with the calls of the same
//    edit still waiting, the caller takes the edit back (onRefused), and
//    the calls behind it go on. One refused edit never stops the others.
// Pure: no DOM, no IPC.

export type SaveStatus = 'saved' | 'saving' | 'error';

export interface SaveState {
  status: SaveStatus;
  /** Calls not yet acknowledged by the store (the failed one included; refused ones are gone). */
  pending: number;
  /** One line: which edit failed and why (it is kept for Retry). */
  error: string | null;
  /** One line: the last edit the store refused, taken back (it is gone; dismissRefused() clears the line). */
  refused: string | null;
}

/** How a queued call ended: stored, refused (taken back), or dropped unrun (discard(): the user left the project). */
export type SaveOutcome = 'saved' | 'refused' | 'dropped';

/** What the queue needs to know about a failure: whether it may pass, and the one line to show. */
export interface FailureView {
  refused: boolean;
  reason: string;
}

export interface PushOptions {
  /** The edit the call belongs to (any object): when one of its calls is refused, its calls still waiting go too. */
  edit?: object;
  /** Called once when a call of this edit is refused, with the reason: the caller takes the edit back. */
  onRefused?: (reason: string) => void;
}

interface Op extends PushOptions {
  label: string;
  /** The store call; what it resolves to is not needed, only that it did. */
  run: () => Promise<unknown>;
  done: (outcome: SaveOutcome) => void;
}

/** By default every failure may pass (kept for Retry): only a caller that can tell refusals apart says so. */
const keepEveryFailure = (err: unknown): FailureView => ({ refused: false, reason: err instanceof Error ? err.message : String(err) });

export class SaveQueue {
  private ops: Op[] = [];
  /** The call being run (it stays at the head of `ops` until it settles). */
  private running: Op | null = null;
  private error: string | null = null;
  private refused: string | null = null;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly onChange: (state: SaveState) => void = () => {},
    private readonly view: (err: unknown) => FailureView = keepEveryFailure,
  ) {}

  /**
   * Queues a store call; resolves once it is settled: acknowledged by the
   * store (after retries if needed), refused, or dropped. Never rejects: a
   * failure that may pass shows in `state` until retry(). A caller that does
   * not wait says so with `void`.
   */
  push(label: string, run: () => Promise<unknown>, options: PushOptions = {}): Promise<SaveOutcome> {
    return new Promise<SaveOutcome>((done) => {
      this.ops.push({ label, run, done, ...options });
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

  /** Clears the line about the last refused edit. */
  dismissRefused(): void {
    if (this.refused === null) return;
    this.refused = null;
    this.emit();
  }

  /**
   * Drops every call not yet run (the user agreed to leave them: another
   * project opens); a call already on its way to the store settles as it
   * will. Returns how many were dropped.
   */
  discard(): number {
    const dropped = this.ops.filter((op) => op !== this.running);
    // The running call leaves the queue too; drain() reports its own outcome when it settles.
    this.ops = [];
    this.error = null;
    this.refused = null;
    for (const op of dropped) op.done('dropped');
    this.settle();
    return dropped.length;
  }

  /** Edits with calls not yet acknowledged: the calls of one edit (PushOptions.edit) count once. */
  unsavedEdits(): number {
    return new Set(this.ops.map((op) => op.edit ?? op)).size;
  }

  /** Resolves when every queued call has settled (none is waiting). */
  idle(): Promise<void> {
    if (this.ops.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get state(): SaveState {
    return {
      status: this.error !== null ? 'error' : this.ops.length > 0 ? 'saving' : 'saved',
      pending: this.ops.length,
      error: this.error,
      refused: this.refused,
    };
  }

  private emit(): void {
    this.onChange(this.state);
  }

  /** Emits, and wakes idle() waiters once nothing is queued. */
  private settle(): void {
    this.emit();
    if (this.ops.length > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private remove(op: Op): void {
    const at = this.ops.indexOf(op);
    if (at >= 0) this.ops.splice(at, 1);
  }

  /** The call was refused: it leaves with the waiting calls of its edit, and the edit is taken back. */
  private refuse(op: Op, reason: string): void {
    this.remove(op);
    const sameEdit = op.edit === undefined ? [] : this.ops.filter((other) => other.edit === op.edit);
    for (const other of sameEdit) this.remove(other);
    this.refused = `${op.label} was not saved and is undone: ${reason}`;
    op.done('refused');
    for (const other of sameEdit) other.done('refused');
    op.onRefused?.(reason);
  }

  private async drain(): Promise<void> {
    if (this.running || this.error !== null) return;
    try {
      while (this.ops.length > 0 && this.error === null) {
        const op = this.ops[0]!;
        this.running = op;
        let failure: FailureView | null = null;
        try {
          await op.run();
        } catch (err) {
          failure = this.view(err);
        }
        this.running = null;
        if (!this.ops.includes(op)) {
          // discard() took it out while it ran: its project is gone from the screen, nothing to show or take back.
          op.done(failure ? 'dropped' : 'saved');
          continue;
        }
        if (failure && !failure.refused) {
          // Keep the op at the head: the edit stays in the UI and retry() resends it.
          this.error = `${op.label} was not saved: ${failure.reason}`;
          break;
        }
        if (failure) this.refuse(op, failure.reason);
        else {
          this.remove(op);
          op.done('saved');
        }
        this.emit();
      }
    } finally {
      this.running = null;
    }
    this.settle();
  }
}
