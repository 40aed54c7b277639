// What the app window allows, as plain data the Electron wiring applies
// (electron/app/menu.ts, electron/app/window.ts) and tests read without
// Electron: the application menu (no Reload, Force Reload or Toggle DevTools
// outside development, so Ctrl+R / F5 / Ctrl+Shift+I do nothing there) and the
// prompt shown when closing or reloading with edits not saved.

/** The menu roles this app uses (a subset of Electron's MenuItemConstructorOptions['role']). */
export type MenuRole =
  | 'appMenu' | 'fileMenu' | 'editMenu' | 'viewMenu' | 'windowMenu' | 'help'
  | 'reload' | 'forceReload' | 'toggleDevTools'
  | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'togglefullscreen';

export interface MenuSpec {
  label?: string;
  role?: MenuRole;
  type?: 'separator';
  submenu?: MenuSpec[];
}

/**
 * Electron's default menu, except that outside development the View menu has
 * only zoom and full screen: reloading would drop edits the store has not
 * acknowledged, and DevTools are a way around the renderer's sandbox policy.
 */
export function appMenuTemplate(options: { mac: boolean; dev: boolean }): MenuSpec[] {
  const view: MenuSpec = options.dev
    ? { role: 'viewMenu' }
    : {
        label: 'View',
        submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
      };
  return [...(options.mac ? [{ role: 'appMenu' as const }] : []), { role: 'fileMenu' }, { role: 'editMenu' }, view, { role: 'windowMenu' }];
}

/** Every role in a template, submenus included. */
export function menuRoles(template: readonly MenuSpec[]): MenuRole[] {
  return template.flatMap((item) => [...(item.role ? [item.role] : []), ...menuRoles(item.submenu ?? [])]);
}

/** The native prompt when the page holds a close or reload because edits are not saved (renderer/src/state/unsaved.ts). */
export const UNSAVED_EDITS_PROMPT = {
  type: 'warning' as const,
  title: 'Unsaved edits',
  message: 'Some edits are not saved yet.',
  detail: 'They are still waiting for the project file (or failed to reach it: see the banner, where Retry sends them again). Leaving now loses them.',
  buttons: ['Stay', 'Leave without saving'],
  defaultId: 0,
  cancelId: 0,
};

/** The button of UNSAVED_EDITS_PROMPT that leaves anyway. */
export const LEAVE_WITHOUT_SAVING = 1;
