// The one app window, with every renderer hardening switch set explicitly.
import { BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import { appPaths } from './paths';
import { APP_URL } from './protocols';

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
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_URL).catch((err: Error) => console.error(`window: cannot load ${APP_URL} (${err.message})`));
  return window;
}
