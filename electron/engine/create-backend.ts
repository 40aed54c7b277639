// Builds the GroundingBackend the options ask for, so the CLI, batch runs and
// the app never care which kind they hold:
//   - local model folder → a model host process (HostClient) that loads it;
//     inProcess loads it in this process instead (tests, benches only:
//     onnxruntime's run blocks the calling thread);
//   - server URL → the OpenAI-compatible server backend.
// Local loading fails fast with a one-line Error (missing files, other
// architecture); queries never throw (see backend.ts).
import type { GroundingBackend } from './backend';
import type { DeviceRequest } from './local/device';
import type { LoadProgress } from './local/load-model';
import type { HostLoadOptions, SpawnHost } from './host/protocol';
import type { ShutdownReport } from './host/host-client';

export interface LocalBackendChoice {
  kind: 'local';
  modelDir: string;
  device?: DeviceRequest;
  dtype?: string | Record<string, string>;
  cacheDir?: string;
  maxPixels?: number;
  /** How to start the host; default: a Node child process (node-spawn.ts). The app passes utilityProcess. */
  spawn?: SpawnHost;
  /** Per-query limit in ms (host client). */
  timeoutMs?: number;
  inProcess?: boolean;
  onProgress?: (progress: LoadProgress) => void;
  /** How the host process ended when the backend was disposed (host-client.ts). */
  onHostShutdown?: (report: ShutdownReport) => void;
}

export interface ServerBackendChoice {
  kind: 'server';
  baseUrl: string;
  serverModel?: string;
  /** Environment variable holding the API key (never the key itself on a command line). */
  apiKeyEnv?: string;
  apiKey?: string;
  maxConcurrency?: number;
  maxTokens?: number;
}

export type BackendChoice = LocalBackendChoice | ServerBackendChoice;

export async function createBackend(choice: BackendChoice): Promise<GroundingBackend> {
  if (choice.kind === 'server') {
    const { createServerBackend } = await import('./server/backend');
    return createServerBackend({
      baseUrl: choice.baseUrl,
      ...(choice.serverModel ? { model: choice.serverModel } : {}),
      ...(choice.apiKeyEnv ? { apiKeyEnv: choice.apiKeyEnv } : {}),
      ...(choice.apiKey ? { apiKey: choice.apiKey } : {}),
      ...(choice.maxConcurrency ? { maxConcurrency: choice.maxConcurrency } : {}),
      ...(choice.maxTokens ? { maxTokens: choice.maxTokens } : {}),
    });
  }
  const load: HostLoadOptions = {
    modelDir: choice.modelDir,
    ...(choice.device ? { device: choice.device } : {}),
    ...(choice.dtype ? { dtype: choice.dtype } : {}),
    ...(choice.cacheDir ? { cacheDir: choice.cacheDir } : {}),
    ...(choice.maxPixels ? { maxPixels: choice.maxPixels } : {}),
  };
  if (choice.inProcess) {
    // Imported lazily: transformers.js and onnxruntime load only where a model runs.
    const { loadLocalBackend } = await import('./local/local-backend');
    return loadLocalBackend({ ...load, ...(choice.onProgress ? { onProgress: choice.onProgress } : {}) });
  }
  // Check the folder here first: a missing file is reported without starting a process.
  const { checkModelFolder } = await import('./local/model-folder');
  checkModelFolder(load.modelDir, load.dtype);
  const { createHostClient } = await import('./host/host-client');
  const spawn = choice.spawn ?? (await import('./host/node-spawn')).nodeSpawn();
  const client = createHostClient({
    spawn,
    ...(choice.timeoutMs ? { timeoutMs: choice.timeoutMs } : {}),
    ...(choice.onHostShutdown ? { onShutdown: choice.onHostShutdown } : {}),
  });
  try {
    await client.load(load, choice.onProgress);
  } catch (err) {
    await client.dispose();
    throw err;
  }
  return client;
}
