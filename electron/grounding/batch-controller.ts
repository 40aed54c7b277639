// The batch side of the app: one batch run at a time over the open project
// (start, resume, retry its failed items, cancel, status), its progress out as
// events and its proposals into the review queue. The run itself, with its
// request scheduling and outage handling, is BatchRun (batch-runner.ts).
// With no run in this session, the status is the project's newest unfinished
// batch, marked interrupted (issue 18: a batch cut short by quitting was not
// mentioned after a restart), so the renderer can announce it and offer Resume.
import type { BatchStatus, GroundingSettings } from '@core/types';
import type { ProjectStore } from '../store/api';
import { batchCounts, unfinishedBatches } from '../store/batches';
import { newestBatchWithFailures } from './batch-retry';
import { BatchRun, type BatchDeps } from './batch-runner';
import type { ModelManager } from './model-manager';
import type { ProposalReview } from './proposal-review';

/** Items asked at once when batch:start names no concurrency (the backend may serve fewer: requestSlots). */
const DEFAULT_CONCURRENCY = 8;

export interface BatchControllerOptions {
  getStore: () => ProjectStore;
  models: ModelManager;
  /** The saved grounding settings; a run keeps the ones it started with. */
  settings: () => GroundingSettings;
  review: ProposalReview;
  onProgress?: (status: BatchStatus) => void;
  log?: (message: string) => void;
}

export class BatchController {
  #batch: BatchRun | null = null;
  #lastBatch: BatchStatus | null = null;

  constructor(private readonly options: BatchControllerOptions) {}

  /** Starts a batch over phrases × images (null: all images); one batch runs at a time. */
  async start(input: { phrases: string[]; imageIds: number[] | null; concurrency?: number }): Promise<BatchStatus> {
    this.#refuseWhileRunning();
    const deps = await this.#deps();
    return this.#track(BatchRun.start(deps, { phrases: input.phrases, imageIds: input.imageIds, concurrency: input.concurrency ?? DEFAULT_CONCURRENCY }));
  }

  /** Resumes the newest unfinished batch of the open project; null when there is none. */
  async resume(): Promise<BatchStatus | null> {
    const running = this.#running();
    if (running) return running.status();
    const [batch] = unfinishedBatches(this.options.getStore());
    if (!batch) return null;
    return this.#track(BatchRun.resume(await this.#deps(), batch.id));
  }

  /** Asks again for the failed items of the last batch (or the newest batch with failed items) of the open project. */
  async retryFailed(): Promise<BatchStatus> {
    this.#refuseWhileRunning();
    const store = this.options.getStore();
    const last = this.status();
    const id = last && last.failed > 0 ? last.id : newestBatchWithFailures(store)?.id;
    if (id === undefined) throw new Error('no batch in this project has failed items');
    return this.#track(BatchRun.retryFailed(await this.#deps(), id));
  }

  async cancel(): Promise<BatchStatus | null> {
    return this.#batch ? this.#batch.stop('cancelled') : this.#lastBatch;
  }

  /** The run of this session (running or last finished), else the project's newest unfinished batch (interrupted), else null. */
  status(): BatchStatus | null {
    return this.#batch?.status() ?? this.#lastBatch ?? this.#interrupted();
  }

  /** The newest unfinished batch stored in the open project, as a status nobody runs; null with none (or no project). */
  #interrupted(): BatchStatus | null {
    let store: ProjectStore;
    try {
      store = this.options.getStore();
    } catch {
      return null; // no project open: no batch
    }
    const [batch] = unfinishedBatches(store);
    if (!batch) return null;
    const { total, done, failed, noBox, skipped } = batchCounts(store, batch.id);
    // Stored 'running': the app stopped while it ran (quit, crash); nothing runs it now.
    const stopped = batch.state === 'running';
    return {
      id: batch.id,
      state: stopped ? 'paused' : batch.state,
      phrases: batch.phrases,
      total, done, failed, noBox, skipped,
      throughput: 0,
      etaSeconds: null,
      startedAt: batch.createdAt,
      interrupted: true,
      ...(stopped ? { reason: 'interrupted: the app stopped while it ran' } : {}),
    };
  }

  /**
   * The project is about to change or close: the run is forgotten at once (its
   * status belongs to the old project) and pauses, resumable there later.
   */
  async pause(): Promise<void> {
    const run = this.#batch;
    this.#batch = null;
    this.#lastBatch = null;
    await run?.stop('paused');
  }

  #refuseWhileRunning(): void {
    const running = this.#running();
    if (running) throw new Error(`batch ${running.id} is still running (cancel it first)`);
  }

  async #deps(): Promise<BatchDeps> {
    const { models, review, onProgress } = this.options;
    return {
      store: this.options.getStore(),
      backend: await models.ready(),
      settings: { ...this.options.settings() },
      onProgress: (status) => {
        // A batch waiting for (or paused by) a failing server turns the model chip red.
        if (status.reason) models.reportProblem(status.reason);
        else if (status.state === 'running' && status.done + status.failed > 0) models.reportOk();
        onProgress?.(status);
      },
      onProposal: (proposal) => review.added(proposal),
    };
  }

  /**
   * The batch still running. A run whose final progress (done, paused,
   * cancelled) has been reported counts as over at once, before its finished
   * promise is handled: a caller reacting to that report can start the next.
   */
  #running(): BatchRun | null {
    return this.#batch && this.#batch.status().state === 'running' ? this.#batch : null;
  }

  #track(run: BatchRun): BatchStatus {
    this.#batch = run;
    void run.finished.then((status) => {
      // A run forgotten (project switch) or followed by the next one leaves the status alone.
      if (this.#batch === run) {
        this.#batch = null;
        this.#lastBatch = status;
      }
      if (run.fatal) this.options.log?.(`batch ${run.id} stopped: ${run.fatal}`);
    });
    return run.status();
  }
}
