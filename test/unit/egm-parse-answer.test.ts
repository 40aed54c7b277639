import { describe, expect, it } from 'vitest';
import { extractBoxes, parseAnswer, parsePartialAnswer, splitReasoning } from '@core/egm/parse-answer';

const fenced = (inner: string) => '```json\n' + inner + '\n```';
const canonical =
  'The man on the left wears a red shirt, so the box covers him.\n</think>\n\n' +
  fenced('[\n\t{"bbox_2d": [12, 34, 560, 780], "label": "man in red"}\n]');

// [name, model text, expected box (0–1000) or null, expected number of boxes]
const cases: Array<[string, string, number[] | null, number]> = [
  ['canonical fenced answer', canonical, [12, 34, 560, 780], 1],
  ['empty text', '', null, 0],
  ['whitespace only', '  \n\t ', null, 0],
  ['only reasoning, cut before </think>', '<think>The dog is on the left near 300 and', null, 0],
  ['cut reasoning is read as answer (authors: whole text)', '<think>dog at 1, 2 and 3, 4 or', [1, 2, 3, 4], 1],
  ['only reasoning, closed, empty answer', 'thinking about 1 2 3 4\n</think>\n', null, 0],
  ['bare JSON list without fence', '</think>[{"bbox_2d": [1, 2, 3, 4]}]', [1, 2, 3, 4], 1],
  ['bare JSON object', '</think>{"bbox_2d":[5,6,7,8],"label":"x"}', [5, 6, 7, 8], 1],
  ['bbox_2d with spaces and newlines', '</think>{"bbox_2d" :\n [ 10 ,\n 20 ,\t30,\n40\n ]}', [10, 20, 30, 40], 1],
  ['single-quoted python dict', "</think>[{'bbox_2d': [11, 22, 33, 44]}]", [11, 22, 33, 44], 1],
  ['decimals', '</think>{"bbox_2d": [10.5, 20.25, 300.75, 400.0]}', [10.5, 20.25, 300.75, 400], 1],
  ['negatives kept for the clamp', '</think>{"bbox_2d": [-5, -0.5, 100, 200]}', [-5, -0.5, 100, 200], 1],
  ['Qwen2.5-style absolute numbers stay raw (0–1000 grid)', '</think>{"bbox_2d": [1200, 800, 1920, 1080]}', [1200, 800, 1920, 1080], 1],
  ['multiple bbox_2d boxes, first is the answer', '</think>' + fenced('[{"bbox_2d": [1,2,3,4]}, {"bbox_2d": [5,6,7,8]}]'), [1, 2, 3, 4], 2],
  ['bbox_2d beats an earlier plain list', '</think>see [9, 9, 9, 9] then {"bbox_2d": [1, 2, 3, 4]}', [1, 2, 3, 4], 1],
  ['plain four-list without key', '</think>```json\n[100, 200, 300, 400]\n```', [100, 200, 300, 400], 1],
  ['nested lists give every inner box', '</think>[[10, 20, 30, 40], [50, 60, 70, 80]]', [10, 20, 30, 40], 2],
  ['differently named key', '</think>{"bbox": [7, 8, 9, 10]}', [7, 8, 9, 10], 1],
  ['truncated JSON: last four numbers', '</think>```json\n[{"bbox_2d": [10, 20, 30, 4', [10, 20, 30, 4], 1],
  ['truncated JSON with three numbers: no box', '</think>```json\n[{"bbox_2d": [10, 20, 30', null, 0],
  ['three-number list: no box', '</think>[1, 2, 3]', null, 0],
  ['five-number list: last four numbers', '</think>[1, 2, 3, 4, 5]', [2, 3, 4, 5], 1],
  ['NaN in the list falls back to loose numbers', '</think>{"bbox_2d": [NaN, 1, 2, 3]}', null, 0],
  ['NaN with four other numbers', '</think>{"bbox_2d": [NaN, 1, 2, 3]} or 4', [1, 2, 3, 4], 1],
  ['prose numbers only: last four', '</think>The box is from 10 and 20 to 30 and 40.', [10, 20, 30, 40], 1],
  ['words with digits are not numbers', '</think>Qwen3 3D bbox_2d 100px', null, 0],
  ['no </think>: everything is answer', '{"bbox_2d": [1, 2, 3, 4]}', [1, 2, 3, 4], 1],
  ['leading <think> stripped', '<think>\nhmm\n</think>\n{"bbox_2d": [4, 3, 2, 1]}', [4, 3, 2, 1], 1],
  ['reasoning numbers ignored after </think>', 'at [1, 1, 1, 1] maybe\n</think>\n{"bbox_2d": [5, 5, 9, 9]}', [5, 5, 9, 9], 1],
  ['two </think>: answer after the last', 'a</think>b [1,2,3,4]</think>{"bbox_2d": [6,7,8,9]}', [6, 7, 8, 9], 1],
  ['unicode label and phrase', '</think>[{"bbox_2d": [1, 2, 3, 4], "label": "die Katze 🐱 links — ünter"}]', [1, 2, 3, 4], 1],
  ['unicode digits are not numbers', '</think>[١, ٢, ٣, ٤]', null, 0],
  ['x1 > x2 kept as given', '</think>{"bbox_2d": [900, 10, 100, 20]}', [900, 10, 100, 20], 1],
  ['exponent notation', '</think>{"bbox_2d": [1e2, 2E2, 3e+2, 4.5e1]}', [100, 200, 300, 45], 1],
  ['quoted numbers fall back to loose numbers', '</think>{"bbox_2d": ["1", "2", "3", "4"]}', [1, 2, 3, 4], 1],
  ['plus signs', '</think>[+1, +2, +3, +4]', [1, 2, 3, 4], 1],
  ['CRLF line endings', 'r\r\n</think>\r\n```json\r\n[{"bbox_2d": [1, 2, 3, 4]}]\r\n```', [1, 2, 3, 4], 1],
  ['text "no object" answer', '</think>There is no such object in the image.', null, 0],
];

describe('parseAnswer: authors order on malformed answers', () => {
  it.each(cases)('%s', (_name, text, expected, count) => {
    const parsed = parseAnswer(text);
    expect(parsed.box).toEqual(expected);
    expect(parsed.boxes).toHaveLength(count);
    expect(parsed.box).toEqual(parsed.boxes[0] ?? null);
  });

  it('has at least 30 malformed-answer cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it('splits reasoning and answer and trims both', () => {
    const parsed = parseAnswer(canonical);
    expect(parsed.reasoning).toBe('The man on the left wears a red shirt, so the box covers him.');
    expect(parsed.answer.startsWith('```json')).toBe(true);
    expect(parsed.boxes).toEqual([[12, 34, 560, 780]]);
  });

  it('without </think> the reasoning is empty and all of the text is the answer', () => {
    expect(splitReasoning('<think>abc')).toEqual({ reasoning: '', answer: 'abc', closed: false });
  });

  it('extractBoxes works on bare text', () => {
    expect(extractBoxes('x [1,2,3,4] y [5,6,7,8]')).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
  });
});

describe('parsePartialAnswer: streaming text', () => {
  it('before </think> everything is reasoning and there is no box', () => {
    const p = parsePartialAnswer('<think>\nThe cat [1, 2, 3, 4] sits');
    expect(p).toMatchObject({ reasoning: 'The cat [1, 2, 3, 4] sits', answer: '', inAnswer: false, box: null });
  });

  it('after </think> a half-written box is not a box', () => {
    const p = parsePartialAnswer('why\n</think>\n```json\n[{"bbox_2d": [10, 20, 30, 4');
    expect(p.inAnswer).toBe(true);
    expect(p.reasoning).toBe('why');
    expect(p.box).toBeNull();
  });

  it('a complete bbox_2d list is reported as soon as it closes', () => {
    const p = parsePartialAnswer('why\n</think>\n```json\n[{"bbox_2d": [10, 20, 30, 40]');
    expect(p.box).toEqual([10, 20, 30, 40]);
  });

  it('with reasoning in a separate field the text is answer from the start', () => {
    const p = parsePartialAnswer('[{"bbox_2d": [1, 2, 3, 4]}', { thinking: false });
    expect(p).toMatchObject({ inAnswer: true, box: [1, 2, 3, 4] });
  });

  it('grows monotonically to the full parse', () => {
    let last = parsePartialAnswer('');
    for (let i = 1; i <= canonical.length; i++) last = parsePartialAnswer(canonical.slice(0, i));
    expect(last.box).toEqual(parseAnswer(canonical).box);
    expect(last.reasoning).toBe(parseAnswer(canonical).reasoning);
  });
});
