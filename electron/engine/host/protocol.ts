// The model host's message protocol: what the app or the CLI (client) sends to
// the host process and what comes back. Every request carries an id chosen by
// the client; every event names the request it belongs to. Messages are plain
// JSON-safe objects so they cross both Electron's utilityProcess port and
// Node's child_process IPC unchanged.
import type { BackendInfo, GroundRequest } from '../backend';
import type { GroundingResult } from '@core/types';
import type { LoadProgress } from '../local/load-model';
import type { DeviceRequest } from '../local/device';

/** What the host needs to load a local model (serialisable subset of LocalBackendOptions). */
export interface HostLoadOptions {
  modelDir: string;
  device?: DeviceRequest;
  dtype?: string | Record<string, string>;
  cacheDir?: string;
  maxPixels?: number;
}

export type HostRequest =
  /** Loads a model, replacing the one loaded (one model at a time). Answer: result with BackendInfo. */
  | { type: 'load'; id: number; options: HostLoadOptions }
  /** Runs one query. Answer: token events when stream is true, then result with a GroundingResult. */
  | { type: 'ground'; id: number; request: GroundRequest; stream: boolean }
  /** Decodes an image into the loaded model's vision cache, beside any running query. Answer: result with null, or error. */
  | { type: 'prefetch'; id: number; imagePath: string; maxPixels?: number }
  /** Soft cancel of request `target`: generation stops between tokens. Answer: none of its own. */
  | { type: 'cancel'; id: number; target: number }
  /** Unloads the model. Answer: result with null. */
  | { type: 'dispose'; id: number }
  /** Unloads the model and ends the host process (exit code 0). Answer: the process's exit, no message. */
  | { type: 'shutdown'; id: number };

export type HostEvent =
  /** Sent once when the host is listening. */
  | { type: 'ready'; pid: number }
  | { type: 'progress'; id: number; progress: LoadProgress }
  | { type: 'token'; id: number; text: string }
  | { type: 'result'; id: number; value: BackendInfo | GroundingResult | null }
  /** The request failed as a whole (load errors); message is one line. */
  | { type: 'error'; id: number; message: string };

/**
 * One running host process, whatever starts it: Node's child_process.fork
 * (CLI, tests: see node-spawn.ts) or Electron's utilityProcess.fork (app,
 * wired in electron/app/). The client knows only this.
 */
export interface HostPort {
  send(message: HostRequest): void;
  onMessage(listener: (event: HostEvent) => void): void;
  /** Called once when the process is gone, for whatever reason; detail is one line (exit code, signal, last stderr line). */
  onExit(listener: (detail: string) => void): void;
  /** Hard stop: ends the process now. */
  kill(): void;
}

export type SpawnHost = () => HostPort;

const REQUEST_TYPES = new Set(['load', 'ground', 'prefetch', 'cancel', 'dispose', 'shutdown']);
const EVENT_TYPES = new Set(['ready', 'progress', 'token', 'result', 'error']);

/** Cheap shape checks at the process boundary: a malformed message is dropped and logged, never acted on. */
export function isHostRequest(value: unknown): value is HostRequest {
  const v = value as { type?: unknown; id?: unknown } | null;
  return typeof v === 'object' && v !== null && REQUEST_TYPES.has(v.type as string) && Number.isInteger(v.id);
}

export function isHostEvent(value: unknown): value is HostEvent {
  const v = value as { type?: unknown } | null;
  return typeof v === 'object' && v !== null && EVENT_TYPES.has(v.type as string);
}
