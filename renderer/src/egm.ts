// The renderer's only way to the main process: the API the installed workbench
// was made with (main.tsx passes window.egm, put there by the preload or the
// e2e bridge; a test passes one over the real handler table). Typed by the
// one IPC contract.
import { withoutTransientMark } from '@core/errors';
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

/**
 * The API with every call tagged for the project open now (issue 16): a call
 * queued in this project and run after another one opened is refused by main
 * and changes nothing there. Edits and their retries go through it.
 */
export function projectApi(): EgmApi {
  const api = egm();
  const project = workbench().app.getState().project?.token;
  if (!project) return api;
  // A plain object, not a Proxy: window.egm is frozen, and a Proxy may not answer another value for a frozen property.
  const tagged: Record<string, unknown> = { imageUrl: api.imageUrl, thumbUrl: api.thumbUrl, on: api.on };
  for (const method of ipcMethods) tagged[method] = (request: object) => (api[method] as (r: object) => unknown)({ ...request, project });
  return tagged as EgmApi;
}

/** window.egm, for main.tsx to make the workbench with. */
export function windowApi(): EgmApi {
  const api = window.egm;
  if (!api) throw new Error('window.egm is missing: the preload did not run');
  return api;
}

/** One line for an error banner, whatever was thrown. */
export function errorText(err: unknown): string {
  const msg = withoutTransientMark(err instanceof Error ? err.message : String(err));
  // Electron prefixes invoke errors with "Error invoking remote method 'x': Error: ..."; keep the reason.
  return withoutMethodName(msg.replace(/^Error invoking remote method '[^']+': (Error: )?/, '').split('\n')[0]!);
}

/** Main names the IPC method that failed ("ground: no model is set up"): an internal name, not for the user (issue 11). */
export function withoutMethodName(line: string): string {
  return line.replace(METHOD_PREFIX, '$1');
}
// Longest first, so "model:status" is not cut as "model" plus a rest.
const METHOD_PREFIX = new RegExp(`(^|\\s)(?:${[...ipcMethods].sort((a, b) => b.length - a.length).map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')}): `, 'g');
