// Electron main: single instance, security settings, protocols, the IPC handler
// table, and the project to show first (the last one opened, else the sample).
// All app logic lives in plain-Node modules (handlers, store, images); this
// folder only wires them to Electron.
import { app, BrowserWindow } from 'electron';
import { createHandlers, disposeHandlers, PathGrants, ProjectSession } from '../handlers';
import type { IpcHandlers } from '@ipc/contract';
import { eventChannel } from '../handlers/events';
import { openStartupProject, rememberLastProject } from '../settings/startup';
import { sqliteBinding } from '../store/sqlite-binding';
import { electronDialogs } from './dialogs';
import { registerIpc } from './ipc';
import { installAppMenu } from './menu';
import { utilityHostSpawner } from './model-host';
import { safeStorageSecrets } from './secrets';
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
  // Every renderer sandboxed, whatever its webPreferences say.
  app.enableSandbox();
  registerSchemes();
  hardenWebContents(isAppUrl);
  let mainWindow: BrowserWindow | null = null;
  let handlers: IpcHandlers | null = null;
  let shutDown = false;
  // Set by scripts/start.mjs in development: a better-sqlite3 binary built for
  // Electron's ABI, kept apart from node_modules' Node build (see that script).
  // A packaged app ignores it and loads its own unpacked module.
  const nativeBinding = sqliteBinding(process.env, app.isPackaged);
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
      hardenSession(isAppUrl);
      installAppMenu();
      const userDataDir = app.getPath('userData');
      rememberLastProject(session, userDataDir, console.error);
      const samplesDir = appPaths.samples();
      handlers = createHandlers({
        dialogs: electronDialogs(() => mainWindow),
        emit: (event, payload) => {
          if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(eventChannel(event), payload);
        },
        samplesDir,
        userDataDir,
        nativeBinding,
        session,
        secrets: safeStorageSecrets(userDataDir, console.error),
        spawnHost: utilityHostSpawner(appPaths.main),
        pathGrants: new PathGrants(), // the renderer may only use paths main gave it (dialogs, open project, model folders)
      });
      handleProtocols(appPaths.renderer, () => session.current);
      registerIpc(handlers, isAppUrl);
      await openStartupProject(session, samplesDir, userDataDir, console.error);
      mainWindow = createMainWindow();
      mainWindow.on('closed', () => {
        mainWindow = null;
      });
    })
    .catch((err: Error) => {
      console.error(`egm: startup failed: ${err.stack ?? err.message}`);
      app.exit(1);
    });

  // Quitting waits once for the handler table to shut down: queries stop, a
  // running batch is paused (it resumes next time), the model host ends, and
  // closing the project checkpoints the WAL so it is one file again.
  app.on('will-quit', (event) => {
    if (shutDown) return;
    shutDown = true;
    if (!handlers) return session.close();
    event.preventDefault();
    void disposeHandlers(handlers)
      .catch((err: Error) => console.error(`egm: shutting down: ${err.message}`))
      .finally(() => app.quit());
  });
}
