// Electron main: single instance, security settings, protocols, the IPC handler
// table, and the project to show first (the last one opened, else the sample).
// All app logic lives in plain-Node modules (handlers, store, images); this
// folder only wires them to Electron.
import { app, BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import { createHandlers, ProjectSession } from '../handlers';
import { eventChannel } from '../handlers/events';
import { openSampleProject } from '../handlers/sample';
import { loadSettings, saveSettings } from '../settings/settings';
import { electronDialogs } from './dialogs';
import { registerIpc } from './ipc';
import { appPaths } from './paths';
import { APP_ORIGIN, handleProtocols, registerSchemes } from './protocols';
import { hardenSession, hardenWebContents } from './security';
import { createMainWindow } from './window';

/** Only pages of our own protocol may navigate or call IPC. */
const isAppUrl = (url: string): boolean => url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);

// A separate user-data folder (tests, or a second profile); must be set before the lock and 'ready'.
if (process.env.EGM_USER_DATA_DIR) app.setPath('userData', process.env.EGM_USER_DATA_DIR);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerSchemes();
  hardenWebContents(isAppUrl);
  let mainWindow: BrowserWindow | null = null;
  // Set by scripts/start.mjs in development: a better-sqlite3 binary built for
  // Electron's ABI, kept apart from node_modules' Node build (see that script).
  const nativeBinding = process.env.EGM_SQLITE_BINDING || undefined;
  const session = new ProjectSession(nativeBinding);

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());

  app
    .whenReady()
    .then(async () => {
      hardenSession();
      const userDataDir = app.getPath('userData');
      session.onChange((store) => {
        if (!store) return;
        saveSettings(userDataDir, { lastProject: store.path }).catch((err: Error) => console.error(`settings: cannot save (${err.message})`));
      });
      const samplesDir = appPaths.samples();
      const handlers = createHandlers({
        dialogs: electronDialogs(() => mainWindow),
        emit: (event, payload) => mainWindow?.webContents.send(eventChannel(event), payload),
        samplesDir,
        userDataDir,
        nativeBinding,
        session,
      });
      handleProtocols(appPaths.renderer, () => session.current);
      registerIpc(handlers, isAppUrl);
      await openFirstProject(session, samplesDir, userDataDir);
      mainWindow = createMainWindow();
      mainWindow.on('closed', () => {
        mainWindow = null;
      });
    })
    .catch((err: Error) => {
      console.error(`egm: startup failed: ${err.stack ?? err.message}`);
      app.exit(1);
    });

  // Closing checkpoints the WAL, so the project is one file again after quitting.
  app.on('will-quit', () => session.close());
}

/** Last project if it still exists and opens; else the sample. A failure is logged, not fatal. */
async function openFirstProject(session: ProjectSession, samplesDir: string, userDataDir: string): Promise<void> {
  const { lastProject } = await loadSettings(userDataDir);
  if (lastProject && existsSync(lastProject)) {
    try {
      session.open(lastProject, { create: false });
      return;
    } catch (err) {
      console.error(`egm: cannot reopen ${lastProject} (${(err as Error).message}); opening the sample project`);
    }
  }
  try {
    await openSampleProject(session, samplesDir, userDataDir);
  } catch (err) {
    console.error(`egm: cannot open the sample project (${(err as Error).message})`);
  }
}
