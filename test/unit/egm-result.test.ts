import { describe, expect, it } from 'vitest';
import { capText, failedResult, isTransientReason, makeResult, MAX_RESULT_TEXT, normalizeReason, oneLine, transientReason } from '../../electron/engine/result';
import { parseAnswer } from '@core/egm/parse-answer';

const context = { phrase: 'the dog', kind: 'visible' as const, model: 'egm-4b' };
const timings = { preprocessMs: 1, modelMs: 2, totalMs: 3 };
const answer = '```json\n[{"bbox_2d": [100, 200, 500, 750], "label": "the dog"}]\n```';

describe('makeResult', () => {
  it('maps an inline-reasoning answer to original pixels', () => {
    const r = makeResult(context, { text: `dog left\n</think>\n\n${answer}`, tokens: 40, timings, width: 640, height: 480 });
    expect(r).toMatchObject({ box: [64, 96, 320, 360], reasoning: 'dog left', tokens: 40, model: 'egm-4b', timings });
    expect(r.reason).toBeUndefined();
    expect(r).not.toHaveProperty('point');
  });

  it('merges a separate reasoning field and keeps raw parseable', () => {
    const r = makeResult({ ...context, point: [10, 20] }, { text: answer, reasoning: ' from field ', tokens: 5, timings, width: 1000, height: 1000 });
    expect(r.box).toEqual([100, 200, 500, 750]);
    expect(r.reasoning).toBe('from field');
    expect(r.point).toEqual([10, 20]);
    expect(parseAnswer(r.raw)).toMatchObject({ reasoning: 'from field', box: [100, 200, 500, 750] });
  });

  it('keeps an amodal answer past the image edge (to the amodal bound); a visible one is clamped as the authors do', () => {
    const past = '```json\n[{"bbox_2d": [420, -150, 560, 870], "label": "the rocket"}]\n```';
    expect(makeResult({ ...context, kind: 'amodal' }, { text: past, tokens: 1, timings, width: 640, height: 427 }).box).toEqual([269, -64, 358, 371]);
    expect(makeResult(context, { text: past, tokens: 1, timings, width: 640, height: 427 }).box).toEqual([269, 0, 358, 371]);
  });

  it('says no-box when the answer has none, stream ended early when cut', () => {
    expect(makeResult(context, { text: 'r</think>nothing here', tokens: 1, timings, width: 10, height: 10 })).toMatchObject({ box: null, reason: 'no-box' });
    expect(makeResult(context, { text: 'r</think>[{"bbox_2d": [1, 2', tokens: 1, timings, width: 10, height: 10, endedEarly: true })).toMatchObject({
      box: null,
      reason: 'error: stream ended early',
    });
  });

  it('keeps a box that arrived before the stream was cut', () => {
    const r = makeResult(context, { text: 'r</think>[{"bbox_2d": [0, 0, 1000, 1000]', tokens: 1, timings, width: 10, height: 10, endedEarly: true });
    expect(r.box).toEqual([0, 0, 9, 9]);
  });

  it('never throws: a bad image size becomes an error result', () => {
    const r = makeResult(context, { text: '[1,2,3,4]', tokens: 1, timings, width: 0, height: 10 });
    expect(r.box).toBeNull();
    expect(r.reason).toMatch(/^error: image size must be positive/);
  });
});

describe('failedResult', () => {
  it('keeps the three plain reasons and prefixes everything else with error:', () => {
    expect(failedResult(context, 'cancelled').reason).toBe('cancelled');
    expect(failedResult(context, 'timeout').reason).toBe('timeout');
    expect(failedResult(context, 'no-box').reason).toBe('no-box');
    expect(failedResult(context, new Error('HTTP 400 from http://x/v1/chat/completions\nstack...')).reason).toBe(
      'error: HTTP 400 from http://x/v1/chat/completions',
    );
    expect(normalizeReason('error: already prefixed')).toBe('error: already prefixed');
  });

  it('fills every field of the contract', () => {
    expect(failedResult({ ...context, point: [1, 2] }, 'timeout', { raw: 'partial', tokens: 3 })).toEqual({
      phrase: 'the dog',
      kind: 'visible',
      box: null,
      raw: 'partial',
      reasoning: '',
      tokens: 3,
      timings: { preprocessMs: 0, modelMs: 0, totalMs: 0 },
      model: 'egm-4b',
      point: [1, 2],
      reason: 'timeout',
    });
  });

  it('oneLine trims long and empty messages', () => {
    expect(oneLine('')).toBe('unknown error');
    expect(oneLine('x'.repeat(500))).toHaveLength(300);
  });
});

describe('result text caps and transient reasons (issue 8)', () => {
  it('caps reasoning and raw text at MAX_RESULT_TEXT, keeping head and tail around a marker', () => {
    const long = `start ${'r'.repeat(200_000)} end`;
    const r = makeResult(context, { text: `${long}\n</think>\n\n${answer}`, reasoning: long, tokens: 1, timings, width: 1000, height: 1000 });
    expect(r.box).toEqual([100, 200, 500, 750]);
    for (const text of [r.reasoning, r.raw]) {
      expect(text.length).toBeLessThanOrEqual(MAX_RESULT_TEXT);
      expect(text).toMatch(/\n\[\.\.\. \d+ characters cut \.\.\.\]\n/);
    }
    expect(r.reasoning.startsWith('start ')).toBe(true);
    expect(r.raw.endsWith(answer)).toBe(true);
    expect(failedResult(context, 'timeout', { reasoning: long }).reasoning.length).toBeLessThanOrEqual(MAX_RESULT_TEXT);
  });

  it('never splits a surrogate pair and leaves short text alone', () => {
    const text = '🐱'.repeat(40);
    const capped = capText(text, 70);
    expect(capped).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(capText('short')).toBe('short');
  });

  it('names what a later attempt may not meet', () => {
    expect(isTransientReason('timeout')).toBe(true);
    expect(isTransientReason(transientReason('server unreachable', 'cannot reach x'))).toBe(true);
    expect(isTransientReason('error: server busy: HTTP 503')).toBe(true);
    expect(isTransientReason('error: stream cut: the connection broke')).toBe(true);
    for (const reason of ['no-box', 'cancelled', 'error: truncated: x', 'error: request: HTTP 400', null]) expect(isTransientReason(reason)).toBe(false);
  });
});
