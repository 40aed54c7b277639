// What the handler table needs from its host. The Electron app and the e2e
// harness each provide these, so the very same table runs in both.
import type { EventMap, IpcEvent } from '@ipc/contract';
import type { ProjectSession } from './session';
import type { GroundingService } from '../grounding/service';
import type { SecretStore } from '../grounding/secrets';
import type { SpawnHost } from '../engine/host/protocol';
import type { PathGrants } from './path-grants';

/** Native file dialogs, reduced to the paths they answer (null / [] when cancelled). */
export interface Dialogs {
  openProject(): Promise<string | null>;
  createProject(): Promise<string | null>;
  pickImages(): Promise<string[]>;
  saveCoco(): Promise<string | null>;
  openCoco(): Promise<string | null>;
  /** Where an export goes (issue 9): a file, or the root folder for RefCOCO; a host without it answers null. */
  saveExport?(format: 'coco' | 'refcoco' | 'odvg' | 'qwenvl'): Promise<string | null>;
  /** The folder export file names are relative to; a host without it answers null. */
  pickImagesRoot?(): Promise<string | null>;
  /** A local model folder (issue 4); a host without it answers null. */
  pickModelFolder?(): Promise<string | null>;
  /**
   * Asked during a COCO import whose file names lead outside the images
   * folder: read those files anyway (true) or skip them (false)? A host
   * without it skips them.
   */
  confirmOutsideImages?(paths: string[], imagesDir: string): Promise<boolean>;
}

/** Each dialog's answer as plain data: what the e2e harness and tests set before a click. */
export type DialogAnswers = { [K in keyof Required<Dialogs>]: Awaited<ReturnType<Required<Dialogs>[K]>> };

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
  /** Where the server API key is kept (the app: Electron safeStorage); default: the EGM_API_KEY environment variable. */
  secrets?: SecretStore;
  /** How to start the model host (the app: utilityProcess); default: a Node child process. */
  spawnHost?: SpawnHost;
  /** A grounding service made by the host (so it can dispose it on quit); default: one made from the fields above. */
  grounding?: GroundingService;
  /** Environment of the catalog downloads (HF_ENDPOINT, HF_TOKEN, EGM_MODELS_DIR, EGM_CATALOG) and of a server's API key variable; default process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * Paths main handed the renderer (path-grants.ts); when given, methods taking a
   * path refuse any other. The app and the e2e harness pass one; absent, paths are
   * not checked (handler tests that call the table directly).
   */
  pathGrants?: PathGrants;
}
