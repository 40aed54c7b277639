// Recent phrases per project, kept in localStorage (a convenience, not data:
// a full or disabled storage only loses the list, never an action).
import { parseRecent, pushRecent } from '@core/grounding-ui';
import { app } from '../state/store';
import { grounding } from './store';

/** The storage key of this project's list; null with no project, or with no storage (a workbench driven without a DOM). */
function key(): string | null {
  const path = app.get().project?.path;
  return path && typeof localStorage !== 'undefined' ? `egm.recentPhrases:${path}` : null;
}

export function loadRecent(): void {
  const k = key();
  let text: string | null = null;
  try {
    text = k ? localStorage.getItem(k) : null;
  } catch (err) {
    console.warn(`recent phrases: localStorage unreadable (${String(err)})`);
  }
  grounding.set({ recent: parseRecent(text) });
}

export function rememberPhrase(phrase: string): void {
  const recent = pushRecent(grounding.get().recent, phrase);
  grounding.set({ recent });
  const k = key();
  try {
    if (k) localStorage.setItem(k, JSON.stringify(recent));
  } catch (err) {
    console.warn(`recent phrases: not saved (${String(err)})`);
  }
}
