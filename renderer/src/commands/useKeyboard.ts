// Global key handling: Space for panning, everything else through the
// command registry (text fields keep their keys, except commands marked inTextField).
import { useEffect } from 'react';
import { view } from '../state/view';
import { runKey } from './run-key';

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
      // Tab walks the controls (keyboard access, issue 11); it cycles boxes only when no control has focus.
      if (e.key === 'Tab' && e.target !== document.body && e.target !== document.documentElement) return;
      if (runKey(e, typing)) e.preventDefault();
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
