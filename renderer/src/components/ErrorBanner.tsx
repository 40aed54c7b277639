// Save failures (edits kept, retry offered), edits the store refused (taken
// back, issue 16) and other failed actions, one line each; above them, while
// the project is open read-only, why.
import type { ReactNode } from 'react';
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
      {(save.error || save.refused || error) && <Errors />}
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

/**
 * Each row is one line at most two lines tall, whatever the message (a
 * 4,000-character path, a pasted paragraph): the text is cut with "…" and
 * kept whole in its tooltip, and the row's buttons always stay in view
 * (issue 16: a long message pushed Retry off the screen and covered the canvas).
 */
function Errors() {
  const save = useApp((s) => s.save);
  const error = useApp((s) => s.error);
  return (
    <div className="banner" role="alert" data-testid="error-banner">
      {save.error && (
        <Row text={`${withoutMethodName(save.error)}. Your edits are kept here (${save.pending} waiting).`}>
          <button data-testid="btn-retry" onClick={() => saveQueue.retry()}>Retry</button>
        </Row>
      )}
      {save.refused && (
        <Row text={withoutMethodName(save.refused)} testId="refused-save">
          <button data-testid="btn-dismiss-refused" onClick={() => saveQueue.dismissRefused()}>Dismiss</button>
        </Row>
      )}
      {error && (
        <Row text={withoutMethodName(error)}>
          <button data-testid="btn-dismiss" onClick={() => app.set({ error: null })}>Dismiss</button>
        </Row>
      )}
    </div>
  );
}

function Row({ text, testId, children }: { text: string; testId?: string; children: ReactNode }) {
  return (
    <div className="banner-row" data-testid={testId}>
      <span className="banner-text" title={text}>{text}</span>
      {children}
    </div>
  );
}
