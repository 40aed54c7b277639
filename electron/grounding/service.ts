// The grounding service of the main process: settings, the model (through
// ModelManager), live phrase-and-point queries with cancel by query id, the
// proposal review actions and the one batch run. It imports no Electron: the
// app passes a safeStorage SecretStore and a utilityProcess spawn, tests and
// the e2e harness plain-Node ones.
import { setMaxListeners } from 'node:events';
import type { BatchStatus, BoxKind, ModelStatus, Point, Proposal } from '../core/types';
import type { SpawnHost } from '../engine/host/protocol';
import type { GroundingBackend } from '../engine/backend';
import type { ProjectStore } from '../store/api';
import { unfinishedBatches } from '../store/batches';
import {
  acceptProposal,
  addProposal,
  listProposals,
  rejectProposal,
  restoreProposal,
  type ProposalEdits,
} from '../store/proposals';
import type { HealthReport, ProposalOrder, SettingsPatch, SettingsView } from '../core/types';
import { BatchRun } from './batch-runner';
import { newestBatchWithFailures } from './batch-retry';
import { isTransientReason } from '../engine/result';
import { proposalFields } from './combine';
import { ModelManager } from './model-manager';
import { runQuery } from './query';
import { originOf, ServerKeys, type SecretStore } from './secrets';
import { loadGroundingPrefs, saveGroundingPrefs, type GroundingPrefs } from './settings';

export interface GroundingEvents {
  token?: (event: { queryId: string; kind: BoxKind; text: string }) => void;
  modelStatus?: (status: ModelStatus) => void;
  batchProgress?: (status: BatchStatus) => void;
  proposalsChanged?: (event: { imageIds: number[] }) => void;
}

export interface GroundingServiceOptions {
  userDataDir: string;
  secrets: SecretStore;
  /** The open project, or a one-line error when none is open (ProjectSession.require). */
  getStore: () => ProjectStore;
  events?: GroundingEvents;
  spawn?: SpawnHost;
  log?: (message: string) => void;
  /** Where a server's apiKeyEnv is read (default process.env). */
  env?: NodeJS.ProcessEnv;
}


export interface GroundInput {
  queryId: string;
  imageId: number;
  phrase: string;
  point?: Point;
}


export class GroundingService {
  readonly #options: GroundingServiceOptions;
  readonly #models: ModelManager;
  readonly #queries = new Map<string, AbortController>();
  #prefs: GroundingPrefs;
  readonly #keys: ServerKeys;
  #batch: BatchRun | null = null;
  #lastBatch: BatchStatus | null = null;
  /** Prefetch failure reasons already logged. */
  readonly #prefetchErrors = new Set<string>();

  /** Loads the saved settings and starts loading the saved model (in the background). */
  static async create(options: GroundingServiceOptions): Promise<GroundingService> {
    const prefs = await loadGroundingPrefs(options.userDataDir, options.log);
    const service = new GroundingService(options, prefs);
    await service.#configure(prefs.model, prefs.grounding.maxPixels);
    return service;
  }

  private constructor(options: GroundingServiceOptions, prefs: GroundingPrefs) {
    this.#options = options;
    this.#prefs = prefs;
    // A key stored before keys had origins belongs to the server saved with it.
    this.#keys = new ServerKeys(options.secrets, serverOrigin(prefs.model));
    this.#models = new ModelManager({
      ...(options.spawn ? { spawn: options.spawn } : {}),
      onStatus: (status) => options.events?.modelStatus?.(status),
    });
  }

  async getSettings(): Promise<SettingsView> {
    const model = this.#prefs.model;
    const hasApiKey = model?.backend === 'server' && (model.apiKeyEnv ? Boolean(this.#env()[model.apiKeyEnv]) : (await this.#keys.get(originOf(model.baseUrl))) !== null);
    return { ...structuredClone(this.#prefs), hasApiKey, keyOrigins: await this.#keys.origins(), keyStorage: this.#options.secrets.storage() };
  }

  /**
   * Saves the settings; reloads the model when the model choice or the API key
   * changed. A key is stored for the origin of the server it comes with (the
   * saved one when the patch names none) and only ever sent there: a new
   * server URL without a key gets that server's own stored key, or none.
   */
  async setSettings(patch: SettingsPatch): Promise<ModelStatus> {
    const next: GroundingPrefs = {
      model: patch.model !== undefined ? patch.model : this.#prefs.model,
      grounding: { ...this.#prefs.grounding, ...patch.grounding },
    };
    const origin = serverOrigin(next.model);
    if (patch.apiKey && !origin) throw new Error('an API key goes with a server: choose the server (its URL) in the same step');
    await saveGroundingPrefs(this.#options.userDataDir, next);
    if (patch.apiKey !== undefined && origin) await this.#keys.set(origin, patch.apiKey || null);
    const reload = patch.model !== undefined || patch.apiKey !== undefined || next.grounding.maxPixels !== this.#prefs.grounding.maxPixels;
    this.#prefs = next;
    if (reload) await this.#configure(next.model, next.grounding.maxPixels);
    return this.#models.status();
  }

  /** (Re)starts the backend with the key that belongs to its server, and nothing else. */
  async #configure(model: GroundingPrefs['model'], maxPixels: number): Promise<void> {
    if (model?.backend !== 'server') return void this.#models.configure(model, null, maxPixels);
    if (model.apiKeyEnv) {
      const key = this.#env()[model.apiKeyEnv];
      const problem = key ? undefined : `environment variable ${model.apiKeyEnv} (the API key) is not set in the app's environment`;
      return void this.#models.configure(model, key ?? null, maxPixels, problem);
    }
    this.#models.configure(model, await this.#keys.get(originOf(model.baseUrl)), maxPixels);
  }

  #env(): NodeJS.ProcessEnv {
    return this.#options.env ?? process.env;
  }

  modelStatus(): ModelStatus {
    return this.#models.status();
  }

  health(): Promise<HealthReport> {
    return this.#models.health();
  }

  /**
   * Asks for the boxes the settings name (both by default) for one phrase on
   * one image, streaming reasoning through events.token, and stores the answer
   * as a proposal (onToken gets the same text, for callers without events).
   * A cancelled query stores nothing and throws 'cancelled'.
   */
  async groundPhrase(input: GroundInput, onToken?: (kind: BoxKind, text: string) => void): Promise<Proposal> {
    if (this.#queries.has(input.queryId)) throw new Error(`query ${input.queryId} is already running`);
    const controller = new AbortController();
    // One listener per request of the query (kinds × samples, up to 32).
    setMaxListeners(64, controller.signal);
    this.#queries.set(input.queryId, controller);
    try {
      const store = this.#options.getStore();
      const image = store.getImage(input.imageId);
      const imagePath = store.imageFilePath(input.imageId);
      if (!image || !imagePath) throw new Error(`no image with id ${input.imageId} in this project`);
      if (image.missing) throw new Error(`image ${input.imageId}: file missing (${imagePath})`);
      if (input.point && !(input.point[0] >= 0 && input.point[1] >= 0 && input.point[0] <= image.width && input.point[1] <= image.height)) {
        throw new Error(`point ${input.point.join(',')} is outside the ${image.width}x${image.height} image`);
      }
      const backend = await this.#models.ready();
      const started = performance.now();
      const token = this.#options.events?.token;
      const stream = token || onToken
        ? (kind: BoxKind, text: string) => {
            token?.({ queryId: input.queryId, kind, text });
            onToken?.(kind, text);
          }
        : undefined;
      const query = await runQuery(backend, {
        imagePath,
        phrase: input.phrase,
        settings: this.#prefs.grounding,
        signal: controller.signal,
        ...(input.point ? { point: input.point } : {}),
        ...(stream ? { onToken: stream } : {}),
      });
      if (query.cancelled || controller.signal.aborted) throw new Error(`query ${input.queryId} cancelled`);
      const fields = proposalFields(query.outcomes, input.point ?? null, backend.info().model);
      if (fields.visible === null && fields.amodal === null && fields.reason !== 'no-box') {
        // No answer at all (the server failed, the answer was cut or truncated): an error the
        // user can retry, not a "no box" proposal in the review queue.
        if (isTransientReason(fields.reason)) this.#models.reportProblem(`the server failed: ${fields.reason}`);
        throw new Error(`no answer from the model: ${fields.reason}`);
      }
      this.#models.reportOk();
      const proposal = addProposal(store, { ...fields, imageId: input.imageId, phrase: input.phrase, latencyMs: Math.round(performance.now() - started), batchId: null });
      this.#changed([input.imageId]);
      return proposal;
    } finally {
      this.#queries.delete(input.queryId);
    }
  }

  /** The loaded backend and the limits the app's queries run with (the Evaluate dialog, issue 9). */
  async backendForEval(): Promise<{ backend: GroundingBackend; timeoutMs: number; maxNewTokens: number; maxPixels: number }> {
    const backend = await this.#models.ready();
    const g = this.#prefs.grounding;
    return { backend, timeoutMs: g.timeoutSeconds * 1000, maxNewTokens: g.maxNewTokens, maxPixels: g.maxPixels };
  }

  /**
   * The user selected an image: where a model that can prefetch is loaded,
   * its image decode starts now (fire-and-forget, beside any running query),
   * so the query typed next skips it. Never waits and never throws; a failure
   * is logged once per distinct reason, then ignored (the query reports its
   * own error). Returns whether a prefetch was started.
   */
  prefetch(imageId: number): boolean {
    const status = this.#models.status();
    // Servers decode images themselves; only the local engine has a cache to warm.
    if (status.state !== 'ready' || status.backend !== 'local') return false;
    let imagePath: string | null;
    try {
      const store = this.#options.getStore();
      imagePath = store.getImage(imageId)?.missing === false ? (store.imageFilePath(imageId) ?? null) : null;
    } catch (err) {
      this.#prefetchFailed(err);
      return false;
    }
    if (!imagePath) return false;
    const path = imagePath;
    const maxPixels = this.#prefs.grounding.maxPixels;
    // Status 'ready' means ready() resolves at once.
    void this.#models
      .ready()
      .then((backend) => backend.prefetch?.(path, maxPixels))
      .catch((err: unknown) => this.#prefetchFailed(err));
    return true;
  }

  #prefetchFailed(err: unknown): void {
    const reason = err instanceof Error ? err.message : String(err);
    if (this.#prefetchErrors.has(reason)) return;
    this.#prefetchErrors.add(reason);
    this.#options.log?.(`image prefetch failed (later ones with this reason are not logged): ${reason}`);
  }

  /** Cancels a running query; false when no query has this id (finished already). */
  cancel(queryId: string): boolean {
    const controller = this.#queries.get(queryId);
    controller?.abort();
    return controller !== undefined;
  }

  listProposals(options: { imageId?: number; order?: ProposalOrder } = {}): Proposal[] {
    return listProposals(this.#options.getStore(), options);
  }

  accept(id: number, edits: ProposalEdits = {}) {
    const result = acceptProposal(this.#options.getStore(), id, edits);
    this.#changed([result.proposal.imageId]);
    return result;
  }

  reject(id: number): Proposal {
    const proposal = rejectProposal(this.#options.getStore(), id);
    this.#changed([proposal.imageId]);
    return proposal;
  }

  restore(proposal: Proposal): Proposal {
    const restored = restoreProposal(this.#options.getStore(), proposal);
    this.#changed([restored.imageId]);
    return restored;
  }

  /** Starts a batch over phrases × images (null: all images); one batch runs at a time. */
  async startBatch(input: { phrases: string[]; imageIds: number[] | null; concurrency?: number }): Promise<BatchStatus> {
    const running = this.#runningBatch();
    if (running) throw new Error(`batch ${running.id} is still running (cancel it first)`);
    const deps = await this.#batchDeps();
    return this.#track(BatchRun.start(deps, { phrases: input.phrases, imageIds: input.imageIds, concurrency: input.concurrency ?? 8 }));
  }

  /** Resumes the newest unfinished batch of the open project; null when there is none. */
  async resumeBatch(): Promise<BatchStatus | null> {
    const running = this.#runningBatch();
    if (running) return running.status();
    const [batch] = unfinishedBatches(this.#options.getStore());
    if (!batch) return null;
    return this.#track(BatchRun.resume(await this.#batchDeps(), batch.id));
  }

  /**
   * Asks again for the failed items of the last batch (or the newest batch
   * with failed items) of the open project.
   */
  async retryFailedBatch(): Promise<BatchStatus> {
    const running = this.#runningBatch();
    if (running) throw new Error(`batch ${running.id} is still running (cancel it first)`);
    const store = this.#options.getStore();
    const last = this.batchStatus();
    const id = last && last.failed > 0 ? last.id : newestBatchWithFailures(store)?.id;
    if (id === undefined) throw new Error('no batch in this project has failed items');
    return this.#track(BatchRun.retryFailed(await this.#batchDeps(), id));
  }

  async cancelBatch(): Promise<BatchStatus | null> {
    return this.#batch ? this.#batch.stop('cancelled') : this.#lastBatch;
  }

  batchStatus(): BatchStatus | null {
    return this.#batch?.status() ?? this.#lastBatch;
  }

  /** The project is about to change or close: stop queries and pause the batch (it resumes later). */
  async stopProjectWork(): Promise<void> {
    for (const controller of this.#queries.values()) controller.abort();
    await this.#batch?.stop('paused');
    this.#lastBatch = null;
  }

  async dispose(): Promise<void> {
    await this.stopProjectWork();
    await this.#models.dispose();
  }

  async #batchDeps() {
    return {
      store: this.#options.getStore(),
      backend: await this.#models.ready(),
      settings: { ...this.#prefs.grounding },
      onProgress: (status: BatchStatus) => {
        // A batch waiting for (or paused by) a failing server turns the model chip red.
        if (status.reason) this.#models.reportProblem(status.reason);
        else if (status.state === 'running' && status.done + status.failed > 0) this.#models.reportOk();
        this.#options.events?.batchProgress?.(status);
      },
      onProposals: (imageIds: number[]) => this.#changed(imageIds),
    };
  }

  /**
   * The batch still running. A run whose final progress (done, paused,
   * cancelled) has been reported counts as over at once, before its finished
   * promise is handled: a caller reacting to that report can start the next.
   */
  #runningBatch(): BatchRun | null {
    return this.#batch && this.#batch.status().state === 'running' ? this.#batch : null;
  }

  #track(run: BatchRun): BatchStatus {
    this.#batch = run;
    void run.finished.then((status) => {
      this.#lastBatch = status;
      if (this.#batch === run) this.#batch = null;
      if (run.fatal) this.#options.log?.(`batch ${run.id} stopped: ${run.fatal}`);
    });
    return run.status();
  }

  #changed(imageIds: number[]): void {
    this.#options.events?.proposalsChanged?.({ imageIds });
  }
}

/** The origin of a server model setting, else null. */
function serverOrigin(model: GroundingPrefs['model']): string | null {
  return model?.backend === 'server' ? originOf(model.baseUrl) : null;
}
