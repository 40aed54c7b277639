// The image on screen's "not in this image" phrases (issue 11), each with a ×
// that takes it back (one undo step). Hidden while there are none.
import { useApp } from '../../state/store';
import { removeNegative } from '../negatives';

export function NegativeList() {
  const negatives = useApp((s) => s.negatives);
  if (negatives.length === 0) return null;
  return (
    <section className="negative-list" data-testid="negative-list">
      <div className="panel-head">
        <span>Not in this image</span>
        <span className="muted">{negatives.length}</span>
      </div>
      <ul>
        {negatives.map((n) => (
          <li key={n.id} className="negative-row" data-testid="negative-row" data-phrase={n.phrase}>
            <span className="phrase" title={n.phrase}>{n.phrase}</span>
            <button className="mini" data-testid="btn-remove-negative" aria-label={`Remove “${n.phrase}” from the phrases not in this image`} title="Not absent after all: remove (Ctrl+Z brings it back)" onClick={() => void removeNegative(n)}>
              ×
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
