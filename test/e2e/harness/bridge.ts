// window.egm for the harness page, shaped like the preload's (EgmApi): every
// contract method goes through one exposed binding, 'egmInvoke', to the real
// handler table in the test's Node process; results are unwrapped the same way
// (a value, or an Error carrying main's one-line message).
//
// The init script is a string, not a function: Playwright would serialise a
// function's source, and the test transpiler's helpers (__name) would not exist
// in the page.
//
// An answer crosses as one JSON string (answerForPage), parsed in the page:
// Playwright's own serialisation of a binding's result walks every value and
// took 12-17 s for a 20,000-image list (4 MB) that Electron's IPC clones in
// tens of milliseconds (issue 18), so big projects were untestable.
import { markTransient } from '@core/errors';
import { ipcMethods, type IpcResult } from '@ipc/contract';
import { ipcEvents } from '../../../electron/handlers/events';

export const INVOKE_BINDING = 'egmInvoke';
export const EMIT_FUNCTION = '__egmHarnessEmit';

/** What the binding hands the page: the value as JSON text, or as it is where JSON would change it (NaN, Infinity, undefined in an array). */
export type PageAnswer = { ok: true; json: string | undefined } | { ok: true; value: unknown } | { ok: false; error: string; transient?: true };

export function answerForPage(result: IpcResult<unknown>): PageAnswer {
  if (!result.ok) return result;
  let exact = true;
  const json = JSON.stringify(result.value, function (this: unknown, _key, value: unknown) {
    if ((typeof value === 'number' && !Number.isFinite(value)) || (value === undefined && Array.isArray(this))) exact = false;
    return value;
  });
  return exact ? { ok: true, json } : result;
}

export function bridgeInitScript(): string {
  return `(() => {
  const methods = ${JSON.stringify(ipcMethods)};
  const events = ${JSON.stringify(ipcEvents)};
  const listeners = new Map(events.map((name) => [name, new Set()]));
  Object.defineProperty(window, ${JSON.stringify(EMIT_FUNCTION)}, {
    value: (event, payload) => { for (const listener of listeners.get(event) ?? []) listener(payload); },
  });
  const api = {};
  for (const method of methods) {
    api[method] = async (request) => {
      const answer = await window[${JSON.stringify(INVOKE_BINDING)}](method, request ?? {});
      if (!answer || typeof answer.ok !== 'boolean') throw new Error(method + ': malformed answer from the harness');
      // As @ipc/unwrap: a failure that may pass is marked (@core/errors markTransient).
      if (!answer.ok) throw new Error(answer.transient ? ${JSON.stringify(markTransient(''))} + answer.error : answer.error);
      if ('json' in answer) return answer.json === undefined ? undefined : JSON.parse(answer.json);
      return answer.value;
    };
  }
  api.imageUrl = (project, imageId, version) => '/image/' + encodeURIComponent(project) + '/' + imageId + (version ? '?v=' + version : '');
  api.thumbUrl = (project, imageId) => '/image/' + encodeURIComponent(project) + '/' + imageId + '?thumb=1';
  api.on = (event, listener) => {
    const set = listeners.get(event);
    if (!set) throw new Error("egm.on: unknown event '" + event + "'");
    set.add(listener);
    return () => { set.delete(listener); };
  };
  Object.defineProperty(window, 'egm', { value: Object.freeze(api), enumerable: true });
})();`;
}
