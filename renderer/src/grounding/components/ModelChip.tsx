// What runs where, at a glance: backend, device, state; opens the model panel.
import { grounding, useGrounding } from '../store';

export function ModelChip() {
  const status = useGrounding((s) => s.status);
  // Issue 18: after a server error, a query (Retry) or a batch asking again is a retry under way, not an error standing.
  const retrying = useGrounding((s) => s.status.state === 'error' && s.status.backend === 'server' && (s.query !== null || s.batch?.state === 'running'));
  // Short: where it runs; the model name and the reason are in the tooltip and the panel.
  const where = status.backend === 'server' ? 'Server' : `Local · ${status.device ?? '…'}`;
  // Red with why (in the tooltip) when the model failed to load or the server stopped answering.
  const failed = status.backend === 'server' ? 'Server error' : 'Model error';
  const text = status.state === 'none' ? 'No model' : retrying ? 'Server · retrying…' : status.state === 'error' ? failed : where;
  const progress = status.state === 'loading' && status.progress !== null ? ` ${Math.round(status.progress * 100)}%` : '';
  return (
    <button
      className={`model-chip model-${retrying ? 'retrying' : status.state}`}
      data-testid="model-chip"
      data-state={retrying ? 'retrying' : status.state}
      title={[status.model, status.device, status.message, status.deviceReason].filter(Boolean).join(' — ') || 'Model settings (Ctrl+Shift+M)'}
      onClick={() => grounding.set({ panel: 'model' })}
    >
      <i className="dot" />
      {text}
      {progress}
    </button>
  );
}
