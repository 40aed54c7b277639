// Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y) inside a text field act on THAT field only.
// Chromium's own undo is one stack for the whole document: Ctrl+Z in the
// Category field used to jump to the Phrase field and delete its last letter
// per press, and the autosave stored that (issue 11). Here Ctrl+Z puts the
// field back to the text it had when it got focus (the change goes through
// the field's own onChange, so it is committed like typing), and redo puts
// the typed text back. A field with nothing of its own to undo does nothing.

interface FieldMemory {
  /** The value when the field got focus. */
  base: string;
  /** The value before the last undo, for redo. */
  undone: string | null;
}

type TextField = HTMLInputElement | HTMLTextAreaElement;

const TEXT_INPUTS = new Set(['text', 'search', 'url', 'email', 'password', 'tel', 'number', '']);

export function isTextField(el: EventTarget | null): el is TextField {
  if (!el || typeof (el as HTMLElement).tagName !== 'string') return false;
  const tag = (el as HTMLElement).tagName;
  return tag === 'TEXTAREA' || (tag === 'INPUT' && TEXT_INPUTS.has((el as HTMLInputElement).type));
}

/** Which edit a key asks for: 'undo', 'redo' or null. */
export function undoKind(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): 'undo' | 'redo' | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const key = e.key.toLowerCase();
  if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && !e.shiftKey) return 'redo';
  return null;
}

/** Sets a React-controlled field's value the way typing does, so its onChange sees it. */
function setFieldValue(el: TextField, value: string): void {
  const proto = el.tagName === 'TEXTAREA' ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

export function installFieldUndo(win: Window): () => void {
  const memory = new WeakMap<TextField, FieldMemory>();
  const focus = (e: FocusEvent) => {
    if (isTextField(e.target)) memory.set(e.target, { base: e.target.value, undone: null });
  };
  const down = (e: KeyboardEvent) => {
    const kind = undoKind(e);
    if (!kind || !isTextField(e.target)) return;
    // Never the document-wide undo (it edits whichever field was typed in last), and not the workbench's either.
    e.preventDefault();
    e.stopImmediatePropagation();
    const el = e.target;
    const m = memory.get(el) ?? { base: el.value, undone: null };
    memory.set(el, m);
    if (kind === 'undo' && el.value !== m.base) {
      m.undone = el.value;
      setFieldValue(el, m.base);
    } else if (kind === 'redo' && m.undone !== null && el.value === m.base) {
      setFieldValue(el, m.undone);
      m.undone = null;
    }
  };
  win.addEventListener('focusin', focus, true);
  win.addEventListener('keydown', down, true);
  return () => {
    win.removeEventListener('focusin', focus, true);
    win.removeEventListener('keydown', down, true);
  };
}
