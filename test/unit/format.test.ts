import { describe, expect, it } from 'vitest';
import { formatBox } from '@core/format';

describe('formatBox', () => {
  it('rounds to whole pixels, with the size when asked', () => {
    expect(formatBox([10.4, 20.6, 110.5, 70])).toBe('10, 21 → 111, 70');
    expect(formatBox([10, 20, 110, 70], true)).toBe('10, 20 → 110, 70  (100×50)');
  });
  it('shows a dash for no box', () => {
    expect(formatBox(null)).toBe('—');
  });
});
