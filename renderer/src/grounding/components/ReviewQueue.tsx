// Every pending proposal of the project, in the order chosen (newest, least
// or most confident, by phrase, by batch), narrowed by the queue's filter
// (QueueFilterBar); J/K walk what it shows across images, a click jumps to
// one. "No box" answers are rows too (issue 18): X agrees, Backspace rejects,
// Bulk… takes them all. The rows are windowed (issue 18): a batch that leaves
// thousands puts only the rows in view in the page, and the whole queue
// scrolls; the proposal under review is kept in view. Rows name the image by
// file, also one the image list's filters hide. Below them, the setting that
// moves review on after an image's last accept (review.ts autoAdvance).
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import { formatConfidence } from '@core/grounding-ui';
import { filterProposals, isFilteringQueue, isNoBox } from '@core/proposal-queue';
import { loadImageNames } from '../../state/image-names';
import { useApp } from '../../state/store';
import { autoAdvance, focusProposal, setAutoAdvance, setOrder } from '../review';
import { grounding, useGrounding } from '../store';
import { activateOnKey } from '../../components/activate';
import { sameRowProps, WindowedList, type RowProps } from '../../components/WindowedList';
import type { Proposal } from '@core/types';
import { QueueFilterBar } from './QueueFilterBar';

const proposalKey = (p: Proposal) => p.id;

export function ReviewQueue() {
  const all = useGrounding((s) => s.queue);
  const filter = useGrounding((s) => s.filter);
  const queue = useMemo(() => filterProposals(all, filter), [all, filter]);
  const activeId = useGrounding((s) => s.activeId);
  const order = useGrounding((s) => s.order);
  const names = useApp((s) => s.imageNames);
  const [advance, setAdvance] = useState(autoAdvance);
  // A proposal on an image no list has shown yet (a batch over images filtered out): read the names once.
  const unnamed = all.some((p) => names[p.imageId] === undefined);
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
        <span className="muted queue-counts">
          {isFilteringQueue(filter) && <span data-testid="queue-shown">{queue.length} of </span>}
          <span data-testid="queue-count">{all.length}</span>
        </span>
        <button
          className="mini"
          data-testid="btn-bulk-review"
          disabled={queue.length === 0}
          title="Accept all above a confidence, or agree with all no-box answers (asks first; one undo step)"
          onClick={() => grounding.set({ panel: 'bulk' })}
        >
          Bulk…
        </button>
      </div>
      <QueueFilterBar order={order} onOrder={setOrder} />
      <WindowedList
        items={queue}
        keyOf={proposalKey}
        renderRow={renderRow}
        activeIndex={activeIndex}
        revealKey={`${activeId}|${order}|${filter.batchId}|${filter.phrase}|${filter.kind}`}
        onMove={onMove}
        testId="review-queue-rows"
        ariaLabel="Review queue"
        className="queue-rows"
        empty={
          <p className="muted empty">{all.length > 0 ? 'No proposal matches the filter.' : 'No proposals waiting. Type a phrase above the image, or run a batch.'}</p>
        }
      />
      <div className="queue-keys muted">J / K walk · Enter accept · ⌫ reject · X not here · Shift+Enter all on image</div>
      <label className="queue-advance muted" title="After accepting the last proposal on an image, put the next proposal in the queue under review (on its image)">
        <input
          type="checkbox"
          data-testid="auto-advance"
          checked={advance}
          onChange={(e) => {
            setAutoAdvance(e.target.checked);
            setAdvance(e.target.checked);
          }}
        />{' '}
        Next proposal after an image's last
      </label>
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
      {isNoBox(p) ? (
        <abbr className="nobox-tag" data-testid="queue-row-nobox" title="The model found no box: X agrees (not in this image), Backspace rejects">no box</abbr>
      ) : (
        !p.visible && <abbr className="warn" title={p.reason ?? 'no visible box'}>∅</abbr>
      )}
      <span className="conf">{formatConfidence(p.score)}</span>
    </li>
  );
}
