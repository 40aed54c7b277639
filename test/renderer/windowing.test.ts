// The windowed lists' arithmetic (issue 18): which rows are in the page for a
// scroll position, where to scroll to show a row, and where list keys go.
import { describe, expect, it } from 'vitest';
import { pageRows, revealTop, rowAfterKey, rowRange } from '../../renderer/src/lib/windowing';

describe('rows in the page', () => {
  it('are those in view plus the overscan on each side, within the list', () => {
    // 20,000 rows of 36 px in a 720 px box scrolled to row 10,000.
    expect(rowRange(360_000, 720, 36, 20_000, 6)).toEqual({ start: 9994, end: 10026 });
    expect(rowRange(0, 720, 36, 20_000, 6)).toEqual({ start: 0, end: 26 });
    expect(rowRange(20_000 * 36 - 720, 720, 36, 20_000, 6)).toEqual({ start: 19974, end: 20_000 });
    // A row cut by the box's edge counts as in view.
    expect(rowRange(10, 50, 20, 100, 0)).toEqual({ start: 0, end: 3 });
  });
  it('are none for an empty list, and no more than the list for a short one', () => {
    expect(rowRange(0, 720, 36, 0, 6)).toEqual({ start: 0, end: 0 });
    expect(rowRange(0, 720, 36, 3, 6)).toEqual({ start: 0, end: 3 });
    expect(rowRange(-40, 720, 36, 3, 6)).toEqual({ start: 0, end: 3 }); // an overscrolled (elastic) top
  });
});

describe('showing a row', () => {
  it('scrolls the least: to its top when above, to its bottom when below, not at all when in view', () => {
    expect(revealTop(5, 20, 200, 100)).toBe(100);
    expect(revealTop(20, 20, 200, 100)).toBe(320);
    expect(revealTop(12, 20, 200, 100)).toBeNull();
    expect(revealTop(14, 20, 200, 100)).toBeNull(); // its bottom edge at the box's bottom
  });
});

describe('list keys', () => {
  it('step, page and jump within the list', () => {
    expect(rowAfterKey('ArrowDown', 4, 10, 3)).toBe(5);
    expect(rowAfterKey('ArrowDown', 9, 10, 3)).toBe(9);
    expect(rowAfterKey('ArrowUp', 0, 10, 3)).toBe(0);
    expect(rowAfterKey('ArrowUp', -1, 10, 3)).toBe(0);
    expect(rowAfterKey('PageDown', 8, 10, 3)).toBe(9);
    expect(rowAfterKey('PageUp', 2, 10, 3)).toBe(0);
    expect(rowAfterKey('Home', 5, 10, 3)).toBe(0);
    expect(rowAfterKey('End', 5, 10, 3)).toBe(9);
    expect(rowAfterKey('x', 5, 10, 3)).toBeNull();
    expect(rowAfterKey('ArrowDown', -1, 0, 3)).toBeNull();
  });
  it('page by a box of rows less one, at least one', () => {
    expect(pageRows(720, 36)).toBe(19);
    expect(pageRows(10, 36)).toBe(1);
  });
});
