// Unsaved edits hold a close or reload (renderer/src/state/unsaved.ts): the
// page's beforeunload handler asks to stay while the save queue holds calls
// the store has not acknowledged. The save state comes from a real workbench
// edit on its way to SQLite.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SaveState } from '@core/save-queue';
import { hasUnsavedEdits, installUnloadGuard } from '../../renderer/src/state/unsaved';
import { TestWorkbench } from './test-workbench';

type Listener = (event: BeforeUnloadEvent) => void;
interface FakeEvent {
  preventDefault: () => void;
  returnValue: unknown;
}

/** A window with only the listener methods the guard uses. */
function fakeWindow() {
  const listeners = new Map<string, Listener>();
  const target = {
    addEventListener: (type: string, listener: Listener) => void listeners.set(type, listener),
    removeEventListener: (type: string, listener: Listener) => {
      if (listeners.get(type) === listener) listeners.delete(type);
    },
  };
  const unload = (): FakeEvent => {
    const event: FakeEvent = { preventDefault: vi.fn(), returnValue: undefined };
    listeners.get('beforeunload')!(event as unknown as BeforeUnloadEvent);
    return event;
  };
  return { target: target as unknown as Pick<Window, 'addEventListener' | 'removeEventListener'>, listeners, unload };
}

describe('unload guard', () => {
  it('holds the page while edits are pending or failed, and lets it go once saved', () => {
    const w = fakeWindow();
    let save: SaveState = { status: 'error', pending: 2, error: 'Draw box was not saved: project is busy', refused: null };
    const remove = installUnloadGuard(w.target, () => hasUnsavedEdits(save));
    const held = w.unload();
    expect(held.preventDefault).toHaveBeenCalled();
    expect(held.returnValue).toBe('');

    save = { status: 'saving', pending: 1, error: null, refused: null };
    expect(w.unload().preventDefault).toHaveBeenCalled();

    save = { status: 'saved', pending: 0, error: null, refused: null };
    const free = w.unload();
    expect(free.preventDefault).not.toHaveBeenCalled();
    expect(free.returnValue).toBeUndefined();

    remove();
    expect(w.listeners.has('beforeunload')).toBe(false);
  });

  describe('on a workbench', () => {
    let tw: TestWorkbench;
    beforeEach(async () => {
      tw = await TestWorkbench.open({ images: ['coffee.png'] });
    });
    afterEach(() => tw.dispose());

    it('an edit not yet acknowledged holds the page; once stored it does not', async () => {
      const w = fakeWindow();
      installUnloadGuard(w.target, () => hasUnsavedEdits(tw.app.save));
      tw.keyDown('r').drag(tw.stage(20, 20), tw.stage(80, 90));
      expect(w.unload().preventDefault).toHaveBeenCalled();
      await tw.settled();
      expect(tw.app.save.pending).toBe(0);
      expect(w.unload().preventDefault).not.toHaveBeenCalled();
    });
  });
});
