// Unsaved edits block closing and reloading the window. While the save queue
// holds calls the store has not acknowledged (in flight, or failed and kept
// for Retry), the page's beforeunload handler asks to stay: Chromium then
// shows its own "leave site?" prompt, and in the app main's
// will-prevent-unload handler shows a native one (electron/app/window.ts).
import type { SaveState } from '@core/save-queue';

/** Edits the store has not acknowledged yet, failed ones included. */
export function hasUnsavedEdits(save: SaveState): boolean {
  return save.pending > 0;
}

/** Listens for beforeunload on `target` and holds the page while `unsaved()` says so; returns the remover. */
export function installUnloadGuard(target: Pick<Window, 'addEventListener' | 'removeEventListener'>, unsaved: () => boolean): () => void {
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!unsaved()) return;
    event.preventDefault();
    // Older Chromium (and Electron's will-prevent-unload) look at returnValue, not defaultPrevented.
    event.returnValue = '';
  };
  target.addEventListener('beforeunload', onBeforeUnload);
  return () => target.removeEventListener('beforeunload', onBeforeUnload);
}
