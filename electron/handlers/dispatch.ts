// The one entry from outside into the handler table: validates the raw request
// with the contract's zod schema and turns every outcome into an IpcResult.
// Never throws, so ipcMain.handle and the e2e bridge pass its answer on as is.
import { firstIssue, oneLine } from '@core/errors';
import { ipcMethods, requestSchemas, type IpcHandlers, type IpcMethod, type IpcResult } from '@ipc/contract';

const known = new Set<string>(ipcMethods);

export function isIpcMethod(method: unknown): method is IpcMethod {
  return typeof method === 'string' && known.has(method);
}

export async function invokeHandler(handlers: IpcHandlers, method: string, rawRequest: unknown): Promise<IpcResult<unknown>> {
  if (!isIpcMethod(method)) return { ok: false, error: `unknown IPC method '${String(method).slice(0, 100)}'` };
  const parsed = requestSchemas[method].safeParse(rawRequest ?? {});
  if (!parsed.success) {
    return { ok: false, error: `${method}: invalid request: ${firstIssue(parsed.error, '(request)')}` };
  }
  try {
    // The schema and the handler are looked up with the same key, so the parsed
    // request has exactly the handler's parameter type; TS cannot correlate them.
    const handler = handlers[method] as (request: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    return { ok: false, error: `${method}: ${oneLine(err)}` };
  }
}
