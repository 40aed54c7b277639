import { describe, expect, it } from 'vitest';
import { buildPrompt, normalizePhrase } from '@core/egm/prompt';

describe('buildPrompt', () => {
  it('uses the authors visible template byte for byte', () => {
    expect(buildPrompt({ phrase: 'the man in red', kind: 'visible' })).toBe(
      'Locate the man in red, output its bbox coordinates using JSON format',
    );
  });

  it('uses the authors amodal template byte for byte', () => {
    expect(buildPrompt({ phrase: 'the lime partly hidden behind the orange', kind: 'amodal' })).toBe(
      'Locate the lime partly hidden behind the orange amodally, output its bbox coordinates using JSON format',
    );
  });

  it('appends the point hint on the 0–1000 grid after the template', () => {
    const prompt = buildPrompt({ phrase: 'the cup', kind: 'visible', point0to1000: [512.4, 99.6] });
    expect(prompt).toBe(
      'Locate the cup, output its bbox coordinates using JSON format' +
        ' The object contains the point (512, 100), given on the same 0-1000 grid as the bbox.',
    );
    expect(buildPrompt({ phrase: 'x', kind: 'amodal', point0to1000: [-3, 2000] })).toContain('(0, 1000)');
  });

  it('folds whitespace and keeps special characters ($&, quotes, unicode) literally', () => {
    expect(normalizePhrase('  the\n dog\t left ')).toBe('the dog left');
    expect(buildPrompt({ phrase: 'price $& "tag" 🐶', kind: 'visible' })).toBe(
      'Locate price $& "tag" 🐶, output its bbox coordinates using JSON format',
    );
  });

  it('throws on an empty phrase or a bad point', () => {
    expect(() => buildPrompt({ phrase: '  ', kind: 'visible' })).toThrow(/phrase is empty/);
    expect(() => buildPrompt({ phrase: 'a', kind: 'visible', point0to1000: [NaN, 1] })).toThrow(/point hint/);
  });
});
