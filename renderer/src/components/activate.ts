// List rows that act on a click act on Enter or Space too, when they have
// keyboard focus (issue 11: every control reachable by keyboard). The key is
// the row's: it does not also reach the workbench (Enter would mark boxes
// reviewed).
import type { KeyboardEvent } from 'react';

export function activateOnKey(e: KeyboardEvent, act: () => void): void {
  if (e.target !== e.currentTarget || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key !== 'Enter' && e.key !== ' ') return;
  e.preventDefault();
  e.stopPropagation();
  act();
}
