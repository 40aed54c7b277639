// The batch in the status bar (issue 18): its progress and ETA while the batch
// dialog is closed, "interrupted" for a batch an earlier session left
// unfinished; a click opens the dialog (progress, Resume, Retry failed).
import { batchChipText, batchSummary } from '@core/grounding-ui';
import { grounding, useGrounding } from '../store';

export function BatchChip() {
  const batch = useGrounding((s) => s.batch);
  const open = useGrounding((s) => s.panel === 'batch');
  if (!batch || open) return null;
  const running = batch.state === 'running';
  return (
    <button
      className={`batch-chip${batch.interrupted ? ' interrupted' : ''}`}
      data-testid="batch-chip"
      data-state={batch.state}
      data-interrupted={batch.interrupted ? 'true' : undefined}
      title={`${batchSummary(batch)} — open the batch dialog (Ctrl+B)`}
      onClick={() => grounding.set({ panel: 'batch' })}
    >
      {running && <progress max={batch.total || 1} value={batch.done + batch.failed} />}
      <span data-testid="batch-chip-text">{batchChipText(batch)}</span>
      {batch.interrupted && <span className="chip-action">Resume…</span>}
    </button>
  );
}
