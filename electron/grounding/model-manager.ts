// Holds the grounding backend built from ModelBackendSettings and reports its
// ModelStatus (state, device and why, load progress). A local model loads in
// the model host process (create-backend.ts), never on this thread; loading
// runs in the background and each status change is pushed to onStatus.
import { basename } from 'node:path';
import type { HealthReport, ModelBackendSettings, ModelStatus } from '@core/types';
import { NO_MODEL } from '@core/schemas';
import type { GroundingBackend } from '../engine/backend';
import { createBackend, type BackendChoice } from '../engine/create-backend';
import type { SpawnHost } from '../engine/host/protocol';
import { oneLine } from '../engine/result';
import type { ServerHealth } from '../engine/server/api';

export interface ModelManagerOptions {
  onStatus?: (status: ModelStatus) => void;
  /** How to start the model host (the app passes utilityProcess); default: a Node child process. */
  spawn?: SpawnHost;
  /** Requests a server backend keeps in flight (batches fill them). */
  serverConcurrency?: number;
  /** Factory override (tests); default createBackend. */
  create?: (choice: BackendChoice) => Promise<GroundingBackend>;
}


export class ModelManager {
  #status: ModelStatus = NO_MODEL;
  #backend: GroundingBackend | null = null;
  #loading: Promise<GroundingBackend | null> = Promise.resolve(null);
  #generation = 0;

  constructor(private readonly options: ModelManagerOptions = {}) {}

  status(): ModelStatus {
    return this.#status;
  }

  /**
   * Switches to the given backend (null: none), disposing the previous one.
   * Returns at once with the 'loading' (or 'none') status; ready() waits.
   */
  configure(settings: ModelBackendSettings | null, apiKey: string | null = null, maxPixels?: number, problem?: string): ModelStatus {
    const generation = ++this.#generation;
    const previous = this.#backend;
    this.#backend = null;
    if (previous) void previous.dispose().catch(() => undefined); // a dying host's error is not the new model's problem
    if (!settings) {
      this.#loading = Promise.resolve(null);
      this.#set(NO_MODEL);
      return this.#status;
    }
    const isLocal = settings.backend === 'local';
    if (problem) {
      // Known not to work before anything starts (e.g. its key variable is not set).
      this.#loading = Promise.resolve(null);
      this.#set({ ...NO_MODEL, state: 'error', backend: settings.backend, model: isLocal ? basename(settings.modelDir) : (settings.serverModel ?? null), message: problem });
      return this.#status;
    }
    this.#set({
      state: 'loading',
      model: isLocal ? basename(settings.modelDir) : (settings.serverModel ?? null),
      backend: settings.backend,
      device: isLocal ? null : settings.baseUrl,
      deviceReason: null,
      progress: isLocal ? 0 : null,
      message: isLocal ? 'starting the model host' : 'connecting',
    });
    const choice: BackendChoice = isLocal
      ? {
          kind: 'local',
          modelDir: settings.modelDir,
          device: settings.device,
          ...(settings.dtype ? { dtype: settings.dtype } : {}),
          ...(maxPixels ? { maxPixels } : {}),
          ...(this.options.spawn ? { spawn: this.options.spawn } : {}),
          onProgress: (p) => {
            if (generation === this.#generation) this.#set({ ...this.#status, progress: p.progress, message: p.stage });
          },
        }
      : {
          kind: 'server',
          baseUrl: settings.baseUrl,
          ...(settings.serverModel ? { serverModel: settings.serverModel } : {}),
          ...(apiKey ? { apiKey } : {}),
          maxConcurrency: this.options.serverConcurrency ?? 16,
        };
    const create = this.options.create ?? createBackend;
    this.#loading = create(choice).then(
      (backend) => {
        if (generation !== this.#generation) {
          void backend.dispose().catch(() => undefined); // superseded while loading
          return null;
        }
        const info = backend.info();
        this.#backend = backend;
        this.#set({
          state: 'ready',
          model: info.model,
          backend: info.kind,
          device: info.device,
          deviceReason: info.deviceReason ?? null,
          progress: null,
          message: null,
        });
        return backend;
      },
      (err: unknown) => {
        if (generation === this.#generation) this.#set({ ...this.#status, state: 'error', progress: null, message: oneLine(err) });
        return null;
      },
    );
    return this.#status;
  }

  /** The ready backend, waiting for a load in progress; throws a one-line reason when there is none. */
  async ready(): Promise<GroundingBackend> {
    const generation = this.#generation;
    const backend = await this.#loading;
    if (backend && generation === this.#generation) return backend;
    if (generation !== this.#generation) return this.ready();
    if (this.#status.state === 'error') throw new Error(`model failed to load: ${this.#status.message}`);
    throw new Error('no model is set up (choose a local model folder or a server in the model panel)');
  }

  /**
   * A query or a batch found the server failing (down, busy, too slow, cutting
   * answers): the status turns 'error' with why — the red model chip — while
   * the backend stays, so Retry (or the next query) can reach it again.
   */
  reportProblem(message: string): void {
    if (this.#backend && this.#status.backend === 'server' && this.#status.state !== 'loading') this.#set({ ...this.#status, state: 'error', message });
  }

  /** The server answered again: back to 'ready'. */
  reportOk(): void {
    if (this.#backend && this.#status.state === 'error') this.#set({ ...this.#status, state: 'ready', message: null });
  }

  /** Server: GET /v1/models; local: loaded or not. Never throws. */
  async health(): Promise<HealthReport> {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      const backend = await this.ready();
      const withHealth = backend as GroundingBackend & { health?: (signal?: AbortSignal) => Promise<ServerHealth> };
      if (typeof withHealth.health === 'function') {
        const report = await withHealth.health(AbortSignal.timeout(10_000));
        const message = report.ok ? `server up at ${report.url}, serving ${report.models.join(', ')}` : `server at ${report.url}: ${report.reason ?? 'not ok'}`;
        if (backend === this.#backend) {
          if (report.ok) this.reportOk();
          else this.reportProblem(message);
        }
        return { ok: report.ok, message, latencyMs: ms() };
      }
      const info = backend.info();
      return { ok: true, message: `${info.model} loaded on ${info.device}`, latencyMs: ms() };
    } catch (err) {
      return { ok: false, message: oneLine(err), latencyMs: ms() };
    }
  }

  async dispose(): Promise<void> {
    this.#generation++;
    const backend = this.#backend;
    this.#backend = null;
    this.#loading = Promise.resolve(null);
    this.#status = NO_MODEL;
    await backend?.dispose();
  }

  #set(status: ModelStatus): void {
    this.#status = status;
    this.options.onStatus?.(status);
  }
}
