// Bulk review (issue 18): on this image or all images, among what the queue's
// filter shows, accept every proposal at or above a confidence (greedy answers,
// which measure none, only when ticked), or agree with every "no box" answer.
// The counts follow the choices live; each action closes this dialog and asks
// first, naming the count (bulk-review.ts), and is one undo step.
import { useMemo, useState } from 'react';
import { acceptTargets, greedyInScope, noBoxTargets } from '@core/bulk-review';
import { filterProposals, isFilteringQueue } from '@core/proposal-queue';
import { useApp } from '../../state/store';
import { confirmBulkAccept, confirmBulkNoBox } from '../bulk-review';
import { grounding, useGrounding } from '../store';
import { Modal } from '../../components/Modal';

export function BulkReviewDialog() {
  const open = useGrounding((s) => s.panel === 'bulk');
  if (!open) return null;
  return <BulkReview />;
}

function BulkReview() {
  const all = useGrounding((s) => s.queue);
  const filter = useGrounding((s) => s.filter);
  const edits = useGrounding((s) => s.edits);
  const shown = useMemo(() => filterProposals(all, filter), [all, filter]);
  const imageId = useApp((s) => s.currentImageId);
  const [where, setWhere] = useState<'image' | 'all'>('all');
  const [threshold, setThreshold] = useState('0.80');
  const [includeGreedy, setIncludeGreedy] = useState(false);
  const scope = { imageId: where === 'image' ? imageId : null };
  const value = Number(threshold);
  const valid = threshold.trim() !== '' && Number.isFinite(value) && value >= 0 && value <= 1;
  const rule = { ...scope, threshold: valid ? value : 1, includeGreedy };
  const accept = acceptTargets(shown, edits, rule).length;
  const noBox = noBoxTargets(shown, scope).length;
  const greedy = greedyInScope(shown, edits, scope);
  const close = () => grounding.set({ panel: 'none' });
  const act = (run: () => void) => {
    close();
    run();
  };
  return (
    <Modal testId="bulk-dialog" title="Bulk review" onClose={close}>
      <h2>Bulk review</h2>
      <p className="muted">
        Acts on the proposals the queue shows{isFilteringQueue(filter) ? ' (its filter applies)' : ''}: {shown.length} of {all.length}. Each action asks first and is one undo step.
      </p>
      <div className="seg">
        <label><input type="radio" name="bulk-scope" data-testid="bulk-scope-all" checked={where === 'all'} onChange={() => setWhere('all')} /> All images</label>
        <label><input type="radio" name="bulk-scope" data-testid="bulk-scope-image" disabled={imageId === null} checked={where === 'image'} onChange={() => setWhere('image')} /> This image</label>
      </div>
      <h3>Accept boxes</h3>
      <div className="row">
        <label className="num-field" title="Self-consistency agreement, 0–1 (phrase bar N > 1)">
          Confidence at least
          <input data-testid="bulk-threshold" type="number" min={0} max={1} step={0.05} value={threshold} style={{ width: '7ch' }} onChange={(e) => setThreshold(e.target.value)} />
        </label>
        <label title="A single (greedy) answer has no measured confidence">
          <input type="checkbox" data-testid="bulk-include-greedy" checked={includeGreedy} onChange={(e) => setIncludeGreedy(e.target.checked)} /> also greedy answers ({greedy})
        </label>
      </div>
      {!valid && <p className="warn-line" data-testid="bulk-threshold-error">The confidence is a number from 0 to 1.</p>}
      <div className="row-actions">
        <button className="primary" data-testid="btn-bulk-accept" disabled={!valid || accept === 0} onClick={() => act(() => confirmBulkAccept(rule))}>
          Accept {accept}…
        </button>
      </div>
      <h3>“No box” answers</h3>
      <div className="row-actions">
        <button data-testid="btn-bulk-nobox" disabled={noBox === 0} title="Record each phrase as not in its image (X for all)" onClick={() => act(() => confirmBulkNoBox(scope))}>
          Not in this image × {noBox}…
        </button>
      </div>
      <div className="row-actions end"><button data-testid="btn-close-bulk" onClick={close}>Close</button></div>
    </Modal>
  );
}
