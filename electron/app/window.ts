// The one app window, with every renderer hardening switch set explicitly, no
// DevTools when packaged, and a prompt before closing or reloading loses edits.
import { app, BrowserWindow, dialog } from 'electron';
import { existsSync } from 'node:fs';
import { appPaths } from './paths';
import { APP_URL } from './protocols';
import { LEAVE_WITHOUT_SAVING, UNSAVED_EDITS_PROMPT } from '@core/window-policy';

export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'EGM Annotator',
    icon: existsSync(appPaths.icon) ? appPaths.icon : undefined,
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload: appPaths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });
  // The page's beforeunload holds a close or reload while edits are unsaved
  // (renderer/src/state/unsaved.ts); Electron shows nothing by itself, so ask.
  window.webContents.on('will-prevent-unload', (event) => {
    if (dialog.showMessageBoxSync(window, UNSAVED_EDITS_PROMPT) === LEAVE_WITHOUT_SAVING) event.preventDefault();
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_URL).catch((err: Error) => console.error(`window: cannot load ${APP_URL} (${err.message})`));
  return window;
}
