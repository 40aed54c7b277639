// Starts the model host as an Electron utilityProcess: inference (onnxruntime
// blocks the thread that runs it) never touches the main process's event loop.
// The host code is the same file the CLI forks as a Node child process.
import { utilityProcess } from 'electron';
import { join } from 'node:path';
import type { SpawnHost } from '../engine/host/protocol';
import { utilityPort } from '../engine/host/utility-port';

export function utilityHostSpawner(mainDir: string): SpawnHost {
  const hostPath = join(mainDir, '..', 'host', 'model-host.mjs');
  return () => utilityPort(utilityProcess.fork(hostPath, [], { serviceName: 'EGM model host', stdio: 'pipe' }));
}
