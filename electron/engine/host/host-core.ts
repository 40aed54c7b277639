// What the host process does with each request, independent of how messages
// arrive (utilityProcess port or child_process IPC; see host-entry.ts).
// One model at a time: a load replaces the loaded model. Queries run one after
// another inside the backend; cancels act at once, between tokens.
import type { GroundingResult } from '@core/types';
import { failedResult, oneLine } from '../result';
import { loadLocalBackend, type LocalBackend } from '../local/local-backend';
import type { HostEvent, HostRequest } from './protocol';

export class HostCore {
  private backend: LocalBackend | null = null;
  private loading: Promise<unknown> = Promise.resolve();
  private readonly running = new Map<number, AbortController>();

  /**
   * emit: sends an event to the client. exit: ends the host process (after a
   * 'shutdown' request); host-entry.ts passes process.exit.
   */
  constructor(
    private readonly emit: (event: HostEvent) => void,
    private readonly exit: (code: number) => void = () => undefined,
  ) {}

  handle(message: HostRequest): void {
    switch (message.type) {
      case 'load':
        this.loading = this.loading.then(() => this.load(message));
        return;
      case 'ground':
        void this.ground(message);
        return;
      case 'prefetch':
        void this.prefetch(message);
        return;
      case 'cancel':
        this.running.get(message.target)?.abort();
        return;
      case 'dispose':
        this.loading = this.loading.then(() => this.dispose(message.id));
        return;
      case 'shutdown':
        // Running queries stop now (not after the load queue), then the process ends.
        for (const controller of this.running.values()) controller.abort();
        this.loading = this.loading.then(() => this.shutdown());
        return;
    }
  }

  private async load(message: Extract<HostRequest, { type: 'load' }>): Promise<void> {
    try {
      await this.unload();
      this.backend = await loadLocalBackend({
        ...message.options,
        onProgress: (progress) => this.emit({ type: 'progress', id: message.id, progress }),
      });
      this.emit({ type: 'result', id: message.id, value: this.backend.info() });
    } catch (err) {
      this.emit({ type: 'error', id: message.id, message: oneLine(err) });
    }
  }

  private async ground(message: Extract<HostRequest, { type: 'ground' }>): Promise<void> {
    const { id, request } = message;
    const controller = new AbortController();
    this.running.set(id, controller);
    let result: GroundingResult;
    try {
      // A query sent right after a load waits for it, so the client need not.
      await this.loading;
      result = this.backend
        ? await this.backend.ground(request, {
            signal: controller.signal,
            ...(message.stream ? { onToken: (text: string) => this.emit({ type: 'token', id, text }) } : {}),
          })
        : failedResult({ phrase: request.phrase, kind: request.kind, model: '' }, 'no model loaded in the model host');
    } catch (err) {
      // Backends resolve failures; this is a bug, still reported as a result, never a crash.
      result = failedResult({ phrase: request.phrase, kind: request.kind, model: '' }, err);
    } finally {
      this.running.delete(id);
    }
    this.emit({ type: 'result', id, value: result });
  }

  private async prefetch(message: Extract<HostRequest, { type: 'prefetch' }>): Promise<void> {
    try {
      await this.loading;
      await this.backend?.prefetch(message.imagePath, message.maxPixels);
      this.emit({ type: 'result', id: message.id, value: null });
    } catch (err) {
      this.emit({ type: 'error', id: message.id, message: oneLine(err) });
    }
  }

  private async dispose(id: number): Promise<void> {
    try {
      await this.unload();
      this.emit({ type: 'result', id, value: null });
    } catch (err) {
      this.emit({ type: 'error', id, message: oneLine(err) });
    }
  }

  private async shutdown(): Promise<void> {
    try {
      await this.unload();
      this.exit(0);
    } catch (err) {
      // Unloading failed: the process ends all the same, saying why.
      process.stderr.write(`model host: unloading at shutdown failed: ${oneLine(err)}\n`);
      this.exit(1);
    }
  }

  private async unload(): Promise<void> {
    const backend = this.backend;
    this.backend = null;
    for (const controller of this.running.values()) controller.abort();
    await backend?.dispose();
  }
}
