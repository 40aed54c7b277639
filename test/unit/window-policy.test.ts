// Issue 8, finding 2 (the window side): outside development the menu has no
// Reload, Force Reload or Toggle DevTools, and a page with edits the store has
// not acknowledged holds a close or reload (beforeunload) so the app can ask
// (the page side: test/renderer/unsaved.test.ts).
import { describe, expect, it } from 'vitest';
import { LEAVE_WITHOUT_SAVING, UNSAVED_EDITS_PROMPT, appMenuTemplate, menuRoles, type MenuRole } from '@core/window-policy';

/** Roles that reload the page or open DevTools: development only. viewMenu holds all three. */
const DEVELOPMENT_ROLES: readonly MenuRole[] = ['reload', 'forceReload', 'toggleDevTools', 'viewMenu'];

describe('application menu', () => {
  it('has no reload or DevTools item when packaged, on any platform', () => {
    for (const mac of [false, true]) {
      const roles = menuRoles(appMenuTemplate({ mac, dev: false }));
      for (const role of DEVELOPMENT_ROLES) expect(roles, `mac=${mac}`).not.toContain(role);
      expect(roles).toEqual(expect.arrayContaining(['fileMenu', 'editMenu', 'windowMenu', 'zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen']));
      expect(roles.includes('appMenu')).toBe(mac);
    }
  });

  it('keeps Electron\'s View menu (reload, DevTools) in development', () => {
    expect(menuRoles(appMenuTemplate({ mac: false, dev: true }))).toContain('viewMenu');
  });

  it('asks before leaving with unsaved edits, staying by default', () => {
    expect(UNSAVED_EDITS_PROMPT.buttons[UNSAVED_EDITS_PROMPT.defaultId]).toBe('Stay');
    expect(UNSAVED_EDITS_PROMPT.cancelId).toBe(UNSAVED_EDITS_PROMPT.defaultId);
    expect(UNSAVED_EDITS_PROMPT.buttons[LEAVE_WITHOUT_SAVING]).toBe('Leave without saving');
  });
});
