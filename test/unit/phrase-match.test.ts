// Issue 9, item 3: the review queue adds a proposal's phrase to the object it
// found again. Which object (IoU above 0.5 with its visible box, the best one)
// and what its phrase list becomes (no repeats; an object without a phrase
// takes it as its phrase instead).
import { describe, expect, it } from 'vitest';
import { matchingAnnotation, withPhrase } from '@core/phrase-match';

const a = (id: number, visible: [number, number, number, number]) => ({ id, visible });

describe('matchingAnnotation', () => {
  it('takes the best overlap above IoU 0.5, else none', () => {
    const boxes = [a(1, [0, 0, 100, 100]), a(2, [10, 0, 110, 100]), a(3, [500, 500, 600, 600])];
    expect(matchingAnnotation([12, 0, 112, 100], boxes)?.id).toBe(2);
    expect(matchingAnnotation([0, 0, 100, 200], boxes)).toBeNull(); // IoU exactly 0.5 is not a hit
    expect(matchingAnnotation(null, boxes)).toBeNull();
  });
});

describe('withPhrase', () => {
  it('appends a new phrase once, never the main one again', () => {
    const obj = { phrase: 'the cup', morePhrases: ['a mug'] };
    expect(withPhrase(obj, ' the red cup ')).toEqual(['a mug', 'the red cup']);
    expect(withPhrase(obj, 'the cup')).toEqual(['a mug']);
    expect(withPhrase(obj, 'a mug')).toEqual(['a mug']);
    expect(withPhrase({ phrase: '', morePhrases: [] }, 'x')).toEqual([]);
  });
});
