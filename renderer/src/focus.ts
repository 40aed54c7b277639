// Takes keyboard focus off a text field, so the next Enter or Backspace goes
// to the commands. A workbench driven without a DOM (test driver) has none.
export function blurFocus(): void {
  if (typeof document === 'undefined') return;
  (document.activeElement as HTMLElement | null)?.blur?.();
}
