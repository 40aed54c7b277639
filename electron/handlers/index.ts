// The main-side handler table: one plain object with a function per IPC method,
// checked against the contract with `satisfies`. ipcMain.handle (the app) and
// the e2e harness both drive it through invokeHandler (dispatch.ts).
import type { IpcHandlers } from '../ipc/contract';
import { annotationHandlers } from './annotations';
import { batchHandlers } from './batch';
import { categoryHandlers } from './categories';
import { cocoHandlers } from './coco';
import type { HandlerDeps } from './deps';
import { dialogHandlers } from './dialogs';
import { groundHandlers, groundingService } from './grounding';
import { imageHandlers } from './images';
import { modelHandlers } from './model';
import { modelsCatalogHandlers } from './models-catalog';
import { projectHandlers } from './project';
import { proposalHandlers } from './proposals';
import { guardPaths } from './path-guard';
import { ProjectSession } from './session';

export type { Dialogs, Emit, HandlerDeps } from './deps';
export { invokeHandler, isIpcMethod } from './dispatch';
export { ProjectSession } from './session';
export { PathGrants } from './path-grants';

export function createHandlers(deps: HandlerDeps): IpcHandlers {
  const session = deps.session ?? new ProjectSession(deps.nativeBinding);
  const grounding = groundingService(deps, session);
  const handlers = {
    ...projectHandlers(deps, session),
    ...imageHandlers(deps, session),
    ...annotationHandlers(session),
    ...categoryHandlers(session),
    ...cocoHandlers(deps, session),
    ...dialogHandlers(deps.dialogs),
    ...groundHandlers(grounding),
    ...modelHandlers(grounding),
    ...modelsCatalogHandlers(deps, grounding),
    ...proposalHandlers(grounding),
    ...batchHandlers(grounding),
  } satisfies IpcHandlers;
  return deps.pathGrants ? guardPaths(handlers, deps.pathGrants, session) : handlers;
}
