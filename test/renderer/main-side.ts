// The main side a renderer test talks to: the REAL handler table (the one
// ipcMain drives in the app) over a temp folder, wrapped as an EgmApi the way
// the preload and the e2e bridge shape it — every call validated by the
// contract's schemas and answered with a value or an Error carrying main's
// one-line message; events pushed to the listeners registered with on().
// Saves land in the project's SQLite file, so a test can read them back.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHandlers, disposeHandlers, invokeHandler, ProjectSession } from '../../electron/handlers';
import { ipcMethods, type EgmApi, type EventMap, type IpcEvent, type IpcHandlers } from '@ipc/contract';
import { unwrapResult } from '@ipc/unwrap';

export const SAMPLES_DIR = join(import.meta.dirname, '..', '..', 'assets', 'samples');

export class MainSide {
  /** Every API call the renderer made, in order (method names). */
  readonly calls: string[] = [];
  readonly api: EgmApi;
  private readonly listeners = new Map<IpcEvent, Set<(payload: never) => void>>();

  private constructor(
    readonly dir: string,
    readonly handlers: IpcHandlers,
  ) {
    const api: Record<string, unknown> = {};
    for (const method of ipcMethods) {
      api[method] = async (request: unknown) => {
        this.calls.push(method);
        return unwrapResult(method, await invokeHandler(handlers, method, request ?? {}));
      };
    }
    api.imageUrl = (project: string, imageId: number, version?: number) => `/image/${project}/${imageId}${version ? `?v=${version}` : ''}`;
    api.thumbUrl = (project: string, imageId: number) => `/image/${project}/${imageId}?thumb=1`;
    api.on = <E extends IpcEvent>(event: E, listener: (payload: EventMap[E]) => void) => {
      let set = this.listeners.get(event);
      if (!set) this.listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => void set.delete(listener as (payload: never) => void);
    };
    this.api = api as EgmApi;
  }

  static async start(): Promise<MainSide> {
    const dir = await mkdtemp(join(tmpdir(), 'egm-renderer-'));
    let side: MainSide | null = null;
    const handlers = createHandlers({
      dialogs: {
        openProject: async () => null,
        createProject: async () => null,
        pickImages: async () => [],
        saveCoco: async () => null,
        openCoco: async () => null,
      },
      emit: (event, payload) => side?.emit(event, payload),
      samplesDir: SAMPLES_DIR,
      userDataDir: join(dir, 'userData'),
      session: new ProjectSession(),
      env: {},
    });
    side = new MainSide(dir, handlers);
    return side;
  }

  private emit<E extends IpcEvent>(event: E, payload: EventMap[E]): void {
    for (const fn of this.listeners.get(event) ?? []) (fn as (p: EventMap[E]) => void)(payload);
  }

  /** Calls main directly (test set-up and read-back), failing with main's message. */
  async ok<M extends keyof IpcHandlers>(method: M, request: Parameters<EgmApi[M]>[0]): Promise<Awaited<ReturnType<EgmApi[M]>>> {
    const answer = await invokeHandler(this.handlers, method, request);
    if (!answer.ok) throw new Error(`expected ${method} to succeed: ${answer.error}`);
    return answer.value as Awaited<ReturnType<EgmApi[M]>>;
  }

  async dispose(): Promise<void> {
    await disposeHandlers(this.handlers);
    await rm(this.dir, { recursive: true, force: true });
  }
}
