// The pure parts of issue 11's UI fixes: what the reasoning view and the
// no-box line read from a transcript, which keys the topmost dialog takes,
// which keys are a text field's undo/redo, and error lines without IPC
// method names.
import { describe, expect, it } from 'vitest';
import { DialogStack } from '../../renderer/src/components/dialog-layer';
import { undoKind } from '../../renderer/src/lib/field-undo';
import { withoutMethodName } from '../../renderer/src/egm';
import { missingBoxLine, noBoxSentence, transcriptParts } from '../../renderer/src/lib/answer-text';

describe('transcriptParts', () => {
  it('splits the streamed transcript at </think>; text without it is all reasoning', () => {
    expect(transcriptParts('The ball is left.\n</think>\n\n```json\n[]\n```')).toEqual({ reasoning: 'The ball is left.', answer: '```json\n[]\n```' });
    expect(transcriptParts('<think>still thinking')).toEqual({ reasoning: 'still thinking', answer: '' });
  });
});

describe('the no-box line', () => {
  it("quotes the model's answer, else the last sentence of its reasoning", () => {
    expect(noBoxSentence('I cannot find such an object in this image.', 'whatever')).toBe('I cannot find such an object in this image.');
    expect(noBoxSentence('', 'I look for a unicorn. There is none here.')).toBe('There is none here.');
    expect(noBoxSentence('', '')).toBeNull();
    expect(missingBoxLine('no-box', 'Nothing like that here.', '')).toBe('No box. The model said: “Nothing like that here.”');
  });
  it('names the missing kind and says failures in words, never the bare code', () => {
    expect(missingBoxLine('amodal: no-box', '', 'It is hidden entirely.')).toBe('No amodal box. The model said: “It is hidden entirely.”');
    expect(missingBoxLine('timeout', '', '')).toBe('No box: the answer took longer than the time limit.');
    expect(missingBoxLine('error: server unreachable', '', '')).toBe('No box: server unreachable');
  });
});

describe('dialogKey', () => {
  const key = (k: string, target: unknown = null) => ({ key: k, target: target as EventTarget | null, ctrlKey: false, metaKey: false, altKey: false });
  it('gives Esc, Enter and the toggle key to the topmost dialog, and swallows keys aimed behind it', () => {
    const closed: string[] = [];
    const inside = { tagName: 'DIV' };
    const button = { tagName: 'BUTTON' };
    const box = { contains: (n: unknown) => n === inside || n === button };
    const stack = new DialogStack();
    const dialogKey = (e: Parameters<DialogStack['key']>[0]) => stack.key(e);
    const popLower = stack.push({ element: () => null, close: () => closed.push('lower') });
    const popTop = stack.push({ element: () => box as unknown as HTMLElement, close: () => closed.push('top'), confirm: () => closed.push('confirmed'), toggleKeys: ['?'] });
    expect(dialogKey(key('Escape'))).toBe(true);
    expect(dialogKey(key('Enter', inside))).toBe(true);
    expect(dialogKey(key('Enter', button))).toBe(false); // a focused button in the dialog clicks itself
    expect(dialogKey(key('?'))).toBe(true);
    expect(closed).toEqual(['top', 'confirmed', 'top']);
    expect(dialogKey(key('n', null))).toBe(true); // focus behind the dialog: swallowed
    expect(dialogKey(key('n', inside))).toBe(false); // inside: the dialog's own
    popTop();
    popLower();
    expect(dialogKey(key('Escape'))).toBe(false); // no dialog: the workbench's
  });
});

describe('undoKind', () => {
  const k = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }>) => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
  it('reads Ctrl/Cmd+Z as undo, with Shift or Ctrl+Y as redo, and nothing else', () => {
    expect(undoKind(k('z', { ctrlKey: true }))).toBe('undo');
    expect(undoKind(k('Z', { metaKey: true, shiftKey: true }))).toBe('redo');
    expect(undoKind(k('y', { ctrlKey: true }))).toBe('redo');
    expect(undoKind(k('z', {}))).toBeNull();
    expect(undoKind(k('z', { ctrlKey: true, altKey: true }))).toBeNull();
  });
});

describe('withoutMethodName', () => {
  it('drops IPC method names, not words that merely end like one', () => {
    expect(withoutMethodName('Grounding "x" failed: images:list: no project is open')).toBe('Grounding "x" failed: no project is open');
    expect(withoutMethodName('the background: fine')).toBe('the background: fine');
  });
});
