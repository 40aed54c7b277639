// What runs where, at a glance: backend, device, state; opens the model panel.
import { grounding, useGrounding } from '../store';

export function ModelChip() {
  const status = useGrounding((s) => s.status);
  // Short: where it runs; the model name and the reason are in the tooltip and the panel.
  const where = status.backend === 'server' ? 'Server' : `Local · ${status.device ?? '…'}`;
  // Red with why (in the tooltip) when the model failed to load or the server stopped answering.
  const text = status.state === 'none' ? 'No model' : status.state === 'error' ? (status.backend === 'server' ? 'Server error' : 'Model error') : where;
  const progress = status.state === 'loading' && status.progress !== null ? ` ${Math.round(status.progress * 100)}%` : '';
  return (
    <button
      className={`model-chip model-${status.state}`}
      data-testid="model-chip"
      data-state={status.state}
      title={[status.model, status.device, status.message, status.deviceReason].filter(Boolean).join(' — ') || 'Model settings (Ctrl+Shift+M)'}
      onClick={() => grounding.set({ panel: 'model' })}
    >
      <i className="dot" />
      {text}
      {progress}
    </button>
  );
}
