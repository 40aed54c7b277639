// One question at a time before an action that is hard to take back in bulk
// (accept-all, issue 11): askConfirm opens ConfirmDialog; Enter or the
// button confirms, Esc or Cancel drops it.
import { create } from 'zustand';

export interface Question {
  text: string;
  confirmLabel: string;
  onConfirm: () => void | Promise<void>;
}

export const useConfirm = create<{ question: Question | null }>(() => ({ question: null }));

export function askConfirm(question: Question): void {
  useConfirm.setState({ question });
}

export function dropQuestion(): void {
  useConfirm.setState({ question: null });
}
