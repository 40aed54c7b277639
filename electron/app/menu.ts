// The application menu: Electron's default, without Reload / Force Reload /
// Toggle DevTools when packaged (electron/core/window-policy.ts decides).
import { app, Menu } from 'electron';
import { appMenuTemplate } from '@core/window-policy';

export function installAppMenu(): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ mac: process.platform === 'darwin', dev: !app.isPackaged })));
}
