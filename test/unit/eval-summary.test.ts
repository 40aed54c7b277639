// The pure parts of `egm eval` (issue 9, item 5): which queries a project
// asks, the authors' scoring per kind (strict IoU > 0.5, no box = IoU 0 in the
// denominator), nearest-rank latency percentiles, worst cases, crop regions.
import { describe, expect, it } from 'vitest';
import { evalCases } from '@core/eval/cases';
import { percentile, summarize, worstCases, type EvalOutcome } from '@core/eval/summary';
import type { Annotation } from '@core/types';
import { cropRegion } from '../../electron/eval/html-report';

const ann = (id: number, over: Partial<Annotation>): Annotation => ({
  id, imageId: 1, categoryId: null, phrase: 'a', morePhrases: [], visible: [0, 0, 10, 10], amodal: null, occluded: false,
  source: 'manual', model: null, score: null, reviewed: true, color: '#fff', truncated: null, difficult: false, attributes: {}, createdAt: 0, updatedAt: 0, ...over,
});

const outcome = (iou: number, over: Partial<EvalOutcome> = {}): EvalOutcome => ({
  imageId: 1, annotationId: 1, phrase: 'a', kind: 'visible', truth: [0, 0, 10, 10], box: [0, 0, 10, 10], iou, latencyMs: 100, tokens: 10, ...over,
});

describe('evalCases', () => {
  it('asks every phrase of reviewed boxes; amodal only where there is an amodal box', () => {
    const cases = evalCases([
      ann(2, { imageId: 2, phrase: 'b', morePhrases: ['b2', '  '] }),
      ann(1, { phrase: ' a  x ', amodal: [0, 0, 12, 12] }),
      ann(3, { phrase: 'c', reviewed: false }),
      ann(4, { phrase: '' }),
    ], ['visible', 'amodal']);
    expect(cases.map((c) => [c.kind, c.annotationId, c.phrase])).toEqual([
      ['visible', 1, 'a x'], ['visible', 2, 'b'], ['visible', 2, 'b2'], ['amodal', 1, 'a x'],
    ]);
    expect(cases.at(-1)!.truth).toEqual([0, 0, 12, 12]);
  });
});

describe('summarize', () => {
  it("counts IoU strictly above 0.5, keeps no-box and failed queries in the denominator", () => {
    const s = summarize([
      outcome(0.5), outcome(0.5000001), outcome(0, { box: null, reason: 'no-box' }), outcome(0, { box: null, reason: 'timeout', latencyMs: 600_000 }),
      outcome(0.9, { kind: 'amodal' }),
    ], ['visible', 'amodal']);
    expect(s.visible).toMatchObject({ n: 4, acc50: 0.25, noBox: 1, failed: 1 });
    expect(s.visible!.miou).toBeCloseTo(0.25, 6);
    expect(s.visible!.latencyMs).toEqual({ p50: 100, p95: 600_000, mean: 150_075 });
    expect(s.amodal).toMatchObject({ n: 1, acc50: 1, miou: 0.9, tokens: { mean: 10, total: 10 } });
  });

  it('reports zeros for a kind with no queries', () => {
    expect(summarize([], ['amodal']).amodal).toMatchObject({ n: 0, acc50: 0, miou: 0 });
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect([percentile(values, 50), percentile(values, 95), percentile([], 50), percentile([7], 95)]).toEqual([50, 95, 0, 7]);
  });

  it('lists the worst cases first, no box before a zero-IoU box', () => {
    const worst = worstCases([outcome(0.7, { phrase: 'ok' }), outcome(0, { phrase: 'miss' }), outcome(0, { phrase: 'none', box: null, reason: 'no-box' }), outcome(0.2, { phrase: 'poor' })], 3);
    expect(worst.map((o) => o.phrase)).toEqual(['none', 'miss', 'poor']);
  });
});

describe('cropRegion', () => {
  it('frames both boxes with a margin, inside the image', () => {
    expect(cropRegion([[100, 100, 200, 200], [150, 150, 260, 240]], 1000, 500)).toEqual({ left: 60, top: 65, width: 240, height: 210 });
    expect(cropRegion([[0, 0, 10, 10]], 20, 20)).toEqual({ left: 0, top: 0, width: 20, height: 20 });
  });
});
