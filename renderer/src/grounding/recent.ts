// Recent phrases per project, kept in the workbench's prefs storage
// (localStorage in the app; a convenience, not data:
// a full or disabled storage only loses the list, never an action).
import { parseRecent, pushRecent } from '@core/grounding-ui';
import { app } from '../state/store';
import { workbench } from '../workbench/current';
import { grounding } from './store';

/** The storage key of this project's list; null with no project. */
function key(): string | null {
  const path = app.get().project?.path;
  return path ? `egm.recentPhrases:${path}` : null;
}

export function loadRecent(): void {
  const k = key();
  let text: string | null = null;
  try {
    text = k ? (workbench().prefs?.getItem(k) ?? null) : null;
  } catch (err) {
    console.warn(`recent phrases: storage unreadable (${String(err)})`);
  }
  grounding.set({ recent: parseRecent(text) });
}

export function rememberPhrase(phrase: string): void {
  const recent = pushRecent(grounding.get().recent, phrase);
  grounding.set({ recent });
  const k = key();
  try {
    if (k) workbench().prefs?.setItem(k, JSON.stringify(recent));
  } catch (err) {
    console.warn(`recent phrases: not saved (${String(err)})`);
  }
}
