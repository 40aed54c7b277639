// A modal dialog: the dimmed overlay (a click on it closes), the dialog box
// (focused when it opens, so Tab starts inside it and screen readers announce
// it), registered on the dialog layer so Esc closes the topmost dialog from
// anywhere. Keys pressed inside stay inside: the workbench's shortcuts do not
// act behind a dialog.
import { useEffect, useRef, type ReactNode } from 'react';
import { pushDialog } from './dialog-layer';

export interface ModalProps {
  testId: string;
  title: string;
  onClose: () => void;
  /** Enter's default action (focus not on a button or in a textarea). */
  onConfirm?: () => void;
  /** While false, Esc and a click outside do nothing (e.g. a running evaluation). */
  closable?: boolean;
  toggleKeys?: string[];
  className?: string;
  children: ReactNode;
}

export function Modal({ testId, title, onClose, onConfirm, closable = true, toggleKeys, className = 'dialog', children }: ModalProps) {
  const box = useRef<HTMLDivElement>(null);
  // The latest handlers, read when a key arrives (the layer is registered once per opening).
  const latest = useRef({ onClose, onConfirm, closable });
  latest.current = { onClose, onConfirm, closable };
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    // Focus the first field or button the dialog marks with autoFocus, else the dialog itself.
    if (!box.current?.contains(document.activeElement)) box.current?.focus();
    const pop = pushDialog({
      element: () => box.current,
      close: () => latest.current.closable && latest.current.onClose(),
      ...(latest.current.onConfirm ? { confirm: () => latest.current.onConfirm?.() } : {}),
      ...(toggleKeys ? { toggleKeys } : {}),
    });
    return () => {
      pop();
      // Back where the user was (a toolbar button), unless focus already moved on.
      if (before && document.contains(before) && (document.activeElement === document.body || document.activeElement === null)) before.focus();
    };
  }, []);
  return (
    <div className="overlay" data-testid={testId} onClick={() => closable && onClose()}>
      <div
        ref={box}
        className={className}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        tabIndex={-1}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.stopPropagation()}
      >
        {children}
      </div>
    </div>
  );
}
