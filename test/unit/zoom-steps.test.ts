// Zoom steps that land on 100/200/400 % and nearest-neighbour pixels above
// 200 % (issue 18, "Layout and view").
import { describe, expect, it } from 'vitest';
import { MAX_SCALE, MIN_SCALE } from '@core/geometry';
import { nextZoom, smoothAt, ZOOM_LADDER, ZOOM_PRESETS } from '@core/zoom-steps';

describe('zoom steps', () => {
  it('land on 100, 200 and 400 % from any scale, in and out', () => {
    let s = 0.37;
    const up: number[] = [];
    for (let i = 0; i < 20; i++) up.push((s = nextZoom(s, 1)));
    expect(up).toEqual(expect.arrayContaining([0.5, 1, 2, 4]));
    s = 5.3;
    const down: number[] = [];
    for (let i = 0; i < 20; i++) down.push((s = nextZoom(s, -1)));
    expect(down).toEqual(expect.arrayContaining([4, 2, 1, 0.5]));
    expect(nextZoom(1, 1)).toBe(1.25);
    expect(nextZoom(1, -1)).toBe(0.875);
    expect(nextZoom(1.0000000001, -1)).toBe(0.875); // a hair off a step counts as on it
  });
  it('stay within the scale bounds and step at most ×1.25', () => {
    expect(nextZoom(MAX_SCALE, 1)).toBe(MAX_SCALE);
    expect(nextZoom(MIN_SCALE, -1)).toBe(ZOOM_LADDER[0]);
    expect(ZOOM_LADDER[0]).toBeGreaterThanOrEqual(MIN_SCALE);
    for (let i = 1; i < ZOOM_LADDER.length; i++) expect(ZOOM_LADDER[i]! / ZOOM_LADDER[i - 1]!).toBeLessThanOrEqual(1.25 + 1e-9);
    for (const p of ZOOM_PRESETS) expect(ZOOM_LADDER).toContain(p);
  });
  it('draw pixels smoothed up to 200 % and as nearest-neighbour blocks above', () => {
    expect(smoothAt(1)).toBe(true);
    expect(smoothAt(2)).toBe(true);
    expect(smoothAt(2.01)).toBe(false);
    expect(smoothAt(4)).toBe(false);
  });
});
