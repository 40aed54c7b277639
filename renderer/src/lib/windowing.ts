// Windowing for long lists of rows of one fixed height (issue 18: 20,000
// images, thousands of proposals): which rows to put in the page for a scroll
// position, and where to scroll so that one row is in view. Pure numbers; the
// component is components/WindowedList.tsx.

/** Rows [start, end) to render: those in view plus `overscan` on each side, within [0, count). */
export interface RowRange {
  start: number;
  end: number;
}

export function rowRange(scrollTop: number, viewHeight: number, rowHeight: number, count: number, overscan: number): RowRange {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewHeight)) / rowHeight);
  return { start: Math.max(0, Math.min(count, first - overscan)), end: Math.min(count, last + overscan) };
}

/**
 * The scrollTop that brings row `index` wholly into view with the least
 * movement (as scrollIntoView 'nearest'), or null when it is in view already.
 */
export function revealTop(index: number, rowHeight: number, scrollTop: number, viewHeight: number): number | null {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewHeight) return Math.max(0, bottom - viewHeight);
  return null;
}

/** Rows one Page Up / Page Down moves: a box's worth less one, so the last row seen stays in view; at least one. */
export function pageRows(viewHeight: number, rowHeight: number): number {
  return rowHeight > 0 ? Math.max(1, Math.floor(viewHeight / rowHeight) - 1) : 1;
}

/** The row a list key moves to from `index` (−1: none yet), or null for a key lists do not take. */
export function rowAfterKey(key: string, index: number, count: number, page: number): number | null {
  if (count === 0) return null;
  const clamp = (i: number) => Math.max(0, Math.min(count - 1, i));
  switch (key) {
    case 'ArrowDown':
      return clamp(index + 1);
    case 'ArrowUp':
      return clamp(index < 0 ? 0 : index - 1);
    case 'PageDown':
      return clamp(index + page);
    case 'PageUp':
      return clamp(index - page);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
