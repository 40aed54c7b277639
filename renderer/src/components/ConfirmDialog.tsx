// The question askConfirm asked: Enter (or the focused button) confirms, Esc cancels.
import { errorText } from '../egm';
import { app } from '../state/store';
import { cancelQuestion, dropQuestion, useConfirm } from './confirm';
import { Modal } from './Modal';

export function ConfirmDialog() {
  const q = useConfirm((s) => s.question);
  if (!q) return null;
  const confirm = () => {
    dropQuestion();
    Promise.resolve()
      .then(q.onConfirm)
      .catch((err: unknown) => app.set({ error: `${q.confirmLabel} failed: ${errorText(err)}` }));
  };
  return (
    <Modal testId="confirm-dialog" title={q.text} className="dialog confirm" onClose={cancelQuestion} onConfirm={confirm}>
      <p data-testid="confirm-text">{q.text}</p>
      <div className="row-actions end">
        <button data-testid="btn-confirm-cancel" onClick={cancelQuestion}>Cancel <kbd>Esc</kbd></button>
        <button data-testid="btn-confirm" className="primary" autoFocus onClick={confirm}>{q.confirmLabel} <kbd>Enter</kbd></button>
      </div>
    </Modal>
  );
}
