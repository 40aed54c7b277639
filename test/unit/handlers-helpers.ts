// Shared setup for the handler tests: a real handler table over real project
// files in a temp folder, with recorded events and canned dialog answers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHandlers, disposeHandlers, invokeHandler, ProjectSession, type Dialogs } from '../../electron/handlers';
import type { EventMap, IpcEvent, IpcHandlers, IpcResult } from '../../electron/ipc/contract';

export const SAMPLES_DIR = join(import.meta.dirname, '..', '..', 'assets', 'samples');

export interface Bench {
  dir: string;
  handlers: IpcHandlers;
  session: ProjectSession;
  events: { event: IpcEvent; payload: EventMap[IpcEvent] }[];
  dialogs: Dialogs;
  call(method: string, request?: unknown): Promise<IpcResult<unknown>>;
  /** Calls and returns the value, failing the test with main's message when not ok. */
  ok<T = unknown>(method: string, request?: unknown): Promise<T>;
  dispose(): Promise<void>;
}

export async function makeBench(): Promise<Bench> {
  const dir = await mkdtemp(join(tmpdir(), 'egm-handlers-'));
  const events: Bench['events'] = [];
  const session = new ProjectSession();
  const dialogs: Dialogs = {
    openProject: async () => join(dir, 'picked.egm'),
    createProject: async () => null,
    pickImages: async () => [join(SAMPLES_DIR, 'coffee.png')],
    saveCoco: async () => join(dir, 'out.json'),
    openCoco: async () => null,
  };
  const handlers = createHandlers({
    dialogs,
    emit: (event, payload) => events.push({ event, payload }),
    samplesDir: SAMPLES_DIR,
    userDataDir: join(dir, 'userData'),
    session,
  });
  const call = (method: string, request?: unknown) => invokeHandler(handlers, method, request);
  return {
    dir,
    handlers,
    session,
    events,
    dialogs,
    call,
    ok: async <T,>(method: string, request?: unknown) => {
      const result = await call(method, request);
      if (!result.ok) throw new Error(`expected ${method} to succeed: ${result.error}`);
      return result.value as T;
    },
    dispose: async () => {
      await disposeHandlers(handlers);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
