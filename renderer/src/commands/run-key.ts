// One key press through the command registry, without the DOM: the keyboard
// hook (useKeyboard.ts) and the test driver both call this, so a test's
// keyDown runs exactly what a real key does.
import type { KeyLike } from '@core/commands';
import { errorText } from '../egm';
import { app } from '../state/store';
import { commands, setShiftHeld } from './app-commands';

/**
 * Runs the enabled command bound to the key, if any; returns its run (a
 * failure becomes the error banner, never a rejection), or null when no
 * command took the key (the caller leaves the event alone).
 */
export function runKey(ev: KeyLike, inTextField: boolean): Promise<void> | null {
  const cmd = commands.forKey(ev, app.get(), inTextField);
  if (!cmd) return null;
  setShiftHeld(ev.shiftKey);
  const failed = (err: unknown) => app.set({ error: `${cmd.label} failed: ${errorText(err)}` });
  try {
    // perform() runs now, within the key event (a tool switch is in effect for the next pointer event).
    return Promise.resolve(cmd.perform(app.get())).catch(failed);
  } catch (err) {
    failed(err);
    return Promise.resolve();
  }
}
