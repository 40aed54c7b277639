// A long list of rows of one height, windowed (issue 18: 2,000 rows in the
// page froze scrolling and every keystroke of a search; 20,000 must not):
// only the rows in view and OVERSCAN around them are in the page, placed in a
// box as tall as all of them, so the scroll bar and position are the whole
// list's. The active row (the image on screen, the proposal under review) is
// always rendered, kept in view when it changes, and keeps keyboard focus:
// arrows, Page Up/Down, Home and End on a row move through the list.
// The row height comes from the CSS variable --row-h of the scrolling box
// (styles.css sets it per list and mode), so CSS stays its one source.
import { Fragment, useCallback, useLayoutEffect, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react';
import { pageRows, revealTop, rowAfterKey, rowRange, type RowRange } from '../lib/windowing';

/** Rows rendered beyond each edge of the box: a wheel notch or two without a blank edge. */
const OVERSCAN = 6;
/** The list counts as still scrolling this long after its last scroll event. */
const SCROLL_SETTLE_MS = 150;
/** Used until the CSS variable is read (and where there is no layout, as in a test without one). */
const FALLBACK_ROW_HEIGHT = 24;

/** What the list gives each row: where it sits, its place for assistive tech, and whether Tab lands on it. */
export interface RowProps {
  style: CSSProperties;
  tabIndex: number;
  'aria-posinset': number;
  'aria-setsize': number;
  'data-row-index': number;
}

/** Whether a row would be placed and announced the same (for rows that skip re-rendering when nothing of theirs changed). */
export function sameRowProps(a: RowProps, b: RowProps): boolean {
  return a.style.transform === b.style.transform && a.tabIndex === b.tabIndex && a['aria-posinset'] === b['aria-posinset'] && a['aria-setsize'] === b['aria-setsize'];
}

export interface WindowedListProps<T> {
  items: readonly T[];
  keyOf: (item: T) => string | number;
  renderRow: (item: T, props: RowProps) => ReactNode;
  /** The index of the active item (-1: none). */
  activeIndex: number;
  /** When this value changes the active row is scrolled into view (a new active item, a new filter). */
  revealKey: unknown;
  /** A list key on a row chose another row: make that item the active one. */
  onMove: (index: number) => void;
  /** A change here may change --row-h (a compact mode): the height is read again. */
  rowHeightKey?: unknown;
  testId: string;
  ariaLabel: string;
  className?: string;
  /** Shown instead of rows when there are none. */
  empty?: ReactNode;
}

function readRowHeight(el: HTMLElement): number {
  const h = parseFloat(getComputedStyle(el).getPropertyValue('--row-h'));
  return Number.isFinite(h) && h > 0 ? h : FALLBACK_ROW_HEIGHT;
}

export function WindowedList<T>({ items, keyOf, renderRow, activeIndex, revealKey, onMove, rowHeightKey, testId, ariaLabel, className, empty }: WindowedListProps<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const [metrics, setMetrics] = useState({ rowHeight: FALLBACK_ROW_HEIGHT, viewHeight: 0 });
  const [range, setRange] = useState<RowRange>({ start: 0, end: 0 });
  /** A list key moved the active row: focus follows it once it is rendered. */
  const focusFollows = useRef(false);
  const count = items.length;

  const update = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const next = rowRange(el.scrollTop, el.clientHeight, metrics.rowHeight, count, OVERSCAN);
    setRange((was) => (was.start === next.start && was.end === next.end ? was : next));
  }, [metrics.rowHeight, count]);

  // While the list scrolls its rows take no pointer: no hover restyle and a cheap hit test for every row that passes under the mouse.
  const settle = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onScroll = () => {
    update();
    const el = scroller.current;
    if (!el) return;
    el.classList.add('scrolling');
    if (settle.current !== null) clearTimeout(settle.current);
    settle.current = setTimeout(() => el.classList.remove('scrolling'), SCROLL_SETTLE_MS);
  };
  useLayoutEffect(() => () => {
    if (settle.current !== null) clearTimeout(settle.current);
  }, []);

  // The row height and the box's height: at mount, when the box is resized (a window or panel resize; a media query may change --row-h) and when the mode changes.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setMetrics((was) => {
      const next = { rowHeight: readRowHeight(el), viewHeight: el.clientHeight };
      return was.rowHeight === next.rowHeight && was.viewHeight === next.viewHeight ? was : next;
    });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [rowHeightKey]);

  useLayoutEffect(update, [update, metrics.viewHeight]);

  // The active row into view when it (or the list around it) changes; not on every re-render, so reading elsewhere in the list is left alone.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || activeIndex < 0) return;
    const top = revealTop(activeIndex, metrics.rowHeight, el.scrollTop, el.clientHeight);
    if (top !== null) {
      el.scrollTop = top;
      update();
    }
  }, [revealKey, activeIndex, metrics.rowHeight]); // not `update`: a new list length alone does not scroll

  // Keyboard focus follows the active row when a list key moved it, or when a row had focus (N/P, a click elsewhere).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || activeIndex < 0) return;
    const hadFocus = el.contains(document.activeElement) && document.activeElement !== el;
    if (!focusFollows.current && !hadFocus) return;
    focusFollows.current = false;
    el.querySelector<HTMLElement>(`[data-row-index="${activeIndex}"]`)?.focus({ preventScroll: true });
  }, [activeIndex]);

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return;
    const row = (e.target as HTMLElement).closest<HTMLElement>('[data-row-index]');
    if (!row || row.parentElement !== e.currentTarget) return;
    const from = activeIndex >= 0 ? activeIndex : Number(row.dataset.rowIndex);
    const to = rowAfterKey(e.key, from, count, pageRows(metrics.viewHeight, metrics.rowHeight));
    if (to === null) return;
    // The list's key, not the workbench's (arrows nudge boxes, Home/End would do the same walk twice).
    e.preventDefault();
    e.stopPropagation();
    if (to === activeIndex) return;
    focusFollows.current = true;
    onMove(to);
  };

  const indices: number[] = [];
  for (let i = range.start; i < Math.min(range.end, count); i++) indices.push(i);
  if (activeIndex >= count || activeIndex < 0) {
    // nothing to add
  } else if (activeIndex < range.start) indices.unshift(activeIndex);
  else if (activeIndex >= range.end) indices.push(activeIndex);
  // Tab lands on the active row, or on the first rendered one when there is none.
  const tabStop = activeIndex >= 0 && activeIndex < count ? activeIndex : indices[0];
  return (
    <div ref={scroller} className={`vlist${className ? ` ${className}` : ''}`} data-testid={testId} onScroll={onScroll}>
      {count === 0 ? (
        empty
      ) : (
        <ul role="listbox" aria-label={ariaLabel} style={{ height: count * metrics.rowHeight }} onKeyDown={onKeyDown}>
          {indices.map((i) => (
            <Fragment key={keyOf(items[i]!)}>
              {renderRow(items[i]!, {
                style: { transform: `translateY(${i * metrics.rowHeight}px)` },
                tabIndex: i === tabStop ? 0 : -1,
                'aria-posinset': i + 1,
                'aria-setsize': count,
                'data-row-index': i,
              })}
            </Fragment>
          ))}
        </ul>
      )}
    </div>
  );
}
