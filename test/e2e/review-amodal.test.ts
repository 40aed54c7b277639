// Issue 18, items 1, 3 and 8, in Chromium over the real handlers with a local
// OpenAI-style server whose answers are scripted per prompt:
//  1. an amodal answer past the image edge is kept as answered (the rocket's
//     top, cut by the frame), and Fit shows it whole; of two handles the
//     nearer wins (2 px apart at fit zoom), a tie at the edge goes to the
//     amodal box when the drag leaves the image or Alt is held; A during
//     review draws the proposal's amodal box;
//  3. each proposal edit is an undo step, undo of an accept brings the
//     proposal back with the corrected boxes, R draws even inside a proposal,
//     accepting an image's last proposal moves on to the next (a setting), and
//     a batch's answer for the image being edited does not take the review;
//  8. a corrected proposal is exported in whole pixels, and accepting makes a
//     'todo' image 'in-progress'.
// Screenshots of the amodal proposal past the edge: test-results/issue18/.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitExtent, fitViewportTo, imageToStage } from '@core/geometry';
import type { Box, Point } from '@core/types';
import { startFakeOpenAIServer, type FakeServer } from '../helpers/fake-openai-server';
import { startHarness, type Harness } from './harness';
import { GroundingPage } from './pages/grounding.page';
import { shoot } from './pages/screens';

const SHOTS = 'test-results/issue18';
const answer = (box: number[]) => '```json\n[\n\t{"bbox_2d": [' + box.join(', ') + '], "label": "x"}\n]\n```';

// Sample images (upright sizes).
const STUFF: [number, number] = [640, 480];
const MESSI: [number, number] = [548, 342];

let server: FakeServer;
let harness: Harness;
let g: GroundingPage;
let outDir: string;
const page = () => harness.page;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'egm-issue18-'));
  server = await startFakeOpenAIServer({
    record: false,
    answerByPrompt: {
      // "the rocket amodally" as the issue saw it: its top is cut by the frame.
      'Locate the rocket,': answer([420, 0, 560, 870]),
      'Locate the rocket amodally,': answer([420, -150, 560, 870]),
      // Both boxes the same, meeting the image's top edge: every handle has a twin.
      'Locate the shelf,': answer([100, 0, 300, 900]),
      'Locate the shelf amodally,': answer([100, 0, 300, 900]),
      // The amodal box's bottom 2 px below the visible one's on the 548×342 image (171 and 173).
      'Locate the mast,': answer([500, 100, 600, 500]),
      'Locate the mast amodally,': answer([500, 100, 600, 506]),
    },
    answer: answer([200, 200, 600, 700]),
  });
  harness = await startHarness({ viewport: { width: 1280, height: 720 }, dialogs: { saveCoco: join(outDir, 'export.json') } });
  g = new GroundingPage(harness.page);
  await g.wb.openSample();
  await g.useServer(server.baseUrl, 'sk-issue18');
  await g.waitModelReady();
  await g.closeModelPanel();
}, 180_000);
afterAll(async () => {
  await harness?.close();
  await server?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

/** The page point of image point p when the view is fitted to the image and these boxes (what Fit shows). */
async function screenOf(size: [number, number], boxes: (Box | null)[], p: Point): Promise<Point> {
  const bb = await g.wb.canvas.boundingBox();
  if (!bb) throw new Error('review-amodal: no canvas');
  const s = imageToStage(p, fitViewportTo(fitExtent(size[0], size[1], boxes), bb.width, bb.height));
  return [bb.x + s[0], bb.y + s[1]];
}

/** A drag between two image points in that view, in several moves like a hand; Alt held when asked. */
async function drag(size: [number, number], boxes: (Box | null)[], from: Point, to: Point, alt = false): Promise<void> {
  const a = await screenOf(size, boxes, from);
  const b = await screenOf(size, boxes, to);
  const mouse = page().mouse;
  if (alt) await page().keyboard.down('Alt');
  await mouse.move(a[0], a[1]);
  await mouse.down();
  await mouse.move((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, { steps: 4 });
  await mouse.move(b[0], b[1], { steps: 4 });
  await mouse.up();
  if (alt) await page().keyboard.up('Alt');
}

const boxes = () => g.proposalBoxes();
const activeRow = () => page().locator('[data-testid="queue-row"][data-active="true"]');
const undoButton = () => page().getByTestId('btn-undo');
const imageId = async (file: string) => (await harness.handlers['images:list']({})).find((i) => i.fileName === file)!.id;
const stored = async (file: string) => {
  await g.wb.waitSaved();
  return harness.handlers['annotations:list']({ imageId: await imageId(file) });
};

/** The topmost row (CSS px from the canvas top) where a Konva layer has a painted pixel, or null. Layers: 0 image, 4 proposals. */
async function topmostPainted(layer: number): Promise<number | null> {
  return page().evaluate(`(() => {
    const c = document.querySelectorAll('[data-testid="canvas"] canvas')[${layer}];
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let y = 0; y < c.height; y++) for (let x = 0; x < c.width; x++) if (d[(y * c.width + x) * 4 + 3] > 0) return y * c.clientHeight / c.height;
    return null;
  })()`) as Promise<number | null>;
}
const frames = () => page().evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');

/** Every pending proposal rejected in the store (main tells the page), so a test starts with an empty queue. */
async function clearQueue(): Promise<void> {
  await g.wb.waitSaved();
  for (const p of await harness.handlers['proposals:list']({})) await harness.handlers['proposals:reject']({ id: p.id });
  await expect.poll(() => g.queueCount.textContent()).toBe('0');
}

/** Asks for a phrase on an image and waits for its proposal under review (the select tool on: handles are its). */
async function propose(file: string, phrase: string): Promise<void> {
  await clearQueue();
  await g.wb.selectImage(file);
  await g.wb.useTool('select');
  await g.ground(phrase);
  await g.waitProposal();
}

async function exportedCoco(): Promise<{ phrase: string; bbox: number[]; amodal_bbox?: number[] }[]> {
  await g.wb.exportCoco();
  return (JSON.parse(await readFile(join(outDir, 'export.json'), 'utf8')) as { annotations: { phrase: string; bbox: number[]; amodal_bbox?: number[] }[] }).annotations;
}

describe('issue 18, item 1: an amodal answer past the edge', () => {
  it('is kept as answered (the rocket: y1 < 0) and shown whole, Fit included', async () => {
    await propose('rocket.jpg', 'the rocket');
    await expect.poll(() => g.proposalAmodal.textContent()).toBe('269, -64 → 358, 371');
    expect(await g.proposalVisible.textContent()).toBe('269, 0 → 358, 371'); // the visible box is clipped as the authors clip it
    // On screen: the dashed amodal box reaches 64 image px above the picture, inside the stage.
    const shown = async () => {
      await frames();
      const [image, proposals] = [await topmostPainted(0), await topmostPainted(4)];
      return image !== null && proposals !== null && proposals > 0 && image - proposals > 40;
    };
    await expect.poll(shown, { message: 'the amodal box past the top edge is not shown whole' }).toBe(true);
    expect(await shoot(page(), 'amodal-proposal-past-edge', SHOTS)).toHaveLength(2);
    // Zoomed in, then Fit (F): still whole.
    await g.wb.press('=');
    await g.wb.press('=');
    await g.wb.press('f');
    await expect.poll(shown, { message: 'Fit cut off the amodal box past the edge' }).toBe(true);
  });

  it('is stored and exported past the edge when accepted', async () => {
    await g.wb.press('Enter');
    await expect.poll(async () => (await stored('rocket.jpg')).map((a) => a.amodal)).toEqual([[269, -64, 358, 371]]);
    expect((await exportedCoco()).find((a) => a.phrase === 'the rocket')!.amodal_bbox).toEqual([269, -64, 89, 435]);
  });
});

describe('issue 18, item 1: handles of a proposal under review', () => {
  // The shelf: both boxes [64, 0, 192, 432] on the 640×480 image, every handle with a twin; all inside the image, so Fit is the image's.
  const SHELF = { visible: [64, 0, 192, 432], amodal: [64, 0, 192, 432] };
  const inImage: (Box | null)[] = [];

  it('Alt-drag of a handle both boxes share takes the amodal box (the visible one used to win)', async () => {
    await propose('stuff.jpg', 'the shelf');
    await expect(boxes()).resolves.toEqual(SHELF);
    await drag(STUFF, inImage, [192, 216], [230, 216], true);
    await expect.poll(boxes).toEqual({ visible: [64, 0, 192, 432], amodal: [64, 0, 230, 432] });
  });

  it('with R, a drag inside the proposal draws a box and leaves the proposal where it is (item 3)', async () => {
    await propose('stuff.jpg', 'the shelf');
    await g.wb.useTool('visible');
    const rows = await g.wb.boxRows.count();
    await drag(STUFF, inImage, [100, 100], [150, 160]);
    await expect.poll(() => g.wb.boxRows.count()).toBe(rows + 1);
    await expect(boxes()).resolves.toEqual(SHELF);
    await g.wb.useTool('select');
  });

  it('a handle both boxes share, dragged past the image edge, takes the amodal box', async () => {
    // The last box drawn was a visible one (R), so a tie goes to the visible box: the drag past the edge is what picks the amodal one.
    await propose('stuff.jpg', 'the shelf');
    await drag(STUFF, inImage, [128, 0], [128, -40]);
    await expect.poll(boxes).toEqual({ visible: [64, 0, 192, 432], amodal: [64, -40, 192, 432] });
  });

  it('at fit zoom the amodal handle pressed on wins over the visible one 2 px away', async () => {
    await propose('messi5.jpg', 'the mast');
    await expect(boxes()).resolves.toEqual({ visible: [274, 34, 329, 171], amodal: [274, 34, 329, 173] });
    // The bottom handles: visible at y 171, amodal at y 173, both within reach of a press at fit zoom.
    await drag(MESSI, [], [301.5, 173], [301.5, 226.37]);
    await expect.poll(boxes).toEqual({ visible: [274, 34, 329, 171], amodal: [274, 34, 329, 226] });
  });

  it('A during review (no box selected) draws the proposal\'s amodal box, grown around the visible one', async () => {
    await propose('stuff.jpg', 'the shelf');
    await g.wb.useTool('amodal');
    await drag(STUFF, inImage, [40, 300], [250, 470]);
    await expect.poll(boxes).toEqual({ visible: [64, 0, 192, 432], amodal: [40, 0, 250, 470] });
    await expect(g.wb.notice.textContent()).resolves.not.toContain('Select a box first');
    await g.wb.useTool('select');
    await shoot(page(), 'proposal-edited-amodal', SHOTS);
  });
});

describe('issue 18, item 3: the review loop', () => {
  it('each proposal edit is an undo step; undo of the accept brings the proposal back with the corrected boxes', async () => {
    await propose('stuff.jpg', 'the shelf');
    await drag(STUFF, [], [192, 216], [230, 216], true);
    await expect.poll(boxes).toEqual({ visible: [64, 0, 192, 432], amodal: [64, 0, 230, 432] });
    await expect(undoButton().getAttribute('title')).resolves.toContain('Resize proposal box');
    await drag(STUFF, [], [64, 0], [64, -40]);
    await expect.poll(boxes).toEqual({ visible: [64, 0, 192, 432], amodal: [64, -40, 230, 432] });
    await g.wb.press('Control+z');
    await expect.poll(boxes).toEqual({ visible: [64, 0, 192, 432], amodal: [64, 0, 230, 432] });
    await g.wb.press('Control+z');
    await expect.poll(boxes).toEqual({ visible: [64, 0, 192, 432], amodal: [64, 0, 192, 432] });
    await expect(page().getByTestId('btn-accept').textContent()).resolves.not.toContain('edited');
    await g.wb.press('Control+Shift+z');
    await g.wb.press('Control+Shift+z');
    await expect.poll(boxes).toEqual({ visible: [64, 0, 192, 432], amodal: [64, -40, 230, 432] });

    const before = (await stored('stuff.jpg')).length;
    await g.wb.press('Enter');
    await expect.poll(async () => (await stored('stuff.jpg')).length).toBe(before + 1);
    await g.wb.press('Control+z');
    await g.waitProposal();
    await expect.poll(boxes).toEqual({ visible: [64, 0, 192, 432], amodal: [64, -40, 230, 432] });
    await expect(page().getByTestId('btn-accept').textContent()).resolves.toContain('Accept edited');
    await g.wb.press('Enter');
    await expect.poll(async () => (await stored('stuff.jpg')).filter((a) => a.phrase === 'the shelf').map((a) => a.amodal)).toContainEqual([64, -40, 230, 432]);
  });

  it('accepting the last proposal on an image moves on to the next one (a setting, on by default, kept)', async () => {
    await clearQueue();
    await g.wb.selectImage('chelsea.png');
    await g.ground('the cat');
    await g.waitProposal();
    await g.wb.selectImage('coffee.png');
    await g.ground('the cup');
    await g.waitProposal();
    await expect.poll(() => g.queueCount.textContent()).toBe('2');
    await expect(page().getByTestId('auto-advance').isChecked()).resolves.toBe(true);
    await g.queueRows.filter({ hasText: 'the cat' }).click();
    await page().locator('[data-testid="image-row"][data-file="chelsea.png"][aria-selected="true"]').waitFor();
    await g.wb.press('Enter');
    // On to the next proposal, on its image.
    await page().locator('[data-testid="image-row"][data-file="coffee.png"][aria-selected="true"]').waitFor();
    await expect.poll(g.activeProposal.bind(g)).toBe('the cup @ coffee.png');

    // Off: accepting the last one on an image stays there.
    await page().getByTestId('auto-advance').uncheck();
    await g.wb.selectImage('chelsea.png');
    await g.ground('the ear');
    await g.waitProposal();
    await g.wb.press('Enter');
    await expect.poll(() => g.queueCount.textContent()).toBe('1');
    await g.wb.waitSaved();
    expect(await g.currentImageFile()).toBe('chelsea.png');
    expect(await activeRow().count()).toBe(0);
    // Kept for the user, across a reload.
    await page().reload();
    await g.wb.waitReady();
    await expect(page().getByTestId('auto-advance').isChecked()).resolves.toBe(false);
    await page().getByTestId('auto-advance').check();
  });

  it("a batch's answer for the image being edited waits in the queue: it takes neither the review nor the side panel", async () => {
    await clearQueue();
    await g.wb.selectImage('chelsea.png');
    await expect(activeRow().count()).resolves.toBe(0);
    await g.wb.drawVisibleBox([451, 300], [20, 20], [120, 110]);
    await harness.handlers['batch:start']({ phrases: ['the whiskers'], imageIds: [await imageId('chelsea.png')] });
    await expect.poll(() => g.queueCount.textContent(), { timeout: 30_000 }).toBe('1');
    await g.proposalBadge('chelsea.png').waitFor();
    await frames();
    expect(await activeRow().count()).toBe(0);
    expect(await g.proposalPanel.count()).toBe(0);
    await expect(g.wb.visibleCoords.textContent()).resolves.toContain('20, 20'); // the drawn box is still selected
  });
});

describe('issue 18, item 8: whole pixels and image status', () => {
  it('a corrected proposal is stored and exported in whole pixels', async () => {
    // The default answer [200, 200, 600, 700] on the 548×342 image: [110, 68, 329, 239].
    await propose('messi5.jpg', 'the player');
    await expect(boxes()).resolves.toEqual({ visible: [110, 68, 329, 239], amodal: [110, 68, 329, 239] });
    await drag(MESSI, [], [329, 239], [338.4, 250.6]); // to a point between pixels
    await expect.poll(async () => (await boxes()).amodal).not.toEqual([110, 68, 329, 239]);
    const edited = await boxes();
    await g.wb.press('Enter');
    await expect.poll(async () => (await stored('messi5.jpg')).filter((a) => a.phrase === 'the player').length).toBe(1);
    const player = (await stored('messi5.jpg')).find((a) => a.phrase === 'the player')!;
    expect(player.visible).toEqual(edited.visible);
    expect(player.amodal).toEqual(edited.amodal);
    const exported = (await exportedCoco()).find((a) => a.phrase === 'the player')!;
    expect([...exported.bbox, ...exported.amodal_bbox!].every(Number.isInteger), JSON.stringify(exported)).toBe(true);
  });

  it("accepting a proposal makes a 'todo' image 'in-progress'", async () => {
    await propose('squirrel_cls.jpg', 'the squirrel');
    await expect(g.wb.imageRow('squirrel_cls.jpg').getAttribute('data-status')).resolves.toBe('todo');
    await g.wb.press('Enter');
    await expect.poll(() => g.wb.imageRow('squirrel_cls.jpg').getAttribute('data-status')).toBe('in-progress');
    await g.wb.waitSaved();
    expect((await harness.handlers['images:list']({})).find((i) => i.fileName === 'squirrel_cls.jpg')!.status).toBe('in-progress');
    expect(harness.errors).toEqual([]);
  });
});
