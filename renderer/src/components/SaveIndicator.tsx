import { useApp } from '../state/store';

export function SaveIndicator() {
  const save = useApp((s) => s.save);
  const text = save.status === 'saved' ? 'All changes saved' : save.status === 'saving' ? `Saving… (${save.pending})` : `Not saved (${save.pending})`;
  return (
    <span className={`save save-${save.status}`} data-testid="save-indicator" data-status={save.status} title={save.error ?? text}>
      <i className="dot" />
      {text}
    </span>
  );
}
