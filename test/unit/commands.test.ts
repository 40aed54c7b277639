// The workbench's own registry (renderer/src/commands/app-commands.ts) is tested
// on a workbench in test/renderer/commands.test.ts.
import { describe, expect, it } from 'vitest';
import { CommandRegistry, formatChord, matchChord, parseChord, type KeyLike } from '@core/commands';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('chords', () => {
  it('parses modifiers and named keys', () => {
    expect(parseChord('Mod+Shift+Z')).toEqual({ key: 'z', mod: true, shift: true, alt: false });
    expect(parseChord('Space')).toEqual({ key: ' ', mod: false, shift: false, alt: false });
    expect(parseChord('Mod++')).toEqual({ key: '+', mod: true, shift: false, alt: false });
    expect(parseChord('+').key).toBe('+');
    expect(() => parseChord('Hyper+Z')).toThrow(/unknown modifier "hyper" in "Hyper\+Z"/);
  });

  it('matches Ctrl or Cmd as Mod, and Shift exactly for letters', () => {
    const undo = parseChord('Mod+Z');
    expect(matchChord(undo, key('z', { ctrlKey: true }))).toBe(true);
    expect(matchChord(undo, key('z', { metaKey: true }))).toBe(true);
    expect(matchChord(undo, key('Z', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(matchChord(parseChord('Mod+Shift+Z'), key('Z', { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(matchChord(parseChord('N'), key('N', { shiftKey: true }))).toBe(false);
  });

  it('ignores Shift for symbols that need it', () => {
    expect(matchChord(parseChord('?'), key('?', { shiftKey: true }))).toBe(true);
    expect(matchChord(parseChord('+'), key('+', { shiftKey: true }))).toBe(true);
  });

  it('formats for people', () => {
    expect(formatChord('Mod+Shift+Z')).toBe('Ctrl+Shift+Z');
    expect(formatChord('Mod+Z', true)).toBe('⌘+Z');
    expect(formatChord('Escape')).toBe('Esc');
    expect(formatChord('ArrowLeft')).toBe('←');
  });
});

describe('CommandRegistry', () => {
  const make = () => {
    const log: string[] = [];
    const reg = new CommandRegistry<{ canUndo: boolean }>()
      .register({ id: 'undo', label: 'Undo', group: 'Edit', keys: ['Mod+Z'], enabled: (c) => c.canUndo, perform: () => { log.push('undo'); } })
      .register({ id: 'esc', label: 'Cancel', group: 'Edit', keys: ['Escape'], inTextField: true, perform: () => { log.push('esc'); } })
      .register({ id: 'next', label: 'Next', group: 'Images', keys: ['N'], perform: () => { log.push('next'); } });
    return { reg, log };
  };

  it('resolves a key to its enabled command', () => {
    const { reg } = make();
    expect(reg.forKey(key('z', { ctrlKey: true }), { canUndo: true })?.id).toBe('undo');
    expect(reg.forKey(key('z', { ctrlKey: true }), { canUndo: false })).toBeNull();
    expect(reg.forKey(key('n'), { canUndo: false })?.id).toBe('next');
    expect(reg.forKey(key('q'), { canUndo: false })).toBeNull();
  });

  it('leaves keys to text fields unless a command opts in', () => {
    const { reg } = make();
    expect(reg.forKey(key('n'), { canUndo: true }, true)).toBeNull();
    expect(reg.forKey(key('Escape'), { canUndo: true }, true)?.id).toBe('esc');
  });

  it('runs by id, honouring enabled()', async () => {
    const { reg, log } = make();
    expect(await reg.run('undo', { canUndo: false })).toBe(false);
    expect(await reg.run('undo', { canUndo: true })).toBe(true);
    expect(log).toEqual(['undo']);
    expect(() => reg.get('nope')).toThrow('no command "nope"');
  });

  it('refuses duplicate ids and reports conflicting keys', () => {
    const { reg } = make();
    expect(() => reg.register({ id: 'next', label: 'x', group: 'x', keys: [], perform: () => {} })).toThrow(/registered twice/);
    reg.register({ id: 'other', label: 'x', group: 'x', keys: ['Ctrl+Z'], perform: () => {} });
    expect(reg.conflicts()).toEqual(['Ctrl+Z: undo, other']);
  });
});
