// Every pending proposal of the project, newest or least confident first;
// J/K walk it across images, a click jumps to one. The rows are windowed
// (issue 18): a batch that leaves thousands puts only the rows in view in the
// page, and the whole queue scrolls; the proposal under review is kept in view.
// Rows name the image by file, also one the image list's filters hide.
import { memo, useCallback, useEffect } from 'react';
import { formatConfidence } from '@core/grounding-ui';
import { loadImageNames } from '../../state/image-names';
import { useApp } from '../../state/store';
import { focusProposal, setOrder } from '../review';
import { useGrounding } from '../store';
import { activateOnKey } from '../../components/activate';
import { sameRowProps, WindowedList, type RowProps } from '../../components/WindowedList';
import type { Proposal, ProposalOrder } from '@core/types';

const proposalKey = (p: Proposal) => p.id;

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
  const activeIndex = activeId === null ? -1 : queue.findIndex((p) => p.id === activeId);
  const onMove = useCallback((index: number) => focusProposal(queue[index]!), [queue]);
  const renderRow = useCallback((p: Proposal, row: RowProps) => <QueueRow p={p} active={p.id === activeId} file={names[p.imageId]} row={row} />, [activeId, names]);
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
      <WindowedList
        items={queue}
        keyOf={proposalKey}
        renderRow={renderRow}
        activeIndex={activeIndex}
        revealKey={`${activeId}|${order}`}
        onMove={onMove}
        testId="review-queue-rows"
        ariaLabel="Review queue"
        className="queue-rows"
        empty={<p className="muted empty">No proposals waiting. Type a phrase above the image, or run a batch.</p>}
      />
      <div className="queue-keys muted">J / K walk · Enter accept · ⌫ reject · Shift+Enter all on image</div>
    </section>
  );
}

interface QueueRowProps {
  p: Proposal;
  active: boolean;
  file: string | undefined;
  row: RowProps;
}

/** A row re-renders only when its proposal, state or place changes. */
const QueueRow = memo(QueueRowView, (a, b) => a.p === b.p && a.active === b.active && a.file === b.file && sameRowProps(a.row, b.row));

function QueueRowView({ p, active, file, row }: QueueRowProps) {
  return (
    <li
      {...row}
      data-testid="queue-row"
      data-active={active}
      className={`queue-row${active ? ' current' : ''}`}
      role="option"
      aria-selected={active}
      onClick={() => focusProposal(p)}
      onKeyDown={(e) => activateOnKey(e, () => focusProposal(p))}
      title={`${p.phrase} — ${file ?? 'an image not listed yet'}`}
    >
      <span className="phrase">{p.phrase}</span>
      <span className="muted img-ref" data-testid="queue-row-file">{file ?? '…'}</span>
      {p.pointHit === false && <abbr className="warn" title="misses your point">!</abbr>}
      {!p.visible && <abbr className="warn" title={p.reason ?? 'no box'}>∅</abbr>}
      <span className="conf">{formatConfidence(p.score)}</span>
    </li>
  );
}
