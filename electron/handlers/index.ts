// The main-side handler table: one plain object with a function per IPC method,
// checked against the contract with `satisfies`. ipcMain.handle (the app) and
// the e2e harness both drive it through invokeHandler (dispatch.ts).
import type { IpcHandlers } from '@ipc/contract';
import { annotationHandlers } from './annotations';
import { batchHandlers } from './batch';
import { categoryHandlers } from './categories';
import { cocoHandlers } from './coco';
import { datasetHandlers } from './datasets';
import { evalHandlers } from './evaluate';
import type { HandlerDeps } from './deps';
import { dialogHandlers } from './dialogs';
import { groundHandlers, groundingService } from './grounding';
import { imageHandlers } from './images';
import { negativeHandlers } from './negatives';
import { modelHandlers } from './model';
import { modelsCatalogHandlers } from './models-catalog';
import { projectHandlers } from './project';
import { proposalHandlers } from './proposals';
import { guardPaths } from './path-guard';
import { checkProjectTags } from './dispatch';
import { ProjectSession } from './session';

export type { DialogAnswers, Dialogs, Emit, HandlerDeps } from './deps';
export { invokeHandler, isIpcMethod } from './dispatch';
export { ProjectSession } from './session';
export { PathGrants } from './path-grants';

/** How to shut each handler table down: the table stays a plain object (the contract's shape). */
const shutdowns = new WeakMap<IpcHandlers, () => Promise<void>>();

/**
 * Ends what a handler table started: running queries stop, a running batch is
 * paused (resumable next time), the model host process ends, the project
 * closes. The app calls it on quit, the e2e harness on close.
 */
export async function disposeHandlers(handlers: IpcHandlers): Promise<void> {
  await shutdowns.get(handlers)?.();
}

export function createHandlers(deps: HandlerDeps): IpcHandlers {
  const session = deps.session ?? new ProjectSession(deps.nativeBinding);
  const grounding = groundingService(deps, session);
  const handlers = {
    ...projectHandlers(deps, session),
    ...imageHandlers(deps, session),
    ...annotationHandlers(session),
    ...categoryHandlers(session),
    ...cocoHandlers(deps, session),
    ...datasetHandlers(session),
    ...dialogHandlers(deps.dialogs),
    ...groundHandlers(grounding),
    ...modelHandlers(grounding),
    ...modelsCatalogHandlers(deps, grounding),
    ...proposalHandlers(grounding),
    ...batchHandlers(grounding),
    ...evalHandlers(deps, session, grounding),
    ...negativeHandlers(session),
  } satisfies IpcHandlers;
  const table = deps.pathGrants ? guardPaths(handlers, deps.pathGrants, session) : handlers;
  // A call tagged for a project (ProjectInfo.token) is refused while another is open (issue 16).
  checkProjectTags(table, () => session.current?.token ?? null);
  shutdowns.set(table, async () => {
    // A service that failed to start has nothing running; its handlers already report why.
    const service = await grounding().catch(() => null);
    await service?.dispose();
    session.close();
  });
  return table;
}
