// Every file an *Add images* or *Import COCO* did not take, with why (issue
// 18: "skipped 2 (…)" named none of them): a scrollable list, one row per
// file, with its path. It opens by itself when an image could not be read
// (truncated, empty, unreadable) or a COCO entry was skipped; the status
// bar's "N skipped…" opens it again until the next add, import or project.
import { app, useApp } from '../state/store';
import { shortName } from '../lib/add-report';
import { Modal } from './Modal';

export function SkippedButton() {
  const count = useApp((s) => s.skippedReport?.files.length ?? 0);
  if (count === 0) return null;
  const open = () => {
    const report = app.get().skippedReport;
    if (report) app.set({ skippedReport: { ...report, open: true } });
  };
  return (
    <button className="mini" data-testid="btn-skipped" title="The files the last add or import skipped, with why" onClick={open}>
      {count} skipped…
    </button>
  );
}

export function SkippedDialog() {
  const report = useApp((s) => s.skippedReport);
  if (!report?.open) return null;
  const close = () => app.set({ skippedReport: { ...report, open: false } });
  return (
    <Modal testId="skipped-dialog" title={report.title} onClose={close} onConfirm={close}>
      <h2>{report.title}</h2>
      <p className="muted">{report.summary}</p>
      <ul className="skipped-list" data-testid="skipped-list">
        {report.files.map((s, i) => (
          <li key={`${i}:${s.path}`} data-testid="skipped-row" title={s.path}>
            <span className="skipped-file" data-testid="skipped-file">{shortName(s.path)}</span>
            <span className="skipped-reason" data-testid="skipped-reason">{s.reason}</span>
            <span className="skipped-path muted">{s.path}</span>
          </li>
        ))}
      </ul>
      <div className="row-actions end">
        <button className="primary" data-testid="btn-close-skipped" autoFocus onClick={close}>OK <kbd>Enter</kbd></button>
      </div>
    </Modal>
  );
}
