// Adapts an Electron UtilityProcess to HostPort without importing 'electron'
// (only electron/app/ may): the app does
//   const spawn = () => utilityPort(utilityProcess.fork(hostPath, [], { serviceName: 'EGM model host', stdio: 'pipe' }));
// and hands `spawn` to createBackend / createHostClient. host-entry.ts talks
// back over process.parentPort, which is what utilityProcess provides.
import { isHostEvent, type HostEvent, type HostPort } from './protocol';

/** The part of Electron's UtilityProcess this needs (structural, so tests can fake it). */
export interface UtilityProcessLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
  stderr?: NodeJS.ReadableStream | null;
}

export function utilityPort(child: UtilityProcessLike): HostPort {
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer | string) => {
    tail = (tail + chunk.toString()).slice(-2048);
  });
  const listeners: ((event: HostEvent) => void)[] = [];
  let alive = true;
  child.on('message', (message) => {
    if (isHostEvent(message)) for (const l of listeners) l(message);
  });
  return {
    send(message) {
      if (alive) child.postMessage(message);
    },
    onMessage(listener) {
      listeners.push(listener);
    },
    onExit(listener) {
      child.on('exit', (code) => {
        alive = false;
        const last = tail.trim().split('\n').at(-1)?.trim().slice(0, 200);
        listener(`exited with code ${code}${last ? ` (${last})` : ''}`);
      });
    },
    kill() {
      child.kill();
    },
  };
}
