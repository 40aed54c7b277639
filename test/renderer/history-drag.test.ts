// What one canvas gesture leaves behind, driven headlessly (TestWorkbench)
// over the real handler table: ONE undo step, ONE store call, the box stored
// in SQLite, and which layers were redrawn while the pointer moved.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestWorkbench } from './test-workbench';

let tw: TestWorkbench;
beforeEach(async () => {
  tw = await TestWorkbench.open({
    images: ['coffee.png'],
    boxes: [
      { image: 0, visible: [10, 10, 50, 50], phrase: 'cup' },
      { image: 0, visible: [200, 200, 240, 260], phrase: 'saucer' },
    ],
  });
});
afterEach(() => tw.dispose());

const byPhrase = (phrase: string) => tw.annotations.find((a) => a.phrase === phrase)!;

describe('canvas gestures', () => {
  it('a drag of 30 moves is one undo step and one store call at pointer-up', async () => {
    tw.pointerDown(...tw.stage(30, 30));
    tw.resetRedraws(); // pressing selected the cup: that redraw is not the drag's
    for (let i = 1; i <= 30; i++) tw.pointerMove(...tw.stage(30 + i, 30 + i / 2));
    expect(tw.wb.history.size.undo).toBe(0); // nothing recorded while dragging
    expect(tw.redraws).toEqual({ boxes: 0, selection: 30, draft: 0, proposals: 0 }); // only the selection layer redraws
    tw.main.calls.length = 0;
    tw.pointerUp(...tw.stage(60, 45));
    expect(tw.wb.history.size.undo).toBe(1);
    await tw.settled();
    // The first edit of a 'todo' image also marks it in progress.
    expect(tw.main.calls).toEqual(['annotations:update', 'images:setStatus']);
    expect(byPhrase('cup').visible).toEqual([40, 25, 80, 65]);
    expect((await tw.stored(0)).find((a) => a.phrase === 'cup')!.visible).toEqual([40, 25, 80, 65]);
  });

  it('resizes from a corner handle of the selected box', async () => {
    tw.wb.app.setState({ selection: [byPhrase('cup').id] });
    tw.pointerDown(...tw.stage(50, 50)).pointerMove(...tw.stage(70, 65)).pointerUp();
    expect(byPhrase('cup').visible).toEqual([10, 10, 70, 65]);
    expect(tw.wb.history.size.undo).toBe(1);
    await tw.settled();
    expect((await tw.stored(0)).find((a) => a.phrase === 'cup')!.visible).toEqual([10, 10, 70, 65]);
  });

  it('draws a visible box in image pixels with the draw tool, redrawing only the draft layer while drawing', async () => {
    tw.keyDown('r');
    await tw.settled();
    expect(tw.app.tool).toBe('visible');
    tw.resetRedraws();
    tw.pointerDown(...tw.stage(100, 100)).pointerMove(...tw.stage(120, 130)).pointerMove(...tw.stage(150, 160));
    expect(tw.redraws).toEqual({ boxes: 0, selection: 0, draft: 2, proposals: 0 });
    tw.pointerUp();
    await tw.settled();
    expect(tw.app.selection).toHaveLength(1);
    const stored = await tw.stored(0);
    expect(stored.map((a) => a.visible)).toContainEqual([100, 100, 150, 160]);
    expect(tw.row(0).annotationCount).toBe(3);
  });

  it('panning changes the view, not the history or the store', async () => {
    tw.main.calls.length = 0;
    tw.pointerDown(300, 300, { button: 1 }).pointerMove(340, 310).pointerUp();
    expect(tw.wb.view.getState().vp).toEqual({ scale: 2, x: 50, y: 30 });
    expect(tw.wb.history.size.undo).toBe(0);
    await tw.settled();
    expect(tw.main.calls).toEqual([]);
  });

  it('undo and redo of a move by key reach the store; clicking another box after undo keeps redo', async () => {
    tw.drag(tw.stage(30, 30), tw.stage(35, 30));
    await tw.keyDown('z', { mod: true }).settled();
    expect(byPhrase('cup').visible).toEqual([10, 10, 50, 50]);
    expect((await tw.stored(0)).find((a) => a.phrase === 'cup')!.visible).toEqual([10, 10, 50, 50]);
    expect(tw.wb.history.canRedo).toBe(true);
    tw.pointerDown(...tw.stage(220, 230)).pointerUp(); // select the other box
    expect(tw.app.selection).toEqual([byPhrase('saucer').id]);
    expect(tw.wb.history.canRedo).toBe(true);
    await tw.keyDown('z', { mod: true, shift: true }).settled();
    expect((await tw.stored(0)).find((a) => a.phrase === 'cup')!.visible).toEqual([15, 10, 55, 50]);
  });

  it('a new box, deleted and brought back by undo, keeps one stored record', async () => {
    tw.keyDown('r');
    tw.drag(tw.stage(300, 100), tw.stage(340, 150));
    await tw.settled();
    expect(await tw.stored(0)).toHaveLength(3);
    await tw.keyDown('Delete').settled();
    expect(await tw.stored(0)).toHaveLength(2);
    expect(tw.row(0).annotationCount).toBe(2);
    await tw.keyDown('z', { mod: true }).settled();
    const stored = await tw.stored(0);
    expect(stored).toHaveLength(3);
    expect(stored.map((a) => a.visible)).toContainEqual([300, 100, 340, 150]);
    expect(tw.row(0).annotationCount).toBe(3);
  });
});
