// Issue 11's canvas fixes, driven through the real pointer controller over
// the real handler table (TestWorkbench): a draw tool's drag draws even from a
// selected box's handle; an amodal box may be drawn, resized and moved past
// the image edge (up to the bound the store accepts) while the visible box
// stays inside; a whole object moved once its amodal box is past the edge does
// not jump.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addProposal } from '../../renderer/src/grounding/review';
import { TestWorkbench } from './test-workbench';

// coffee.png is 600 x 400.
let tw: TestWorkbench;
beforeEach(async () => {
  tw = await TestWorkbench.open({ images: ['coffee.png'], boxes: [{ image: 0, visible: [10, 10, 50, 50], phrase: 'cup' }] });
});
afterEach(() => tw.dispose());

const cup = () => tw.annotations.find((a) => a.phrase === 'cup')!;
const storedCup = async () => (await tw.stored(0)).find((a) => a.phrase === 'cup')!;

describe('draw tools draw', () => {
  it('R, then a drag from the selected box\'s corner handle draws a new box and leaves the selected one alone', async () => {
    tw.wb.app.setState({ selection: [cup().id] });
    tw.keyDown('r');
    tw.drag(tw.stage(50, 50), tw.stage(90, 80));
    await tw.settled();
    expect(cup().visible).toEqual([10, 10, 50, 50]);
    expect(tw.annotations.map((a) => a.visible)).toContainEqual([50, 50, 90, 80]);
    expect(tw.annotations).toHaveLength(2);
  });

  it('hovering a handle with a draw tool shows the crosshair, not a resize cursor', () => {
    tw.wb.app.setState({ selection: [cup().id] });
    expect(tw.input.cursorAt(tw.stage(50, 50))).toBe('nwse-resize');
    tw.keyDown('r');
    expect(tw.input.cursorAt(tw.stage(50, 50))).toBe('crosshair');
  });
});

describe('amodal boxes past the image edge', () => {
  it('an amodal box drawn past the left and top edges is stored there', async () => {
    tw.wb.app.setState({ selection: [cup().id] });
    tw.keyDown('a');
    tw.drag(tw.stage(60, 60), tw.stage(-80, -30));
    await tw.settled();
    expect(cup().amodal).toEqual([-80, -30, 60, 60]);
    expect((await storedCup()).amodal).toEqual([-80, -30, 60, 60]);
  });

  it('a drawn amodal box stops at the bound the store accepts (one image size past the edge)', async () => {
    tw.wb.app.setState({ selection: [cup().id] });
    tw.keyDown('a');
    tw.drag(tw.stage(40, 40), tw.stage(-5000, 3000));
    await tw.settled();
    expect(cup().amodal).toEqual([-600, 10, 50, 800]);
    expect((await storedCup()).amodal).toEqual([-600, 10, 50, 800]);
  });

  it('resizing the amodal box by its handle goes past the edge; the visible box stays in the image', async () => {
    tw.wb.app.setState({ selection: [cup().id] });
    tw.keyDown('a');
    tw.drag(tw.stage(50, 50), tw.stage(-70, -20));
    await tw.settled();
    expect(cup().amodal).toEqual([-70, -20, 50, 50]);
    tw.keyDown('v');
    tw.drag(tw.stage(-70, -20), tw.stage(-120, -60)); // the amodal box's nw handle
    await tw.settled();
    expect(cup().amodal).toEqual([-120, -60, 50, 50]);
    tw.drag(tw.stage(10, 10), tw.stage(-40, 5)); // the visible box's nw handle: stops at the image edge
    await tw.settled();
    expect(cup().visible).toEqual([0, 5, 50, 50]);
    expect((await storedCup()).amodal).toEqual([-120, -60, 50, 50]);
  });

  it('moving an object whose amodal box is past the edge moves it by the drag, without a jump; the visible box stops at the edge', async () => {
    tw.wb.app.setState({ selection: [cup().id] });
    tw.keyDown('a');
    tw.drag(tw.stage(50, 50), tw.stage(-100, 0));
    await tw.settled();
    expect(cup().amodal).toEqual([-100, 0, 50, 50]);
    tw.keyDown('v');
    tw.drag(tw.stage(30, 30), tw.stage(35, 33)); // move by (5, 3)
    await tw.settled();
    expect(cup().visible).toEqual([15, 13, 55, 53]);
    expect(cup().amodal).toEqual([-95, 3, 55, 53]);
    tw.drag(tw.stage(30, 30), tw.stage(-200, 30)); // far left: the visible box stops at x = 0
    await tw.settled();
    expect(cup().visible).toEqual([0, 13, 40, 53]);
    expect(cup().amodal).toEqual([-110, 3, 40, 53]);
    expect((await storedCup()).amodal).toEqual([-110, 3, 40, 53]);
  });

  it('the arrow-key nudge keeps an amodal box past the edge where it is', async () => {
    tw.wb.app.setState({ selection: [cup().id] });
    tw.keyDown('a');
    tw.drag(tw.stage(50, 50), tw.stage(-100, 0));
    await tw.settled();
    tw.keyDown('ArrowRight');
    await tw.settled();
    expect(cup().visible).toEqual([11, 10, 51, 50]);
    expect(cup().amodal).toEqual([-99, 0, 51, 50]);
  });

  it('copy and paste keep an amodal box past the edge', async () => {
    tw.wb.app.setState({ selection: [cup().id] });
    tw.keyDown('a');
    tw.drag(tw.stage(50, 50), tw.stage(-100, 0));
    await tw.settled();
    tw.keyDown('c', { mod: true }).keyDown('v', { mod: true });
    await tw.settled();
    expect(tw.annotations.filter((a) => a.phrase === 'cup').map((a) => a.amodal)).toEqual([
      [-100, 0, 50, 50],
      [-100, 0, 50, 50],
    ]);
  });
});

describe('a proposal\'s amodal box past the image edge', () => {
  it('its handle drags it past the edge (the visible box stays inside); Enter stores it there', async () => {
    const imageId = tw.images[0]!.id;
    const proposal = await tw.main.ok('proposals:restore', {
      proposal: {
        id: 900, imageId, phrase: 'the cup', visible: [30, 30, 60, 60], amodal: [20, 20, 80, 80], reasoningVisible: '', reasoningAmodal: '',
        model: 'test', score: null, point: null, pointHit: null, reason: null, latencyMs: 5, batchId: null, createdAt: 1,
      },
    });
    addProposal(proposal);
    tw.drag(tw.stage(20, 20), tw.stage(-50, -40)); // the amodal box's nw handle
    expect(tw.grounding.edits[proposal.id]).toEqual({ visible: [30, 30, 60, 60], amodal: [-50, -40, 80, 80] });
    tw.drag(tw.stage(30, 30), tw.stage(-10, 25)); // the visible box's nw handle stops at the image edge
    expect(tw.grounding.edits[proposal.id]!.visible).toEqual([0, 25, 60, 60]);
    await tw.keyDown('Enter').settled();
    expect((await tw.stored(0)).find((a) => a.phrase === 'the cup')).toMatchObject({ visible: [0, 25, 60, 60], amodal: [-50, -40, 80, 80] });
  });
});
