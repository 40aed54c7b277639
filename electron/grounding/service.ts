// The grounding service of the main process: the settings and the model
// (through ModelManager) it keeps itself, and three parts that use them:
// queries (live phrase-and-point queries, cancel by query id: query-runner.ts),
// review (the proposal queue and its change events: proposal-review.ts) and
// batches (the one batch run: batch-controller.ts). Handlers call the parts.
// It imports no Electron: the app passes a safeStorage SecretStore and a
// utilityProcess spawn, tests and the e2e harness plain-Node ones.
import type { BatchStatus, BoxKind, ModelStatus } from '@core/types';
import type { SpawnHost } from '../engine/host/protocol';
import type { GroundingBackend } from '../engine/backend';
import type { ProposalsDelta } from '@ipc/contract';
import type { ProjectStore } from '../store/api';
import type { HealthReport, SettingsPatch, SettingsView } from '@core/types';
import { BatchController } from './batch-controller';
import { ModelManager } from './model-manager';
import { ProposalReview } from './proposal-review';
import { QueryRunner } from './query-runner';
import { originOf, ServerKeys, type SecretStore } from './secrets';
import { loadGroundingPrefs, saveGroundingPrefs, type GroundingPrefs } from './settings';

export interface GroundingEvents {
  token?: (event: { queryId: string; kind: BoxKind; text: string }) => void;
  modelStatus?: (status: ModelStatus) => void;
  batchProgress?: (status: BatchStatus) => void;
  proposalsChanged?: (delta: ProposalsDelta) => void;
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

export class GroundingService {
  readonly #options: GroundingServiceOptions;
  readonly #models: ModelManager;
  #prefs: GroundingPrefs;
  readonly #keys: ServerKeys;
  readonly review: ProposalReview;
  readonly queries: QueryRunner;
  readonly batches: BatchController;
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
    const { getStore, events } = options;
    const settings = () => this.#prefs.grounding;
    this.review = new ProposalReview({ getStore, ...(events?.proposalsChanged ? { onChanged: events.proposalsChanged } : {}) });
    this.queries = new QueryRunner({ getStore, models: this.#models, settings, review: this.review, ...(events?.token ? { onToken: events.token } : {}) });
    this.batches = new BatchController({
      getStore,
      models: this.#models,
      settings,
      review: this.review,
      ...(events?.batchProgress ? { onProgress: events.batchProgress } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  }

  async getSettings(): Promise<SettingsView> {
    const model = this.#prefs.model;
    const keyEnv = model?.backend === 'server' ? this.#prefs.keyEnvs[originOf(model.baseUrl)] : undefined;
    const hasApiKey = model?.backend === 'server' && (keyEnv ? Boolean(this.#env()[keyEnv]) : (await this.#keys.get(originOf(model.baseUrl))) !== null);
    return { ...structuredClone(this.#prefs), hasApiKey, keyOrigins: await this.#keys.origins(), keyStorage: this.#options.secrets.storage() };
  }

  /**
   * Saves the settings; reloads the model when the model choice or the API key
   * changed. A key — typed, or the name of the variable that holds it — is
   * kept for the origin of the server it comes with (the saved one when the
   * patch names none) and only ever sent there: a new server URL without one
   * gets that server's own stored key or variable, or none.
   */
  async setSettings(patch: SettingsPatch): Promise<ModelStatus> {
    const model = patch.model !== undefined ? patch.model : this.#prefs.model;
    const origin = serverOrigin(model);
    if ((patch.apiKey || patch.apiKeyEnv) && !origin) throw new Error('an API key goes with a server: choose the server (its URL) in the same step');
    const keyEnvs = { ...this.#prefs.keyEnvs };
    if (patch.apiKeyEnv !== undefined && origin) {
      if (patch.apiKeyEnv) keyEnvs[origin] = patch.apiKeyEnv;
      else delete keyEnvs[origin];
    }
    const next: GroundingPrefs = { model, grounding: { ...this.#prefs.grounding, ...patch.grounding }, keyEnvs };
    await saveGroundingPrefs(this.#options.userDataDir, next);
    if (patch.apiKey !== undefined && origin) await this.#keys.set(origin, patch.apiKey || null);
    const reload = patch.model !== undefined || patch.apiKey !== undefined || patch.apiKeyEnv !== undefined || next.grounding.maxPixels !== this.#prefs.grounding.maxPixels;
    this.#prefs = next;
    if (reload) await this.#configure(next.model, next.grounding.maxPixels);
    return this.#models.status();
  }

  /** (Re)starts the backend with the key that belongs to its server, and nothing else. */
  async #configure(model: GroundingPrefs['model'], maxPixels: number): Promise<void> {
    if (model?.backend !== 'server') return void this.#models.configure(model, null, maxPixels);
    const origin = originOf(model.baseUrl);
    const keyEnv = this.#prefs.keyEnvs[origin];
    if (keyEnv) {
      const key = this.#env()[keyEnv];
      const problem = key ? undefined : `environment variable ${keyEnv} (the API key for ${origin}) is not set in the app's environment`;
      return void this.#models.configure(model, key ?? null, maxPixels, problem);
    }
    this.#models.configure(model, await this.#keys.get(origin), maxPixels);
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

  /** The project is about to change or close: stop queries and pause the batch (it resumes later). */
  async stopProjectWork(): Promise<void> {
    this.queries.cancelAll();
    await this.batches.pause();
  }

  async dispose(): Promise<void> {
    await this.stopProjectWork();
    await this.#models.dispose();
  }
}

/** The origin of a server model setting, else null. */
function serverOrigin(model: GroundingPrefs['model']): string | null {
  return model?.backend === 'server' ? originOf(model.baseUrl) : null;
}
