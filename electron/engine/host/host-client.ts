// Client side of the model host: a GroundingBackend whose work runs in another
// process (spawned through a SpawnHost, so this file imports no Electron).
// - request ids, streamed tokens, load progress;
// - cancel: soft (the host interrupts between tokens), then hard (kill the
//   process) if the host does not answer within killGraceMs, e.g. while it is
//   inside a long prefill that cannot be interrupted (EGM.md);
// - per-request timeout: the request resolves 'timeout' at once, then the same
//   soft-then-hard stop;
// - crash: pending requests resolve with a one-line reason; the next request
//   starts a fresh host and loads the last model again;
// - dispose: the host is asked to shut down and exits by itself; the kill
//   after killGraceMs is only the fallback for a host that is stuck.
import { basename } from 'node:path';
import type { BackendInfo, GroundOptions, GroundRequest, GroundingBackend } from '../backend';
import type { GroundingResult } from '@core/types';
import { failedResult, oneLine, timeLimitReason, type ResultContext } from '../result';
import type { LoadProgress } from '../local/load-model';
import type { HostEvent, HostLoadOptions, HostPort, HostRequest, SpawnHost } from './protocol';

export interface HostClientOptions {
  spawn: SpawnHost;
  /** Per-query limit (ms); default 10 minutes. */
  timeoutMs?: number;
  /** Limit for loading a model (ms); default 10 minutes. */
  loadTimeoutMs?: number;
  /** How long a soft cancel may take before the host is killed (ms); default 5 s. */
  killGraceMs?: number;
  /**
   * Told how the host ended at dispose: `killed` when it had not exited
   * killGraceMs after being told to shut down; `detail` is the exit's one line
   * ("exited with code 0", "killed by SIGKILL").
   */
  onShutdown?: (report: ShutdownReport) => void;
}

export interface ShutdownReport {
  killed: boolean;
  detail: string;
}

interface Pending {
  resolve: (value: unknown) => void;
  /** Ends the request with a one-line reason (host gone, stopped). */
  fail: (reason: string) => void;
  onToken?: (text: string) => void;
  onProgress?: (progress: LoadProgress) => void;
}

type Distribute<T> = T extends { id: number } ? Omit<T, 'id'> : never;

export class HostClient implements GroundingBackend {
  /** The host runs one generation at a time (a LocalBackend inside it). */
  readonly concurrency = 1;
  private port: HostPort | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Why requests were stopped on purpose, so a kill is not reported as a crash. */
  private readonly stopReasons = new Map<number, string>();
  private wanted: HostLoadOptions | null = null;
  private loaded: HostLoadOptions | null = null;
  private loading: Promise<BackendInfo> | null = null;
  private current: BackendInfo | null = null;
  /** Resolves when that host process is gone, with how it ended (one line). */
  private readonly exits = new WeakMap<HostPort, Promise<string>>();

  constructor(private readonly options: HostClientOptions) {}

  info(): BackendInfo {
    return this.current ?? { kind: 'local', model: this.wanted ? basename(this.wanted.modelDir) : '', device: 'none' };
  }

  /** Loads a model in the host (starting it if needed); throws a one-line Error on failure. */
  async load(options: HostLoadOptions, onProgress?: (progress: LoadProgress) => void): Promise<BackendInfo> {
    this.wanted = options;
    const loading = this.startLoad(options, onProgress);
    this.loading = loading;
    try {
      return await loading;
    } finally {
      if (this.loading === loading) this.loading = null;
    }
  }

  async ground(request: GroundRequest, options: GroundOptions = {}): Promise<GroundingResult> {
    const context: ResultContext = { phrase: request.phrase, kind: request.kind, model: this.info().model, ...(request.point ? { point: request.point } : {}) };
    if (options.signal?.aborted) return failedResult(context, 'cancelled');
    try {
      await this.ensureLoaded();
    } catch (err) {
      return failedResult(context, err);
    }
    context.model = this.info().model;
    const { promise, id } = this.request({ type: 'ground', request, stream: Boolean(options.onToken) }, { onToken: options.onToken });
    // Cancel waits for the host's own 'cancelled' result (it carries the partial text).
    const onAbort = () => this.stop(id, 'cancelled', false);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const limitMs = request.timeoutMs ?? this.options.timeoutMs ?? 600_000;
    const timer = setTimeout(() => this.stop(id, timeLimitReason(limitMs)), limitMs);
    try {
      return (await promise) as GroundingResult;
    } catch (err) {
      return failedResult(context, oneLine(err));
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Warms the host's vision cache for an image. Only where the model is
   * already loaded: a prefetch never starts a host or a load of its own.
   * Rejects with the host's one-line reason.
   */
  async prefetch(imagePath: string, maxPixels?: number): Promise<void> {
    if (!this.port || this.loading || !this.loaded || this.loaded !== this.wanted) return;
    // No timeout or kill: a slow prefetch only means the query decodes the image itself.
    await this.request({ type: 'prefetch', imagePath, ...(maxPixels ? { maxPixels } : {}) }).promise;
  }

  /** Hard stop: kills the host now; pending requests end with `reason` (default 'cancelled'). */
  kill(reason = 'cancelled'): void {
    for (const id of this.pending.keys()) this.stopReasons.set(id, reason);
    this.port?.kill();
  }

  /**
   * Ends the host: it is asked to shut down (unload, then exit), and this
   * resolves when the process is gone; only a host that has not exited after
   * killGraceMs is killed. No timer outlives the call, so a CLI run exits as
   * soon as the host does.
   */
  async dispose(): Promise<void> {
    this.wanted = null;
    const port = this.port;
    if (!port) return;
    const exited = this.exits.get(port);
    for (const id of this.pending.keys()) this.stopReasons.set(id, 'model unloaded');
    port.send({ type: 'shutdown', id: this.nextId++ });
    let killed = false;
    const grace = setTimeout(() => {
      killed = true;
      port.kill();
    }, this.options.killGraceMs ?? 5000);
    try {
      const detail = (await exited) ?? 'gone';
      this.options.onShutdown?.({ killed, detail });
    } finally {
      clearTimeout(grace);
    }
  }

  private async ensureLoaded(): Promise<void> {
    if (this.loading) {
      await this.loading;
      return;
    }
    if (!this.wanted) throw new Error('no model loaded');
    if (this.port && this.loaded === this.wanted) return;
    await this.load(this.wanted);
  }

  private async startLoad(options: HostLoadOptions, onProgress?: (progress: LoadProgress) => void): Promise<BackendInfo> {
    this.loaded = null;
    this.current = null;
    const { promise, id } = this.request({ type: 'load', options }, { onProgress });
    const timer = setTimeout(() => this.stop(id, `loading took over ${this.options.loadTimeoutMs ?? 600_000} ms`), this.options.loadTimeoutMs ?? 600_000);
    try {
      const info = (await promise) as BackendInfo;
      this.current = info;
      this.loaded = options;
      return info;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends one request and returns its answer; the promise rejects with a one-line Error. */
  private request(message: Distribute<HostRequest>, hooks: Pick<Pending, 'onToken' | 'onProgress'> = {}): { id: number; promise: Promise<unknown> } {
    const port = this.ensurePort();
    const id = this.nextId++;
    const promise = new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { resolve, fail: (reason) => reject(new Error(reason)), ...hooks });
    });
    port.send({ ...message, id } as HostRequest);
    return { id, promise };
  }

  /**
   * Soft stop now, hard stop after the grace period if the host has not
   * answered. With endNow the caller gets `reason` at once (timeouts);
   * otherwise the host's own answer, or `reason` if it has to be killed.
   */
  private stop(id: number, reason: string, endNow = true): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    if (endNow) {
      this.pending.delete(id);
      pending.fail(reason);
    }
    this.port?.send({ type: 'cancel', id: this.nextId++, target: id });
    this.stopReasons.set(id, reason);
    const port = this.port;
    setTimeout(() => {
      // Still no answer for it: the host is stuck (prefill, vision pass) — kill it.
      if (this.stopReasons.has(id) && this.port === port) port?.kill();
    }, this.options.killGraceMs ?? 5000).unref?.();
  }

  private ensurePort(): HostPort {
    if (this.port) return this.port;
    const port = this.options.spawn();
    this.port = port;
    port.onMessage((event) => this.dispatch(event));
    let exited!: (detail: string) => void;
    this.exits.set(port, new Promise<string>((resolve) => (exited = resolve)));
    port.onExit((detail) => {
      exited(detail);
      if (this.port === port) {
        this.port = null;
        this.loaded = null;
      }
      const pending = [...this.pending.entries()];
      this.pending.clear();
      for (const [id, p] of pending) p.fail(this.stopReasons.get(id) ?? `model host ${detail} during the request`);
      this.stopReasons.clear();
    });
    return port;
  }

  private dispatch(event: HostEvent): void {
    if (event.type === 'ready') return;
    // A final answer means the host got past this request: no need to kill it.
    if (event.type === 'result' || event.type === 'error') this.stopReasons.delete(event.id);
    const pending = this.pending.get(event.id);
    if (!pending) return; // answer to a request already stopped: ignore
    if (event.type === 'token') pending.onToken?.(event.text);
    else if (event.type === 'progress') pending.onProgress?.(event.progress);
    else {
      this.pending.delete(event.id);
      if (event.type === 'result') pending.resolve(event.value);
      else pending.fail(event.message);
    }
  }
}

export function createHostClient(options: HostClientOptions): HostClient {
  return new HostClient(options);
}
