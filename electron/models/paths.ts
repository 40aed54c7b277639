// Where models live on disk. The app and the CLI must agree without Electron
// (app.getPath is not available under plain Node), so the per-user data folder
// is derived here the way Electron/XDG do it, and EGM_MODELS_DIR overrides it.
import { homedir } from 'node:os';
import { join } from 'node:path';

const APP_DIR_NAME = 'egm-annotator';

export interface PathEnv {
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

/** The per-user data folder of the app (not the models folder inside it). */
export function userDataDir({ env, platform = process.platform, home = homedir() }: PathEnv): string {
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME);
  // XDG: an empty or relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  const base = xdg && xdg.startsWith('/') ? xdg : join(home, '.local', 'share');
  return join(base, APP_DIR_NAME);
}

/** The folder holding one sub-folder per installed model. */
export function defaultModelsDir(pathEnv: PathEnv): string {
  const override = pathEnv.env.EGM_MODELS_DIR;
  if (override) return override;
  return join(userDataDir(pathEnv), 'models');
}

/** "owner/name" → "owner--name" (one folder level, like the hub's own cache). */
export function modelFolderName(id: string): string {
  if (!/^(?!\.)[\w.-]+\/(?!\.)[\w.-]+$/.test(id)) throw new Error(`model id '${id}' must look like owner/name`);
  return id.replace('/', '--');
}

export function modelDir(destRoot: string, id: string): string {
  return join(destRoot, modelFolderName(id));
}

/** Staging area for downloads in progress; never scanned as installed. */
export function stagingDir(destRoot: string, id: string): string {
  return join(destRoot, '.staging', modelFolderName(id));
}
