// The one entry from outside into the handler table: checks the project tag,
// validates the raw request with the contract's zod schema and turns every
// outcome into an IpcResult. Never throws, so ipcMain.handle and the e2e
// bridge pass its answer on as is.
import { firstIssue, oneLine } from '@core/errors';
import { ipcMethods, projectTagSchema, requestSchemas, type IpcHandlers, type IpcMethod, type IpcResult } from '@ipc/contract';

const known = new Set<string>(ipcMethods);

export function isIpcMethod(method: unknown): method is IpcMethod {
  return typeof method === 'string' && known.has(method);
}

/** The token of the project each handler table has open (ProjectInfo.token), for the project tag check. */
const openProjects = new WeakMap<IpcHandlers, () => string | null>();

/** createHandlers says where its table's open project is; a tagged request for another is refused. */
export function checkProjectTags(handlers: IpcHandlers, openToken: () => string | null): void {
  openProjects.set(handlers, openToken);
}

/**
 * Failures that may pass if the same call is made again: another process
 * holds the write lock (SQLITE_BUSY, store/write-lock.ts), the disk is full or
 * failing, the system is out of handles. Anything else a handler throws (a
 * check of the store, a record not there, a read-only project) fails the
 * same way every time.
 */
const TRANSIENT_CODE = /^(SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|PROTOCOL)|EIO|ENOSPC|EAGAIN|EBUSY|EMFILE|ENFILE|ETIMEDOUT)/;

function mayPass(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_CODE.test(code);
}

/** The request without its project tag, and the tag (undefined: untagged). */
function splitTag(raw: unknown): { project: unknown; request: unknown } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('project' in raw)) return { project: undefined, request: raw };
  const { project, ...request } = raw as Record<string, unknown>;
  return { project, request };
}

export async function invokeHandler(handlers: IpcHandlers, method: string, rawRequest: unknown): Promise<IpcResult<unknown>> {
  if (!isIpcMethod(method)) return { ok: false, error: `unknown IPC method '${String(method).slice(0, 100)}'` };
  const { project, request } = splitTag(rawRequest ?? {});
  if (project !== undefined) {
    const tag = projectTagSchema.safeParse(project);
    if (!tag.success) return { ok: false, error: `${method}: invalid request: ${firstIssue(tag.error, 'project')}` };
    const open = openProjects.get(handlers)?.();
    // Issue 16: an edit made in one project never lands in another opened since.
    if (open !== undefined && tag.data !== open) {
      return { ok: false, error: `${method}: refused: made in a project that is no longer open (${open === null ? 'none is open now' : 'another one is open now'}); nothing was changed` };
    }
  }
  const parsed = requestSchemas[method].safeParse(request);
  if (!parsed.success) {
    return { ok: false, error: `${method}: invalid request: ${firstIssue(parsed.error, '(request)')}` };
  }
  try {
    // The schema and the handler are looked up with the same key, so the parsed
    // request has exactly the handler's parameter type; TS cannot correlate them.
    const handler = handlers[method] as (request: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    return mayPass(err) ? { ok: false, error: `${method}: ${oneLine(err)}`, transient: true } : { ok: false, error: `${method}: ${oneLine(err)}` };
  }
}
