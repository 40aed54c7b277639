// Save failures (edits kept, retry offered) and other failed actions, one line
// each; above them, while the project is open read-only, why.
import { withoutMethodName } from '../egm';
import { saveQueue } from '../state/edits';
import { app, useApp } from '../state/store';

export function ErrorBanner() {
  const save = useApp((s) => s.save);
  const error = useApp((s) => s.error);
  const readOnly = useApp((s) => s.project?.readOnly ?? null);
  return (
    <>
      {readOnly && <ReadOnlyBanner reason={readOnly} />}
      {(save.error || error) && <Errors />}
    </>
  );
}

function ReadOnlyBanner({ reason }: { reason: string }) {
  return (
    <div className="banner banner-readonly" role="status" data-testid="readonly-banner">
      <div className="banner-row">
        <span>Read-only project: {reason}. You can look and export; edits are not saved. Copy the project to a writable folder to edit it.</span>
      </div>
    </div>
  );
}

function Errors() {
  const save = useApp((s) => s.save);
  const error = useApp((s) => s.error);
  return (
    <div className="banner" role="alert" data-testid="error-banner">
      {save.error && (
        <div className="banner-row">
          <span>{withoutMethodName(save.error)}. Your edits are kept here ({save.pending} waiting).</span>
          <button data-testid="btn-retry" onClick={() => saveQueue.retry()}>Retry</button>
        </div>
      )}
      {error && (
        <div className="banner-row">
          <span>{withoutMethodName(error)}</span>
          <button data-testid="btn-dismiss" onClick={() => app.set({ error: null })}>Dismiss</button>
        </div>
      )}
    </div>
  );
}
