// One question at a time before an action that is hard to take back in bulk
// (accept-all, issue 11): askConfirm opens ConfirmDialog; Enter or the
// button confirms, Esc or Cancel drops it. The question is the installed
// workbench's (workbench.confirm), so a test's fresh workbench starts with none.
import { createStore, useStore, type StoreApi } from 'zustand';
import { workbench } from '../workbench/current';

export interface Question {
  text: string;
  confirmLabel: string;
  onConfirm: () => void | Promise<void>;
  /** Esc, Cancel or a click outside (e.g. a field goes back to what it was). */
  onCancel?: () => void;
}

export interface ConfirmState {
  question: Question | null;
}

export function createConfirmStore(): StoreApi<ConfirmState> {
  return createStore<ConfirmState>(() => ({ question: null }));
}

/** React hook: a slice of the installed workbench's question. */
export function useConfirm<T>(selector: (s: ConfirmState) => T): T {
  return useStore(workbench().confirm, selector);
}

export function askConfirm(question: Question): void {
  workbench().confirm.setState({ question });
}

export function dropQuestion(): void {
  workbench().confirm.setState({ question: null });
}

/** The question answered "no": dropped, and its onCancel run. */
export function cancelQuestion(): void {
  const q = workbench().confirm.getState().question;
  dropQuestion();
  q?.onCancel?.();
}
