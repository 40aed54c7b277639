// The Evaluate dialog (issue 9): scores the loaded model on this project's
// reviewed boxes with the EGM authors' protocol (as `egm eval` does): choose
// the kind, watch progress, read Acc@0.5 / mean IoU / latency per kind, and
// open the worst cases' images. Stop scores what was answered so far.
import { useEffect, useState } from 'react';
import type { EvalReport } from '@ipc/contract';
import type { EvalKind } from '@core/types';
import { egm, errorText } from '../egm';
import { selectImage } from '../state/project';
import { app, useApp } from '../state/store';
import { Modal } from './Modal';

export function EvaluateDialog() {
  const open = useApp((s) => s.evalOpen);
  const [kind, setKind] = useState<EvalKind>('both');
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [report, setReport] = useState<EvalReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  useEffect(() => egm().on('eval:progress', (p) => setProgress(p)), []);
  if (!open) return null;
  const close = () => app.set({ evalOpen: false });
  const start = async () => {
    setRunning(true);
    setError(null);
    setReport(null);
    setProgress(null);
    try {
      setReport(await egm()['eval:run']({ kind }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setRunning(false);
    }
  };
  const openCase = async (imageId: number) => {
    close();
    await selectImage(imageId);
  };
  return (
    <Modal testId="evaluate-dialog" title="Evaluate the model" onClose={close} closable={!running}>
      <h2>Evaluate the model on this project</h2>
      <p className="muted">
        Every phrase of every reviewed box is asked; Acc@0.5 counts IoU strictly above 0.5, and a query without a box counts as IoU 0 (the EGM authors' protocol).
      </p>
      <div className="row">
        <label className="row">
          Boxes
          <select data-testid="eval-kind" value={kind} disabled={running} onChange={(e) => setKind(e.target.value as EvalKind)}>
            <option value="both">visible and amodal</option>
            <option value="visible">visible</option>
            <option value="amodal">amodal</option>
          </select>
        </label>
        <span className="grow" />
        {running ? (
          <button data-testid="eval-stop" onClick={() => void egm()['eval:cancel']({})}>Stop</button>
        ) : (
          <button data-testid="eval-start" className="primary" onClick={() => void start()}>Start</button>
        )}
      </div>
      {running && progress && (
        <div data-testid="eval-progress">
          {progress.done}/{progress.total} queries
          <progress max={progress.total || 1} value={progress.done} />
        </div>
      )}
      {error && <p className="error" data-testid="eval-error">{error}</p>}
      {report && <EvalFigures report={report} onOpen={(id) => void openCase(id)} />}
      <div className="row">
        <span className="grow" />
        <button disabled={running} onClick={close}>Close</button>
      </div>
    </Modal>
  );
}

function EvalFigures({ report, onOpen }: { report: EvalReport; onOpen: (imageId: number) => void }) {
  return (
    <>
      <table className="eval-table" data-testid="eval-figures">
        <thead>
          <tr><th>boxes</th><th>queries</th><th>Acc@0.5</th><th>mean IoU</th><th>no box</th><th>failed</th><th>latency p50 / p95</th><th>tokens</th></tr>
        </thead>
        <tbody>
          {Object.entries(report.summary).map(([kind, s]) => (
            <tr key={kind} data-testid={`eval-row-${kind}`}>
              <td>{kind}</td><td>{s.n}</td><td>{(s.acc50 * 100).toFixed(1)}%</td><td>{s.miou.toFixed(3)}</td><td>{s.noBox}</td><td>{s.failed}</td>
              <td>{s.latencyMs.p50.toFixed(0)} / {s.latencyMs.p95.toFixed(0)} ms</td><td>{s.tokens.mean.toFixed(0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{report.model}{report.cancelled ? ' · stopped: the figures cover the answers so far' : ''}</p>
      <h3>Worst cases</h3>
      <ul className="eval-worst">
        {report.worst.map((o, i) => (
          <li key={i} data-testid="eval-worst">
            <span>
              <b>{o.phrase}</b> <span className="muted">{o.kind} · IoU {o.iou.toFixed(2)}{o.reason ? ` · ${o.reason}` : ''}</span>
            </span>
            <button data-testid="eval-open" onClick={() => onOpen(o.imageId)}>Open image</button>
          </li>
        ))}
      </ul>
    </>
  );
}
