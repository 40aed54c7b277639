// The workbench's own command registry (renderer/src/commands/app-commands.ts):
// every required shortcut bound once, and keys run through the same matching
// as the keyboard hook (runKey) on a fresh workbench over the real handlers.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../renderer/src/commands/app-commands';
import { TestWorkbench } from './test-workbench';

describe('workbench commands', () => {
  it('bind every required shortcut exactly once, with no conflicts', () => {
    expect(commands.conflicts()).toEqual([]);
    const bound = new Map(commands.all().flatMap((c) => c.keys.map((k) => [k, c.id] as const)));
    const required: Record<string, string> = {
      V: 'tool.select',
      R: 'tool.visible',
      A: 'tool.amodal',
      Delete: 'edit.delete',
      'Mod+Z': 'edit.undo',
      'Mod+Shift+Z': 'edit.redo',
      'Mod+Y': 'edit.redo',
      N: 'image.next',
      P: 'image.prev',
      F: 'view.fit',
      'Mod+1': 'view.actual',
      '1': 'category.1',
      '9': 'category.9',
      'Mod+C': 'edit.copy',
      'Mod+V': 'edit.paste',
      '?': 'view.help',
    };
    for (const [k, id] of Object.entries(required)) expect(bound.get(k), k).toBe(id);
    for (const c of commands.all()) {
      expect(c.label.length, c.id).toBeGreaterThan(2);
      expect(c.group, c.id).toMatch(/^(Tools|Edit|Selection|View|Images|Project|Grounding)$/);
    }
  });
});

describe('keys on a workbench', () => {
  let tw: TestWorkbench;
  beforeEach(async () => {
    tw = await TestWorkbench.open({
      images: ['coffee.png', 'chelsea.png'],
      boxes: [
        { image: 0, visible: [10, 10, 50, 50], phrase: 'cup', reviewed: false },
        { image: 0, visible: [100, 100, 150, 150], phrase: 'spoon', reviewed: false },
      ],
    });
  });
  afterEach(() => tw.dispose());

  it('a key a disabled command is bound to does nothing; a text field keeps plain keys', () => {
    expect(tw.commandFor('Delete')).toBeNull(); // nothing selected
    expect(tw.commandFor('n')).toBe('image.next');
    expect(tw.commandFor('n', { inTextField: true })).toBeNull();
    expect(tw.commandFor('Escape', { inTextField: true })).toBe('select.none');
  });

  it('Enter marks the selected boxes reviewed: stored, and the image row counts follow', async () => {
    expect(tw.row(0)).toMatchObject({ annotationCount: 2, unreviewedCount: 2 });
    await tw.keyDown('a', { mod: true }).keyDown('Enter').settled();
    expect(tw.annotations.every((a) => a.reviewed)).toBe(true);
    expect(tw.row(0)).toMatchObject({ annotationCount: 2, unreviewedCount: 0 });
    expect((await tw.stored(0)).map((a) => a.reviewed)).toEqual([true, true]);
    await tw.keyDown('z', { mod: true }).settled();
    expect(tw.row(0).unreviewedCount).toBe(2);
  });

  it('arrow keys nudge by 1 px, with Shift by 10', async () => {
    const cup = tw.annotations.find((a) => a.phrase === 'cup')!;
    tw.wb.app.setState({ selection: [cup.id] });
    await tw.keyDown('ArrowRight').keyDown('ArrowDown', { shift: true }).settled();
    expect(tw.annotations.find((a) => a.id === cup.id)!.visible).toEqual([11, 20, 51, 60]);
    expect(tw.wb.history.size.undo).toBe(2);
  });

  it('Shift+N copies the selection to the next image; both rows count right', async () => {
    tw.wb.app.setState({ selection: [tw.annotations[0]!.id] });
    await tw.keyDown('N', { shift: true }).settled();
    expect(tw.app.currentImageId).toBe(tw.images[1]!.id);
    expect(tw.annotations).toHaveLength(1);
    expect(await tw.stored(1)).toHaveLength(1);
    expect(tw.row(0).annotationCount).toBe(2);
    expect(tw.row(1).annotationCount).toBe(1);
    // Undo of the paste on image 2, then of nothing more: image 1 keeps its two.
    await tw.keyDown('z', { mod: true }).settled();
    expect(tw.row(1).annotationCount).toBe(0);
    expect(await tw.stored(1)).toHaveLength(0);
  });
});
