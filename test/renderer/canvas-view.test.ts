// The canvas view tools of issue 11 on the headless workbench: hide and lock
// per box and per category (what the canvas draws, hit-tests and lets change),
// labels cycled by L, box opacity and the user's prefs in storage, brightness
// and contrast by key. The real pointer controller, command registry and
// handler table (TestWorkbench).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createBoxViewStore,
  imageFilter,
  parsePrefs,
  toggleCategoryHidden,
  toggleCategoryLocked,
  toggleHidden,
  toggleLocked,
} from '../../renderer/src/canvas/box-view';
import { labelText, withAlpha } from '../../renderer/src/canvas/draw';
import { TestWorkbench } from './test-workbench';

let tw: TestWorkbench;
beforeEach(async () => {
  tw = await TestWorkbench.open({
    images: ['coffee.png'],
    boxes: [
      { image: 0, visible: [10, 10, 50, 50], phrase: 'cup' },
      { image: 0, visible: [100, 100, 160, 150], phrase: 'saucer' },
    ],
  });
});
afterEach(() => tw.dispose());

const byPhrase = (phrase: string) => tw.annotations.find((a) => a.phrase === phrase)!;
const drawn = () => tw.wb.scene.annotations.map((a) => a.phrase);

describe('hide', () => {
  it('a hidden box is not drawn and not hit-tested; showing it brings both back', () => {
    toggleHidden(byPhrase('cup').id);
    expect(drawn()).toEqual(['saucer']);
    tw.pointerDown(...tw.stage(30, 30)).pointerUp();
    expect(tw.app.selection).toEqual([]);
    toggleHidden(byPhrase('cup').id);
    expect(drawn()).toEqual(['cup', 'saucer']);
    tw.pointerDown(...tw.stage(30, 30)).pointerUp();
    expect(tw.app.selection).toEqual([byPhrase('cup').id]);
  });

  it('H hides the selected box and deselects it; Shift+H shows every hidden box', () => {
    tw.pointerDown(...tw.stage(30, 30)).pointerUp();
    tw.resetRedraws();
    tw.keyDown('h');
    expect(drawn()).toEqual(['saucer']);
    expect(tw.app.selection).toEqual([]);
    expect(tw.redraws.boxes).toBeGreaterThan(0);
    tw.keyDown('Tab').keyDown('Tab'); // Tab skips the hidden cup
    expect(tw.app.selection).toEqual([byPhrase('saucer').id]);
    tw.keyDown('H', { shift: true });
    expect(drawn()).toEqual(['cup', 'saucer']);
  });

  it("hiding a category hides its boxes (boxes without a category are one); the list numbers stay the boxes' own", () => {
    toggleCategoryHidden(0);
    expect(drawn()).toEqual([]);
    toggleCategoryHidden(0);
    toggleHidden(byPhrase('cup').id);
    expect(tw.wb.scene.index.get(byPhrase('saucer').id)).toBe(2);
  });
});

describe('lock', () => {
  it('a locked box is drawn but the canvas cannot select, move or resize it', async () => {
    const cup = byPhrase('cup');
    toggleLocked(cup.id);
    expect(drawn()).toEqual(['cup', 'saucer']);
    tw.drag(tw.stage(30, 30), tw.stage(60, 60));
    expect(tw.app.selection).toEqual([]);
    expect(byPhrase('cup').visible).toEqual([10, 10, 50, 50]);
    // Selected from the box list: its handles do not resize it.
    tw.wb.app.setState({ selection: [cup.id] });
    tw.drag(tw.stage(50, 50), tw.stage(80, 80));
    await tw.settled();
    expect(byPhrase('cup').visible).toEqual([10, 10, 50, 50]);
    expect(tw.wb.history.size.undo).toBe(0);
  });

  it('Delete, nudge and the amodal tool leave a locked box as it is, with a notice; unlocked, Delete deletes it', async () => {
    const cup = byPhrase('cup');
    tw.wb.app.setState({ selection: [cup.id] });
    tw.keyDown('L', { shift: true });
    expect(tw.wb.boxView.getState().lockedIds.has(cup.id)).toBe(true);
    tw.keyDown('Delete').keyDown('ArrowRight').keyDown('d');
    await tw.settled();
    expect(tw.annotations).toHaveLength(2);
    expect(byPhrase('cup')).toMatchObject({ visible: [10, 10, 50, 50], amodal: null });
    expect(tw.app.notice).toBe('The selected box is locked: unlock it to change it');
    tw.keyDown('a');
    tw.drag(tw.stage(30, 30), tw.stage(-20, -20));
    await tw.settled();
    expect(byPhrase('cup').amodal).toBeNull();
    tw.keyDown('L', { shift: true }).keyDown('Delete');
    await tw.settled();
    expect((await tw.stored(0)).map((a) => a.phrase)).toEqual(['saucer']);
  });

  it('locking a category locks its boxes', () => {
    toggleCategoryLocked(0);
    tw.pointerDown(...tw.stage(120, 120)).pointerUp();
    expect(tw.app.selection).toEqual([]);
  });
});

describe('labels and opacity', () => {
  it('L cycles numbers, phrases and categories, redrawing the box layers and saying which', () => {
    const start = tw.wb.boxView.getState().labels;
    expect(start).toBe('phrase');
    tw.resetRedraws();
    tw.keyDown('l');
    expect(tw.wb.boxView.getState().labels).toBe('category');
    expect(tw.app.notice).toBe('Labels: categories');
    expect(tw.redraws).toMatchObject({ boxes: 1, selection: 1, draft: 0 });
    tw.keyDown('l');
    expect(tw.wb.boxView.getState().labels).toBe('off');
    tw.keyDown('l');
    expect(tw.wb.boxView.getState().labels).toBe('phrase');
  });

  it('a label is the list number with the phrase or the category name, cut when long, and says locked', () => {
    const a = { ...byPhrase('cup'), categoryId: 3 };
    const names = new Map([[3, 'mug']]);
    expect(labelText(a, 'off', 1, names, false)).toBe('1');
    expect(labelText(a, 'phrase', 1, names, false)).toBe('1 cup');
    expect(labelText(a, 'category', 1, names, true)).toBe('1 mug (locked)');
    expect(labelText({ ...a, phrase: 'x'.repeat(40) }, 'phrase', 2, names, false)).toBe(`2 ${'x'.repeat(31)}…`);
  });

  it('fill alpha as hex digits on the colour', () => {
    expect(withAlpha('#ff0000', 0)).toBe('#ff000000');
    expect(withAlpha('#ff0000', 0.6)).toBe('#ff000099');
  });

  it("labels and opacity are the user's prefs: read from storage, written back on change, anything malformed read as the default", () => {
    const kept = new Map<string, string>();
    const storage = { getItem: (k: string) => kept.get(k) ?? null, setItem: (k: string, v: string) => void kept.set(k, v) };
    const first = createBoxViewStore(storage);
    first.setState({ labels: 'category', fillOpacity: 0.3 });
    const second = createBoxViewStore(storage);
    expect(second.getState()).toMatchObject({ labels: 'category', fillOpacity: 0.3, hiddenIds: new Set(), brightness: 100 });
    expect(parsePrefs('{"labels":"loud","fillOpacity":5}')).toEqual({ labels: 'phrase', fillOpacity: 0.6 });
    expect(parsePrefs('not json')).toEqual({ labels: 'phrase', fillOpacity: 0 });
  });
});

describe('brightness and contrast', () => {
  it('B / Shift+B and C / Shift+C step them by 10 %, 0 resets; the image layer gets them as a CSS filter', () => {
    expect(imageFilter(tw.wb.boxView.getState())).toBe('none');
    tw.keyDown('b').keyDown('b').keyDown('C', { shift: true });
    expect(tw.wb.boxView.getState()).toMatchObject({ brightness: 120, contrast: 90 });
    expect(imageFilter(tw.wb.boxView.getState())).toBe('brightness(120%) contrast(90%)');
    tw.keyDown('0');
    expect(tw.wb.boxView.getState()).toMatchObject({ brightness: 100, contrast: 100 });
  });
});
