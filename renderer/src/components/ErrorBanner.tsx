// Save failures (edits kept, retry offered) and other failed actions, one line each.
import { saveQueue } from '../state/edits';
import { app, useApp } from '../state/store';

export function ErrorBanner() {
  const save = useApp((s) => s.save);
  const error = useApp((s) => s.error);
  if (!save.error && !error) return null;
  return (
    <div className="banner" role="alert" data-testid="error-banner">
      {save.error && (
        <div className="banner-row">
          <span>{save.error}. Your edits are kept here ({save.pending} waiting).</span>
          <button data-testid="btn-retry" onClick={() => saveQueue.retry()}>Retry</button>
        </div>
      )}
      {error && (
        <div className="banner-row">
          <span>{error}</span>
          <button data-testid="btn-dismiss" onClick={() => app.set({ error: null })}>Dismiss</button>
        </div>
      )}
    </div>
  );
}
