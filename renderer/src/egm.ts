// The renderer's only way to the main process: window.egm, put there by the
// preload (or by the e2e bridge). Typed by the one IPC contract.
import type { EgmApi } from '../../electron/ipc/contract';

declare global {
  interface Window {
    egm?: EgmApi;
  }
}

export function egm(): EgmApi {
  const api = window.egm;
  if (!api) throw new Error('window.egm is missing: the preload did not run');
  return api;
}

/** One line for an error banner, whatever was thrown. */
export function errorText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  // Electron prefixes invoke errors with "Error invoking remote method 'x': Error: ..."; keep the reason.
  return msg.replace(/^Error invoking remote method '[^']+': (Error: )?/, '').split('\n')[0]!;
}
