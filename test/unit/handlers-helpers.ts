// Shared setup for the handler tests: a real handler table over real project
// files in a temp folder, with recorded events and canned dialog answers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHandlers, disposeHandlers, invokeHandler, ProjectSession, type Dialogs } from '../../electron/handlers';
import type { EventMap, IpcEvent, IpcHandlers, IpcResult } from '@ipc/contract';

export const SAMPLES_DIR = join(import.meta.dirname, '..', '..', 'assets', 'samples');

export interface Bench {
  dir: string;
  handlers: IpcHandlers;
  session: ProjectSession;
  events: { event: IpcEvent; payload: EventMap[IpcEvent] }[];
  dialogs: Dialogs;
  call(method: string, request?: unknown): Promise<IpcResult<unknown>>;
  /**
   * Resolves with the first event named `event` whose payload satisfies
   * `until`, among those already emitted since `from` (an index into events)
   * or still to come: a test waits on the event, never on a fixed sleep.
   */
  nextEvent<E extends IpcEvent>(event: E, until: (payload: EventMap[E]) => boolean, from?: number): Promise<EventMap[E]>;
  /** Calls and returns the value, failing the test with main's message when not ok. */
  ok<T = unknown>(method: string, request?: unknown): Promise<T>;
  dispose(): Promise<void>;
}

export async function makeBench(): Promise<Bench> {
  const dir = await mkdtemp(join(tmpdir(), 'egm-handlers-'));
  const events: Bench['events'] = [];
  let waiters: { event: IpcEvent; until: (payload: never) => boolean; resolve: (payload: never) => void }[] = [];
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
    emit: (event, payload) => {
      events.push({ event, payload });
      waiters = waiters.filter((w) => !(w.event === event && w.until(payload as never) && (w.resolve(payload as never), true)));
    },
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
    nextEvent: <E extends IpcEvent>(event: E, until: (payload: EventMap[E]) => boolean, from = events.length) =>
      new Promise<EventMap[E]>((resolve) => {
        const seen = events.slice(from).find((e) => e.event === event && until(e.payload as EventMap[E]));
        if (seen) resolve(seen.payload as EventMap[E]);
        else waiters.push({ event, until: until as (payload: never) => boolean, resolve: resolve as (payload: never) => void });
      }),
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
