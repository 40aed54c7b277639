// Global key handling: Space for panning, everything else through the
// command registry (text fields keep their keys, except commands marked inTextField).
import { useEffect } from 'react';
import { errorText } from '../egm';
import { app } from '../state/store';
import { view } from '../state/view';
import { commands, setShiftHeld } from './app-commands';

function inTextField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

export function useKeyboard(): void {
  useEffect(() => {
    const down = (e: KeyboardEvent) => {
      const typing = inTextField(e.target);
      if (e.key === ' ' && !typing) {
        e.preventDefault();
        if (!view.get().spaceDown) view.set({ spaceDown: true });
        return;
      }
      const cmd = commands.forKey(e, app.get(), typing);
      if (!cmd) return;
      e.preventDefault();
      setShiftHeld(e.shiftKey);
      Promise.resolve(cmd.perform(app.get())).catch((err) => app.set({ error: `${cmd.label} failed: ${errorText(err)}` }));
    };
    const up = (e: KeyboardEvent) => {
      if (e.key === ' ') view.set({ spaceDown: false });
    };
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
    };
  }, []);
}
