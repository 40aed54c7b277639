// The open dialogs, topmost last. Keys go to the topmost dialog wherever focus
// is (issue 11: Esc did nothing unless focus was inside the dialog, and `?`
// opened the help BEHIND it): Esc closes it, Enter confirms it when it has a
// default action, its own toggle key (`?` for the help) closes it, and every
// other key with focus outside it is swallowed, so no workbench shortcut acts
// behind a modal. Keys inside the dialog stay there (Modal stops them).
// Pure of React: the Modal component registers and unregisters itself. The
// stack is the installed workbench's (workbench.dialogs); DialogStack itself
// holds no module state, so a test can make one of its own.
import { workbench } from '../workbench/current';

export interface DialogLayer {
  /** The dialog's root element (focus inside it is "in the dialog"). */
  element: () => HTMLElement | null;
  close: () => void;
  /** The default action (Enter), if the dialog has one. */
  confirm?: () => void;
  /** Keys that close this dialog too (the help's own `?`). */
  toggleKeys?: string[];
}

export class DialogStack {
  private readonly stack: DialogLayer[] = [];

  /** Opens a dialog on top; returns its close-out (removes exactly that one). */
  push(layer: DialogLayer): () => void {
    this.stack.push(layer);
    return () => {
      const i = this.stack.lastIndexOf(layer);
      if (i >= 0) this.stack.splice(i, 1);
    };
  }

  top(): DialogLayer | null {
    return this.stack[this.stack.length - 1] ?? null;
  }

  /** Returns true when the key was the topmost dialog's (the caller stops it). */
  key(e: Pick<KeyboardEvent, 'key' | 'target' | 'ctrlKey' | 'metaKey' | 'altKey'>): boolean {
    const top = this.top();
    if (!top) return false;
    if (e.key === 'Escape' || top.toggleKeys?.includes(e.key)) {
      top.close();
      return true;
    }
    if (e.key === 'Enter' && top.confirm && !ownsEnter(e.target)) {
      top.confirm();
      return true;
    }
    const inside = top.element()?.contains(e.target as Node | null) ?? false;
    // Focus outside the topmost dialog (on the page behind it): the key must not reach the workbench.
    return !inside;
  }
}

export function pushDialog(layer: DialogLayer): () => void {
  return workbench().dialogs.push(layer);
}

export function topDialog(): DialogLayer | null {
  return workbench().dialogs.top();
}

/** Enter on these keeps its own meaning (a button clicks itself, a textarea gets a new line). */
function ownsEnter(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'BUTTON' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.tagName === 'A' || el.tagName === 'SUMMARY');
}

/** Returns true when the key was the installed workbench's topmost dialog's (the caller stops it). */
export function dialogKey(e: Pick<KeyboardEvent, 'key' | 'target' | 'ctrlKey' | 'metaKey' | 'altKey'>): boolean {
  return workbench().dialogs.key(e);
}

/** Window capture listener: runs before React and the workbench's key handler. */
export function installDialogKeys(win: Window): () => void {
  const down = (e: KeyboardEvent) => {
    if (!dialogKey(e)) return;
    e.preventDefault();
    e.stopImmediatePropagation();
  };
  win.addEventListener('keydown', down, true);
  return () => win.removeEventListener('keydown', down, true);
}
