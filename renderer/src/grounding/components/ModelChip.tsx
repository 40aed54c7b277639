// What runs where, at a glance: backend, device, state; opens the model panel.
import { grounding, useGrounding } from '../store';

export function ModelChip() {
  const status = useGrounding((s) => s.status);
  const where = status.backend === 'server' ? 'server' : status.device ?? '';
  const text = status.state === 'none' ? 'No model' : `${status.model ?? 'model'} · ${where}`;
  const progress = status.state === 'loading' && status.progress !== null ? ` ${Math.round(status.progress * 100)}%` : '';
  return (
    <button
      className={`model-chip model-${status.state}`}
      data-testid="model-chip"
      data-state={status.state}
      title={[status.message, status.deviceReason].filter(Boolean).join(' — ') || 'Model settings (Ctrl+Shift+M)'}
      onClick={() => grounding.set({ panel: 'model' })}
    >
      <i className="dot" />
      {text}
      {progress}
    </button>
  );
}
