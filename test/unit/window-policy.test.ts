// Issue 8, finding 2 (the window side): outside development the menu has no
// Reload, Force Reload or Toggle DevTools, and a page with edits the store has
// not acknowledged holds a close or reload (beforeunload) so the app can ask.
import { describe, expect, it, vi } from 'vitest';
import { LEAVE_WITHOUT_SAVING, UNSAVED_EDITS_PROMPT, appMenuTemplate, menuRoles, type MenuRole } from '@core/window-policy';

/** Roles that reload the page or open DevTools: development only. viewMenu holds all three. */
const DEVELOPMENT_ROLES: readonly MenuRole[] = ['reload', 'forceReload', 'toggleDevTools', 'viewMenu'];

// Loaded by a computed path so the Node-side typecheck does not pull DOM types in.
const R = '../../renderer/src/';
interface UnsavedModule {
  hasUnsavedEdits(save: { status: string; pending: number; error: string | null }): boolean;
  installUnloadGuard(target: FakeTarget, unsaved: () => boolean): () => void;
}
type Listener = (event: FakeEvent) => void;
interface FakeEvent {
  preventDefault(): void;
  returnValue: unknown;
}
interface FakeTarget {
  addEventListener(type: string, listener: Listener): void;
  removeEventListener(type: string, listener: Listener): void;
}

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

describe('unload guard', () => {
  it('holds the page while edits are pending or failed, and lets it go once saved', async () => {
    const { hasUnsavedEdits, installUnloadGuard } = (await import(/* @vite-ignore */ `${R}state/unsaved.ts`)) as UnsavedModule;
    const listeners = new Map<string, Listener>();
    const target: FakeTarget = {
      addEventListener: (type, listener) => listeners.set(type, listener),
      removeEventListener: (type, listener) => listeners.get(type) === listener && listeners.delete(type),
    };
    let save: { status: string; pending: number; error: string | null } = { status: 'error', pending: 2, error: 'Draw box was not saved: project is busy' };
    const remove = installUnloadGuard(target, () => hasUnsavedEdits(save));
    const unload = (): FakeEvent => {
      const event: FakeEvent = { preventDefault: vi.fn(), returnValue: undefined };
      listeners.get('beforeunload')!(event);
      return event;
    };
    const held = unload();
    expect(held.preventDefault).toHaveBeenCalled();
    expect(held.returnValue).toBe('');

    save = { status: 'saving', pending: 1, error: null };
    expect(unload().preventDefault).toHaveBeenCalled();

    save = { status: 'saved', pending: 0, error: null };
    const free = unload();
    expect(free.preventDefault).not.toHaveBeenCalled();
    expect(free.returnValue).toBeUndefined();

    remove();
    expect(listeners.has('beforeunload')).toBe(false);
  });
});
