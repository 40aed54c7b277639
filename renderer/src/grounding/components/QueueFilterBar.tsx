// The review queue's order and filter (issue 18): newest, least or most
// confident, by phrase or batch; only one batch, one phrase, boxes or "no box"
// answers. What it shows is what J/K walk and what bulk review acts on. The
// choices come from the queue itself (one pass, memoized per queue). Two rows
// of two, so the controls keep a usable width in a narrow column.
import { useMemo } from 'react';
import { isFilteringQueue, NO_QUEUE_FILTER, queueFacets, type QueueOrder } from '@core/proposal-queue';
import { setQueueFilter } from '../review';
import { useGrounding } from '../store';

export function QueueFilterBar({ order, onOrder }: { order: QueueOrder; onOrder: (order: QueueOrder) => void }) {
  const queue = useGrounding((s) => s.queue);
  const filter = useGrounding((s) => s.filter);
  const facets = useMemo(() => queueFacets(queue), [queue]);
  // A chosen batch or phrase with nothing left stays listed (count 0), so the select never shows a value it lacks.
  const batches = filter.batchId !== null && !facets.batches.some((b) => b.batchId === filter.batchId) ? [...facets.batches, { batchId: filter.batchId, count: 0 }] : facets.batches;
  const phrases = filter.phrase !== null && !facets.phrases.some((p) => p.phrase === filter.phrase) ? [...facets.phrases, { phrase: filter.phrase, count: 0 }] : facets.phrases;
  return (
    <div className="queue-filters" data-testid="queue-filters">
      <select className="mini" data-testid="queue-order" aria-label="Order" title="Order of the queue" value={order} onChange={(e) => onOrder(e.target.value as QueueOrder)}>
        <option value="newest">newest first</option>
        <option value="confidence">least confident</option>
        <option value="confident">most confident</option>
        <option value="phrase">by phrase</option>
        <option value="batch">by batch</option>
      </select>
      <select
        className="mini"
        data-testid="queue-filter-kind"
        aria-label="Show boxes or no-box answers"
        value={filter.kind}
        onChange={(e) => setQueueFilter({ kind: e.target.value as typeof filter.kind })}
      >
        <option value="any">box or no box</option>
        <option value="box">boxes</option>
        <option value="no-box">no box ({facets.noBox})</option>
      </select>
      <select
        className="mini"
        data-testid="queue-filter-batch"
        aria-label="Show proposals of"
        value={filter.batchId === null ? '' : String(filter.batchId)}
        onChange={(e) => setQueueFilter({ batchId: e.target.value === '' ? null : Number(e.target.value) })}
      >
        <option value="">any batch</option>
        {batches.map((b) => (
          <option key={b.batchId} value={b.batchId}>{b.batchId === 0 ? 'live queries' : `batch ${b.batchId}`} ({b.count})</option>
        ))}
      </select>
      <select
        className="mini"
        data-testid="queue-filter-phrase"
        aria-label="Show proposals for the phrase"
        value={filter.phrase ?? ''}
        onChange={(e) => setQueueFilter({ phrase: e.target.value === '' ? null : e.target.value })}
      >
        <option value="">any phrase</option>
        {phrases.map((p) => (
          <option key={p.phrase} value={p.phrase}>{p.phrase} ({p.count})</option>
        ))}
      </select>
      {isFilteringQueue(filter) && (
        <button className="mini clear" data-testid="queue-filter-clear" title="Show the whole queue" onClick={() => setQueueFilter(NO_QUEUE_FILTER)}>
          Show all
        </button>
      )}
    </div>
  );
}
