// What the handler table needs from its host. The Electron app and the e2e
// harness each provide these, so the very same table runs in both.
import type { EventMap, IpcEvent } from '../ipc/contract';
import type { ProjectSession } from './session';

/** Native file dialogs, reduced to the paths they answer (null / [] when cancelled). */
export interface Dialogs {
  openProject(): Promise<string | null>;
  createProject(): Promise<string | null>;
  pickImages(): Promise<string[]>;
  saveCoco(): Promise<string | null>;
  openCoco(): Promise<string | null>;
}

export type Emit = <E extends IpcEvent>(event: E, payload: EventMap[E]) => void;

export interface HandlerDeps {
  dialogs: Dialogs;
  /** Pushes an event to the renderer (webContents.send in the app, page.evaluate in the harness). */
  emit: Emit;
  /** Read-only folder holding the bundled sample images (assets/samples). */
  samplesDir: string;
  /** Writable per-user folder: the sample project is created under it. */
  userDataDir: string;
  /** Path of a better-sqlite3 .node file built for this runtime's ABI (Electron); default binding when absent. */
  nativeBinding?: string;
  /** The open-project holder; pass one to observe it (image protocol, settings), else a fresh one is made. */
  session?: ProjectSession;
}
