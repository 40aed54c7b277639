// Batch auto-label: phrases (one per line) × images, bounded concurrency,
// with progress, throughput and ETA from 'batch:progress'; cancel, resume and
// retry the failed items; why a batch waits or paused (the server failing).
// Results are proposals, "no box" answers included: they land in the review
// queue. A batch an earlier session left unfinished is named, with Resume
// (issue 18); Resume is enabled only when there is a batch to resume.
import { useState } from 'react';
import { batchSummary, canResume, parsePhrases } from '@core/grounding-ui';
import { app, useApp } from '../../state/store';
import { cancelBatch, resumeBatch, retryFailedBatch, startBatch } from '../model';
import { grounding, useGrounding } from '../store';
import { Modal } from '../../components/Modal';
import { capLines, LimitNote, longestLine } from '../../components/TextLimit';
import { BATCH_PHRASES_MAX, PHRASE_MAX } from '@core/schemas';

type Scope = 'all' | 'current' | 'todo' | 'pick';

export function BatchDialog() {
  const open = useGrounding((s) => s.panel === 'batch');
  const batch = useGrounding((s) => s.batch);
  const images = useApp((s) => s.images);
  // 'All images' runs on the whole project, also the images the list's filters hide (issue 11).
  const projectImages = useApp((s) => s.project?.imageCount ?? s.images.length);
  const [text, setText] = useState('');
  const [scope, setScope] = useState<Scope>('all');
  const [concurrency, setConcurrency] = useState(8);
  const [picked, setPicked] = useState<Set<number>>(new Set());
  if (!open) return null;
  const phrases = parsePhrases(text);
  const tooMany = phrases.length > BATCH_PHRASES_MAX;
  const ids =
    scope === 'all' ? null
    : scope === 'current' ? [app.get().currentImageId].filter((x): x is number => x !== null)
    : scope === 'todo' ? images.filter((i) => i.status !== 'done').map((i) => i.id)
    : images.filter((i) => picked.has(i.id)).map((i) => i.id);
  const toggle = (id: number) => {
    const next = new Set(picked);
    if (!next.delete(id)) next.add(id);
    setPicked(next);
  };
  const count = ids === null ? projectImages : ids.length;
  const running = batch?.state === 'running';
  const close = () => grounding.set({ panel: 'none' });
  return (
    <Modal testId="batch-dialog" title="Batch auto-label" onClose={close}>
      <h2>Batch auto-label</h2>
      <label className="form">Phrases, one per line
        <textarea data-testid="batch-phrases" rows={5} value={text} placeholder={'e.g.\nthe ball\nthe lime partly hidden behind the orange'} onChange={(e) => setText(capLines(e.target.value, PHRASE_MAX))} />
        {/* The store's limits, kept as the phrases are typed or pasted (issue 16): a phrase is cut at its limit, and so many phrases are not started. */}
        <LimitNote length={longestLine(text)} max={PHRASE_MAX} />
        {tooMany && <span className="limit-note" data-testid="batch-too-many" role="status">At most {BATCH_PHRASES_MAX} phrases a batch: {phrases.length} are listed</span>}
      </label>
      <div className="seg">
        <label><input type="radio" name="scope" data-testid="scope-all" checked={scope === 'all'} onChange={() => setScope('all')} /> All images</label>
        <label><input type="radio" name="scope" data-testid="scope-current" checked={scope === 'current'} onChange={() => setScope('current')} /> This image</label>
        <label><input type="radio" name="scope" data-testid="scope-todo" checked={scope === 'todo'} onChange={() => setScope('todo')} /> Images not done</label>
        <label><input type="radio" name="scope" data-testid="scope-pick" checked={scope === 'pick'} onChange={() => setScope('pick')} /> Selected images</label>
      </div>
      {scope === 'pick' && (
        <ul className="batch-images">
          {images.map((i) => (
            <li key={i.id}>
              <label><input type="checkbox" data-testid="batch-image" data-file={i.fileName} checked={picked.has(i.id)} onChange={() => toggle(i.id)} /> {i.fileName}</label>
            </li>
          ))}
        </ul>
      )}
      <label className="num-field">Concurrency
        <input data-testid="batch-concurrency" type="number" min={1} max={256} value={concurrency} onChange={(e) => setConcurrency(Math.max(1, Math.min(256, Math.round(Number(e.target.value) || 1))))} />
      </label>
      <p className="muted" data-testid="batch-plan">{phrases.length} phrase{phrases.length === 1 ? '' : 's'} × {count} image{count === 1 ? '' : 's'} = {phrases.length * count} requests</p>
      <div className="row-actions">
        <button className={batch?.interrupted ? '' : 'primary'} data-testid="btn-start-batch" disabled={running || phrases.length === 0 || tooMany || count === 0} onClick={() => void startBatch(phrases, ids, concurrency)}>Start</button>
        <button data-testid="btn-cancel-batch" disabled={!running} onClick={() => void cancelBatch()}>Cancel</button>
        <button
          className={batch?.interrupted ? 'primary' : ''}
          data-testid="btn-resume-batch"
          disabled={!canResume(batch)}
          title={canResume(batch) ? `Ask the ${batch!.total - batch!.done - batch!.failed} items batch ${batch!.id} has left` : 'No unfinished batch in this project'}
          onClick={() => void resumeBatch()}
        >
          Resume
        </button>
        <button data-testid="btn-retry-failed" disabled={running || !batch || batch.failed === 0} title="Ask again for the items that failed" onClick={() => void retryFailedBatch()}>
          Retry failed{batch && batch.failed > 0 ? ` (${batch.failed})` : ''}
        </button>
      </div>
      {batch?.interrupted && (
        <p className="warn-line" data-testid="batch-interrupted">
          Batch {batch.id} ({batch.phrases.map((p) => `“${p}”`).join(', ')}) did not finish: {batch.done} of {batch.total} items done. Resume asks the {batch.total - batch.done - batch.failed} left.
        </p>
      )}
      {batch && (
        <div className="batch-progress" data-testid="batch-progress" data-state={batch.state}>
          <progress max={batch.total || 1} value={batch.done + batch.failed} />
          <span className="mono" data-testid="batch-summary">{batchSummary(batch)}</span>
        </div>
      )}
      <div className="row-actions end"><button data-testid="btn-close-batch" onClick={close}>Close</button></div>
    </Modal>
  );
}
