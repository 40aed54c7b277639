// Batch auto-label: every pending (image, phrase) item of a batch through the
// backend with at most `concurrency` requests in flight. Each item's result is
// stored with its item state in one transaction (store/batches.ts), so stopping
// at any point — cancel, quit, Ctrl+C, a crash — leaves a batch that resumes
// with exactly the unanswered items. One failing image or answer is recorded
// as failed with its reason and the batch goes on. A "no box" answer is an
// answer too (issue 18 item 2): it is stored as a proposal without boxes,
// with the model's words, for the reviewer to agree (*not in this image*) or
// reject. An (image, phrase) pair answered already, either way (a proposal
// waiting, a box with the phrase, "not in this image": answered-pairs.ts), is
// not asked again: the item is done at once, counted as skipped.
// A server that fails (down, busy, too slow, cutting answers: transient
// reasons, engine/result.ts) is waited for: the item is asked again with a
// growing pause, and only an item that keeps failing while others get answers
// is marked failed. When no answer comes for outage.pauseAfterMs the batch
// pauses by itself (its items stay pending, resumable) and says why.
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import type { BatchStatus, GroundingSettings, Proposal } from '@core/types';
import type { GroundingBackend } from '../engine/backend';
import { isTransientReason, oneLine } from '../engine/result';
import { backoffMs, sleep } from '../engine/server/retry';
import type { ProjectStore } from '../store/api';
import { batchCounts, createBatch, finishItem, NO_BOX_REASON, pendingItems, requireBatch, setBatchState, type BatchCounts, type BatchItem } from '../store/batches';
import { resetFailedItems } from './batch-retry';
import { addProposal } from '../store/proposals';
import { AnsweredPairs } from './answered-pairs';
import { kindsOf, proposalFields } from './combine';
import { groundQuery, requestSlots, type QueryOutcome } from './query';
import { createLimit, ThroughputMeter } from './throughput';

export interface BatchDeps {
  store: ProjectStore;
  backend: GroundingBackend;
  settings: GroundingSettings;
  /** Progress, at most every progressIntervalMs, and once at the end. */
  onProgress?: (status: BatchStatus) => void;
  /** Each proposal stored (the review queue adds it). */
  onProposal?: (proposal: Proposal) => void;
  progressIntervalMs?: number;
  /** How long to wait for a failing server (defaults: DEFAULT_OUTAGE). */
  outage?: Partial<OutagePolicy>;
  /** The clock of the rate and ETA (default Date.now); a test steps it to check what is counted. */
  clock?: () => number;
}

export interface OutagePolicy {
  /** No answer at all for this long while requests fail transiently: the batch pauses itself. */
  pauseAfterMs: number;
  /** First wait before an item is asked again; doubles (jittered) up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts of one item while the server answers other items; then it is marked failed. */
  itemAttempts: number;
}

export const DEFAULT_OUTAGE: OutagePolicy = { pauseAfterMs: 60_000, baseDelayMs: 1_000, maxDelayMs: 15_000, itemAttempts: 4 };

export type StopState = 'cancelled' | 'paused';

/** Numbers every status snapshot a run takes, over the process (BatchStatus.seq). */
let statusSeq = 0;

export class BatchRun {
  readonly id: number;
  /** Settles with the final status once every worker has stopped; never rejects. */
  readonly finished: Promise<BatchStatus>;
  readonly #deps: BatchDeps;
  readonly #controller = new AbortController();
  readonly #meter: ThroughputMeter;
  readonly #startedAt = Date.now();
  readonly #requestsPerItem: number;
  readonly #phrases: string[];
  #stopState: StopState | null = null;
  #state: BatchStatus['state'] = 'running';
  #counts: BatchCounts;
  #lastEmit = 0;
  #fatal: string | null = null;
  readonly #outage: OutagePolicy;
  /** When the current run of transient failures began (no answer since), and its last reason. */
  #failingSince: number | null = null;
  #lastFailure: string | null = null;
  /** When the server last gave any answer (a box, no box, a refusal). */
  #lastAnswerAt = 0;
  #pausedBy: string | null = null;
  /** The pairs answered already when the run began: not asked again. */
  #answeredPairs: AnsweredPairs | null = null;

  /** Creates a new batch of phrases × images (null: all) and starts it. */
  static start(deps: BatchDeps, input: { phrases: string[]; imageIds: number[] | null; concurrency: number }): BatchRun {
    const batch = createBatch(deps.store, input);
    return new BatchRun(deps, batch.id, input.concurrency);
  }

  /**
   * Puts the failed items of a stored batch back to pending and runs them
   * (with whatever else is pending). Throws when it has none.
   */
  static retryFailed(deps: BatchDeps, batchId: number, concurrency?: number): BatchRun {
    const reset = resetFailedItems(deps.store, batchId);
    const counts = batchCounts(deps.store, batchId);
    if (reset === 0 && counts.pending === 0) throw new Error(`batch ${batchId} has no failed items to retry`);
    return BatchRun.resume(deps, batchId, concurrency);
  }

  /** Resumes the pending items of a stored batch (concurrency: the batch's own unless given). */
  static resume(deps: BatchDeps, batchId: number, concurrency?: number): BatchRun {
    const batch = requireBatch(deps.store, batchId);
    if (batch.state === 'done') throw new Error(`batch ${batchId} is already done`);
    setBatchState(deps.store, batchId, 'running');
    return new BatchRun(deps, batchId, concurrency ?? batch.concurrency);
  }

  private constructor(deps: BatchDeps, id: number, concurrency: number) {
    this.#deps = deps;
    this.id = id;
    this.#outage = { ...DEFAULT_OUTAGE, ...deps.outage };
    this.#meter = deps.clock ? new ThroughputMeter(deps.clock(), deps.clock) : new ThroughputMeter(this.#startedAt);
    this.#requestsPerItem = kindsOf(deps.settings.kinds).length * Math.max(1, deps.settings.samples);
    this.#counts = batchCounts(deps.store, id);
    this.#phrases = requireBatch(deps.store, id).phrases;
    // No more workers than the backend serves at once (the local host: one): more would only queue there.
    this.finished = this.#run(requestSlots(deps.backend, concurrency)).catch((err: unknown) => {
      // Only the store can fail here (reading the items of a closed project): the batch stays resumable.
      this.#fatal ??= oneLine(err);
      this.#state = 'paused';
      return this.status();
    });
  }

  status(): BatchStatus {
    return {
      id: this.id,
      state: this.#state,
      phrases: this.#phrases,
      total: this.#counts.total,
      done: this.#counts.done,
      failed: this.#counts.failed,
      noBox: this.#counts.noBox,
      skipped: this.#counts.skipped,
      // Items per second, from the items answered (issue 18: a rate of requests read 2.3/s while items finished at 1.2/s).
      throughput: this.#meter.rate(),
      etaSeconds: this.#state === 'running' ? this.#meter.eta(this.#counts.pending) : null,
      startedAt: this.#startedAt,
      ...this.#reason(),
      seq: ++statusSeq,
    };
  }

  #reason(): { reason?: string } {
    if (this.#state !== 'running') return this.#pausedBy && this.#state === 'paused' ? { reason: this.#pausedBy } : {};
    if (this.#failingSince === null) return {};
    const seconds = Math.round((Date.now() - this.#failingSince) / 1000);
    return { reason: `waiting for the server (failing for ${seconds} s: ${this.#lastFailure})` };
  }

  /** Why the run paused itself (the server stayed down), else null. */
  get pausedBy(): string | null {
    return this.#pausedBy;
  }

  /** Why the run stopped early when the store itself failed (e.g. the project was closed), else null. */
  get fatal(): string | null {
    return this.#fatal;
  }

  /** Stops the run (requests in flight are cancelled; their items stay pending) and waits for it. */
  stop(state: StopState = 'cancelled'): Promise<BatchStatus> {
    this.#stopState ??= state;
    this.#controller.abort();
    return this.finished;
  }

  async #run(concurrency: number): Promise<BatchStatus> {
    const items = pendingItems(this.#deps.store, this.id);
    this.#answeredPairs = AnsweredPairs.read(this.#deps.store);
    // Every request in flight listens on the batch's signal (and lets go when
    // it ends): up to concurrency × requests per item, more than Node's 10.
    setMaxListeners(concurrency * this.#requestsPerItem + 10, this.#controller.signal);
    const limit = createLimit(concurrency);
    let next = 0;
    // Item workers = concurrency: with two kinds per item there are then up to
    // twice as many requests queued as slots, so the limit is always full.
    const worker = async () => {
      while (next < items.length && !this.#controller.signal.aborted) {
        const item = items[next++]!;
        this.#prefetchAfter(items, next, item.imageId);
        await this.#item(item, limit);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
    this.#counts = this.#safeCounts();
    if (this.#stopState) this.#state = this.#stopState;
    else this.#state = this.#counts.pending === 0 ? 'done' : 'paused';
    try {
      setBatchState(this.#deps.store, this.id, this.#state);
    } catch (err) {
      this.#fatal ??= oneLine(err);
    }
    const status = this.status();
    this.#deps.onProgress?.(status);
    return status;
  }

  /**
   * Asks the backend to prepare the next image the batch will query (the
   * local engine decodes it in its image worker while the model runs this
   * one), so items follow each other with no decode between them. Items
   * already answered or marked absent are passed over, as #item does; a
   * failure is left for that item's own query to report.
   */
  #prefetchAfter(items: BatchItem[], from: number, current: number): void {
    const { backend, store, settings } = this.#deps;
    if (!backend.prefetch) return;
    for (let i = from; i < items.length; i++) {
      const { imageId, phrase } = items[i]!;
      if (imageId === current || this.#answeredPairs?.why(imageId, phrase)) continue;
      let path: string | null | undefined = null;
      try {
        path = store.imageFilePath(imageId);
      } catch {
        // Its own item reports why the file cannot be used.
      }
      if (path) backend.prefetch(path, settings.maxPixels).catch(() => undefined);
      return;
    }
  }

  async #item(item: BatchItem, limit: ReturnType<typeof createLimit>): Promise<void> {
    const { store } = this.#deps;
    try {
      const answered = this.#answeredPairs?.why(item.imageId, item.phrase);
      if (answered) {
        this.#finish(item, 'done', answered);
        return;
      }
      const imagePath = store.imageFilePath(item.imageId);
      if (!imagePath || !existsSync(imagePath)) {
        this.#finish(item, 'failed', `image file missing: ${imagePath ?? `image ${item.imageId}`}`);
        return;
      }
      const began = performance.now();
      let fields: ReturnType<typeof proposalFields>;
      let firstFailure: number | null = null;
      for (let attempt = 1; ; attempt++) {
        const query = await groundQuery(this.#deps.backend, {
          imagePath,
          phrase: item.phrase,
          settings: this.#deps.settings,
          signal: this.#controller.signal,
          limit,
        });
        if (query.cancelled) return; // stays pending for resume
        fields = proposalFields(query.outcomes, null, this.#deps.backend.info().model);
        const failure = transientFailure(query.outcomes);
        if (!failure) {
          this.#answered();
          break;
        }
        firstFailure ??= Date.now();
        if (this.#failed(failure)) return; // paused: the item stays pending
        // Only an item that keeps failing while the server answers others is given up on.
        if (attempt >= this.#outage.itemAttempts && this.#lastAnswerAt > firstFailure) break;
        try {
          await sleep(backoffMs(attempt - 1, { retries: 0, baseDelayMs: this.#outage.baseDelayMs, maxDelayMs: this.#outage.maxDelayMs }), this.#controller.signal);
        } catch {
          return; // stopped while waiting: stays pending
        }
      }
      // The item is answered (a box, no box, or a failure it keeps): it counts for the rate.
      this.#meter.record();
      const noBox = fields.visible === null && fields.amodal === null;
      if (noBox && fields.reason !== NO_BOX_REASON) {
        this.#finish(item, 'failed', fields.reason ?? 'error: no answer');
        return;
      }
      // Includes the wait for a request slot: what this answer cost the batch.
      const latencyMs = Math.round(performance.now() - began);
      let proposal: Proposal | undefined;
      // 'no-box' is an answer (nothing matches the phrase), not a failure: a proposal without boxes, with the model's words.
      this.#finish(item, 'done', noBox ? NO_BOX_REASON : fields.reason, () => {
        proposal = addProposal(store, { ...fields, imageId: item.imageId, phrase: item.phrase, latencyMs, batchId: this.id });
      });
      if (proposal) this.#deps.onProposal?.(proposal);
    } catch (err) {
      // Storing this item's result failed: record it as failed and go on; when
      // even that fails the store is unusable (closed project) and the run stops.
      try {
        this.#finish(item, 'failed', `error: ${oneLine(err)}`);
      } catch (inner) {
        this.#fatal ??= oneLine(inner);
        this.#stopState ??= 'paused';
        this.#controller.abort();
      }
    }
  }

  #answered(): void {
    this.#lastAnswerAt = Date.now();
    this.#failingSince = null;
    this.#lastFailure = null;
  }

  /** Notes a transient failure; true when the server has failed long enough that the batch paused. */
  #failed(reason: string): boolean {
    const now = Date.now();
    this.#failingSince ??= now;
    this.#lastFailure = reason;
    if (now - this.#failingSince < this.#outage.pauseAfterMs) {
      this.#emit(false);
      return false;
    }
    const seconds = Math.round((now - this.#failingSince) / 1000);
    this.#pausedBy ??= `paused: the server failed for ${seconds} s with no answer (${reason}); resume when it is back`;
    this.#stopState ??= 'paused';
    this.#controller.abort();
    return true;
  }

  #finish(item: BatchItem, state: 'done' | 'failed', reason: string | null, also?: () => void): void {
    if (finishItem(this.#deps.store, item, state, reason, also)) {
      this.#counts.pending--;
      if (state === 'done') this.#counts.done++;
      else this.#counts.failed++;
      if (state === 'done' && reason === NO_BOX_REASON) this.#counts.noBox++;
      if (state === 'done' && reason?.startsWith('skipped:')) this.#counts.skipped++;
    }
    this.#emit(false);
  }

  /** Progress at most every progressIntervalMs (or now, when forced). */
  #emit(force: boolean): void {
    const now = Date.now();
    if (force || now - this.#lastEmit >= (this.#deps.progressIntervalMs ?? 250)) {
      this.#lastEmit = now;
      this.#deps.onProgress?.(this.status());
    }
  }

  #safeCounts() {
    try {
      return batchCounts(this.#deps.store, this.id);
    } catch (err) {
      this.#fatal ??= oneLine(err);
      return this.#counts;
    }
  }
}

export { ALREADY_LABELLED, ALREADY_PROPOSED, MARKED_ABSENT } from './answered-pairs';

/**
 * The transient failure of an item's answer, if a kind it asked for got no box
 * for a transient reason (the server was down, busy, slow, or cut it short):
 * then the item is worth asking again. Null for an answer (even 'no-box').
 */
function transientFailure(outcomes: QueryOutcome['outcomes']): string | null {
  for (const outcome of Object.values(outcomes)) {
    if (outcome && outcome.box === null && isTransientReason(outcome.reason)) return outcome.reason;
  }
  return null;
}
