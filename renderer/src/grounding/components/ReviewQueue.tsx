// Every pending proposal of the project, newest or least confident first;
// J/K walk it across images, a click jumps to one. Long queues show their
// head only (a batch can leave thousands): the keyboard walk covers the rest.
// Rows name the image by file, also one the image list's filters hide.
import { useEffect } from 'react';
import { formatConfidence } from '@core/grounding-ui';
import { loadImageNames } from '../../state/image-names';
import { useApp } from '../../state/store';
import { focusProposal, setOrder } from '../review';
import { useGrounding } from '../store';
import { activateOnKey } from '../../components/activate';
import type { ProposalOrder } from '@core/types';

const SHOWN = 200;

export function ReviewQueue() {
  const queue = useGrounding((s) => s.queue);
  const activeId = useGrounding((s) => s.activeId);
  const order = useGrounding((s) => s.order);
  const names = useApp((s) => s.imageNames);
  // A proposal on an image no list has shown yet (a batch over images filtered out): read the names once.
  const unnamed = queue.some((p) => names[p.imageId] === undefined);
  useEffect(() => {
    if (unnamed) void loadImageNames();
  }, [unnamed]);
  return (
    <section className="review-queue" data-testid="review-queue">
      <div className="panel-head">
        <span>Queue</span>
        <span className="muted" data-testid="queue-count">{queue.length}</span>
        <select className="mini" data-testid="queue-order" value={order} onChange={(e) => setOrder(e.target.value as ProposalOrder)}>
          <option value="newest">newest</option>
          <option value="confidence">least confident</option>
        </select>
      </div>
      <ul role="listbox" aria-label="Review queue">
        {queue.slice(0, SHOWN).map((p) => (
          <li
            key={p.id}
            data-testid="queue-row"
            data-active={p.id === activeId}
            className={`queue-row${p.id === activeId ? ' current' : ''}`}
            role="option"
            aria-selected={p.id === activeId}
            tabIndex={0}
            onClick={() => focusProposal(p)}
            onKeyDown={(e) => activateOnKey(e, () => focusProposal(p))}
            title={`${p.phrase} — ${names[p.imageId] ?? 'an image not listed yet'}`}
          >
            <span className="phrase">{p.phrase}</span>
            <span className="muted img-ref" data-testid="queue-row-file">{names[p.imageId] ?? '…'}</span>
            {p.pointHit === false && <abbr className="warn" title="misses your point">!</abbr>}
            {!p.visible && <abbr className="warn" title={p.reason ?? 'no box'}>∅</abbr>}
            <span className="conf">{formatConfidence(p.score)}</span>
          </li>
        ))}
        {queue.length > SHOWN && <li className="muted empty">… {queue.length - SHOWN} more (J / K)</li>}
        {queue.length === 0 && <li className="muted empty">No proposals waiting. Type a phrase above the image, or run a batch.</li>}
      </ul>
      <div className="queue-keys muted">J / K walk · Enter accept · ⌫ reject · Shift+Enter all on image</div>
    </section>
  );
}
