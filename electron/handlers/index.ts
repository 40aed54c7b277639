// The main-side handler table: one plain object with a function per IPC method,
// checked against the contract with `satisfies`. ipcMain.handle (the app) and
// the e2e harness both drive it through invokeHandler (dispatch.ts).
import type { IpcHandlers } from '../ipc/contract';
import { annotationHandlers } from './annotations';
import { categoryHandlers } from './categories';
import { cocoHandlers } from './coco';
import type { HandlerDeps } from './deps';
import { dialogHandlers } from './dialogs';
import { imageHandlers } from './images';
import { projectHandlers } from './project';
import { ProjectSession } from './session';

export type { Dialogs, Emit, HandlerDeps } from './deps';
export { invokeHandler, isIpcMethod } from './dispatch';
export { ProjectSession } from './session';

export function createHandlers(deps: HandlerDeps): IpcHandlers {
  const session = deps.session ?? new ProjectSession(deps.nativeBinding);
  const handlers = {
    ...projectHandlers(deps, session),
    ...imageHandlers(deps, session),
    ...annotationHandlers(session),
    ...categoryHandlers(session),
    ...cocoHandlers(deps, session),
    ...dialogHandlers(deps.dialogs),
  } satisfies IpcHandlers;
  return handlers;
}
