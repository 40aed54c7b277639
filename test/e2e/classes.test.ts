// Issue 18, "Classes", in Chromium: a box is drawn in its category's colour
// (read back from the canvas's pixels), boxes without one in the neutral grey;
// keys 1–9 give the selected boxes (or the proposal under review) the
// category of that number; a multi-selection takes a category or a flag at
// once, as one undo step. Screenshots of several categories on one image at
// 1280×720 and 1920×1080 go to test-results/screenshots/.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryColor, NO_CATEGORY_COLOR } from '@core/category-colors';
import { imageToStage } from '@core/geometry';
import type { Box } from '@core/types';
import { BOX_ANSWER, startFakeOpenAIServer, type FakeServer } from '../helpers/fake-openai-server';
import { startHarness, type Harness } from './harness';
import { GroundingPage } from './pages/grounding.page';
import { WorkbenchPage } from './pages/workbench.page';
import { settle, shoot } from './pages/screens';

const MESSI: [number, number] = [548, 342];
let harness: Harness;
let wb: WorkbenchPage;
let server: FakeServer;

/** [category name or null, phrase, visible box] on messi5.jpg. */
const BOXES: [string | null, string, Box][] = [
  ['player', 'the player in red', [190, 40, 330, 320]],
  ['player', 'the player behind', [60, 60, 170, 300]],
  ['ball', 'the ball', [340, 250, 400, 310]],
  ['goal', 'the goal post', [420, 20, 500, 200]],
  ['referee', 'the referee', [20, 120, 55, 250]],
  [null, 'something', [350, 60, 410, 160]],
];

beforeAll(async () => {
  server = await startFakeOpenAIServer({ reasoning: 'The phrase names one object.', chunkChars: 12, answer: BOX_ANSWER });
  harness = await startHarness({ viewport: { width: 1400, height: 900 } });
  wb = new WorkbenchPage(harness.page);
  await wb.openSample();
  await harness.page.evaluate(`(async (boxes) => {
    const messi = (await window.egm['images:list']({})).find((i) => i.fileName === 'messi5.jpg');
    const base = { amodal: null, occluded: false, source: 'manual', model: null, score: null, reviewed: true };
    for (const [category, phrase, visible] of boxes) {
      const categoryId = category === null ? null : (await window.egm['categories:ensure']({ name: category })).id;
      await window.egm['annotations:create']({ ...base, imageId: messi.id, categoryId, phrase, visible });
    }
  })(${JSON.stringify(BOXES)})`);
  await harness.page.reload();
  await wb.waitReady();
  await wb.selectImage('messi5.jpg');
});
afterAll(async () => {
  await harness?.close();
  await server?.close();
});

const hex = (rgb: number[]) => `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
const near = (a: string, b: string) => {
  const p = [1, 3, 5].map((i) => parseInt(a.slice(i, i + 2), 16));
  const q = [1, 3, 5].map((i) => parseInt(b.slice(i, i + 2), 16));
  return p.every((v, i) => Math.abs(v - q[i]!) <= 6);
};

/** The colour of the canvas pixel on the left edge of each box, halfway down (below any label). */
async function edgeColors(boxes: Box[]): Promise<string[]> {
  await settle(harness.page);
  const png = await wb.canvas.screenshot();
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { vp } = await wb.fittedViewport(...MESSI);
  return boxes.map((b) => {
    const [x, y] = imageToStage([b[0], (b[1] + b[3]) / 2], vp);
    const i = (Math.round(y) * info.width + Math.round(x)) * 3;
    return hex([data[i]!, data[i + 1]!, data[i + 2]!]);
  });
}

async function categoryIds(): Promise<Record<string, number>> {
  const list = (await harness.page.evaluate(`window.egm['categories:list']({})`)) as { id: number; name: string }[];
  return Object.fromEntries(list.map((c) => [c.name, c.id]));
}

const storedCategories = async (): Promise<(number | null)[]> => {
  const messi = ((await harness.page.evaluate(`window.egm['images:list']({})`)) as { id: number; fileName: string }[]).find((i) => i.fileName === 'messi5.jpg')!;
  const list = (await harness.page.evaluate(`window.egm['annotations:list']({ imageId: ${messi.id} })`)) as { categoryId: number | null }[];
  return list.map((a) => a.categoryId);
};

describe('classes (issue 18)', () => {
  it("draws each box in its category's colour, boxes without one in the neutral grey", async () => {
    const ids = await categoryIds();
    const want = BOXES.map(([name]) => (name === null ? NO_CATEGORY_COLOR : categoryColor(ids[name]!)));
    // Four categories, four different colours; the two players share theirs; none is the grey.
    expect(new Set(want.slice(1, 5)).size).toBe(4);
    expect(want[0]).toBe(want[1]);
    const got = await edgeColors(BOXES.map((b) => b[2]));
    got.forEach((g, i) => expect(near(g, want[i]!), `${BOXES[i]![1]}: ${g} vs ${want[i]}`).toBe(true));
    // The list's swatches and the strip's chips say the same colours.
    const swatches = await wb.boxRows.locator('.swatch').evaluateAll((els) => els.map((e) => (e as unknown as { style: { background: string } }).style.background));
    expect(swatches).toHaveLength(BOXES.length);
    const chips = await harness.page.getByTestId('category-chip').evaluateAll((els) => els.map((e) => [e.getAttribute('data-category'), e.querySelector('kbd')?.textContent ?? null]));
    expect(chips).toEqual([['player', '1'], ['ball', '2'], ['goal', '3'], ['referee', '4'], ['no category', null]]);
    // The pointer off every row and box (on the app's name), so no hover state shows at either size.
    await harness.page.mouse.move(1, 1);
    await shoot(harness.page, 'category-colours', 'test-results/screenshots');
    await wb.boxRows.nth(0).click();
    await harness.page.mouse.move(1, 1);
    await shoot(harness.page, 'category-colours-selected', 'test-results/screenshots');
    await wb.press('Escape');
  });

  it('keys 1–9 give every selected box the category of that number, as one undo step', async () => {
    const ids = await categoryIds();
    const before = await storedCategories();
    await wb.press('Control+a');
    await wb.press('2'); // 'ball': the second category by id
    await wb.waitSaved();
    expect(await storedCategories()).toEqual(BOXES.map(() => ids.ball));
    await wb.press('Escape');
    const after = await edgeColors(BOXES.map((b) => b[2]));
    after.forEach((c) => expect(near(c, categoryColor(ids.ball!)), c).toBe(true)); // all in the ball's colour now
    await wb.press('Control+z');
    await wb.waitSaved();
    expect(await storedCategories()).toEqual(before);
    // A key with no category of that number says so and changes nothing.
    await wb.boxRows.nth(0).click();
    await wb.press('9');
    await expect.poll(() => wb.notice.textContent()).toMatch(/No category 9 yet/);
    expect(await storedCategories()).toEqual(before);
    // Ctrl+1 is 1:1 now; the plain 1 is the first category.
    await wb.press('1');
    await wb.waitSaved();
    expect((await storedCategories())[0]).toBe(ids.player);
    await wb.press('Escape');
    expect(harness.errors).toEqual([]);
  });

  it('a multi-selection takes a category, a flag, a typed category at once; each one undo step', async () => {
    const page = harness.page;
    const ids = await categoryIds();
    const before = await storedCategories();
    await wb.boxRows.nth(2).click();
    await wb.boxRows.nth(3).click({ modifiers: ['Shift'] });
    await wb.boxRows.nth(5).click({ modifiers: ['Shift'] });
    const multi = page.getByTestId('inspector-multi');
    await multi.waitFor();
    expect(await page.getByTestId('selection-count').textContent()).toBe('3 selected');
    expect(await multi.getByTestId('category-input').getAttribute('placeholder')).toBe('(several)');

    await multi.locator('[data-testid="quick-category"][data-name="referee"]').click();
    await wb.waitSaved();
    expect((await storedCategories()).filter((c, i) => [2, 3, 5].includes(i))).toEqual([ids.referee, ids.referee, ids.referee]);
    await multi.getByTestId('occluded-input').check();
    await multi.getByTestId('category-input').fill('spectator');
    await multi.getByTestId('category-input').press('Enter');
    await wb.waitSaved();
    const spectator = (await categoryIds()).spectator!;
    expect((await storedCategories()).filter((_, i) => [2, 3, 5].includes(i))).toEqual([spectator, spectator, spectator]);
    const occluded = async () => ((await page.evaluate(`(async () => {
      const messi = (await window.egm['images:list']({})).find((i) => i.fileName === 'messi5.jpg');
      return (await window.egm['annotations:list']({ imageId: messi.id })).map((a) => a.occluded);
    })()`)) as boolean[]);
    expect(await occluded()).toEqual([false, false, true, true, false, true]);

    await wb.press('Control+z'); // the typed category: one step for the three
    await wb.waitSaved();
    expect((await storedCategories()).filter((_, i) => [2, 3, 5].includes(i))).toEqual([ids.referee, ids.referee, ids.referee]);
    await wb.press('Control+z'); // occluded: one step
    await wb.waitSaved();
    expect(await occluded()).toEqual([false, false, false, false, false, false]);
    await wb.press('Control+z'); // the clicked category: one step
    await wb.waitSaved();
    expect(await storedCategories()).toEqual(before);
    await wb.press('Escape');
    expect(harness.errors).toEqual([]);
  });

  it('a key during review gives the proposal its category; Enter accepts it with that category', async () => {
    const g = new GroundingPage(harness.page);
    const ids = await categoryIds();
    await g.useServer(server.baseUrl, 'sk-classes');
    await g.waitModelReady();
    await g.closeModelPanel();
    await g.ground('the ball');
    await harness.page.getByTestId('btn-accept').waitFor(); // the answer is in: a proposal under review
    await wb.press('2');
    await expect.poll(() => harness.page.getByTestId('proposal-category').textContent()).toMatch(/ball/);
    const count = await wb.boxRows.count();
    await wb.press('Enter');
    await expect.poll(() => wb.boxRows.count()).toBe(count + 1);
    await wb.waitSaved();
    expect((await storedCategories()).at(-1)).toBe(ids.ball);
    expect(harness.errors).toEqual([]);
  });
});
