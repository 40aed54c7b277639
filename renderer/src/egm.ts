// The renderer's only way to the main process: the API the installed workbench
// was made with (main.tsx passes window.egm, put there by the preload or the
// e2e bridge; a test passes one over the real handler table). Typed by the
// one IPC contract.
import { ipcMethods, type EgmApi } from '@ipc/contract';
import { workbench } from './workbench/current';

declare global {
  interface Window {
    egm?: EgmApi;
  }
}

export function egm(): EgmApi {
  return workbench().api;
}

/** window.egm, for main.tsx to make the workbench with. */
export function windowApi(): EgmApi {
  const api = window.egm;
  if (!api) throw new Error('window.egm is missing: the preload did not run');
  return api;
}

/** One line for an error banner, whatever was thrown. */
export function errorText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  // Electron prefixes invoke errors with "Error invoking remote method 'x': Error: ..."; keep the reason.
  return withoutMethodName(msg.replace(/^Error invoking remote method '[^']+': (Error: )?/, '').split('\n')[0]!);
}

/** Main names the IPC method that failed ("ground: no model is set up"): an internal name, not for the user (issue 11). */
export function withoutMethodName(line: string): string {
  return line.replace(METHOD_PREFIX, '$1');
}
// Longest first, so "model:status" is not cut as "model" plus a rest.
const METHOD_PREFIX = new RegExp(`(^|\\s)(?:${[...ipcMethods].sort((a, b) => b.length - a.length).map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')}): `, 'g');
