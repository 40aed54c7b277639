// Issue 18, item 7 "Layout and view": side panels that fit their content and
// resize by a drag handle (kept for the user across a reload); the review
// queue and the image list sharing the column by a splitter; the Model
// panel's Close always in view at 1280×720; zoom steps and presets that land
// on 100/200/400 % and nearest-neighbour pixels above 200 %; letters typed in
// a text field never act as shortcuts, and a word typed with no field focused
// never becomes a phrase. Screenshots in test-results/screenshots.
import { join } from 'node:path';
import sharp from 'sharp';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProjectStore } from '../../electron/store/project-store';
import type { Harness } from './harness';
import { openBigProject, type BigHarness } from './pages/big-project';
import type { PageElement } from './pages/dom';
import type { ImageListPage } from './pages/image-list.page';
import { resize, shoot, showsAllText } from './pages/screens';

const SHOTS = 'test-results/screenshots';
const NOISE = { width: 96, height: 64 };

let big: BigHarness;
let harness: Harness;
let list: ImageListPage;

const page = () => harness.page;
const phraseField = () => page().getByTestId('phrase-bar-input');
const widthOf = async (l: Locator) => (await l.boundingBox())!.width;
const heightOf = async (l: Locator) => (await l.boundingBox())!.height;

/** Drags a splitter by (dx, dy) px with the mouse, in a few moves like a hand. */
async function drag(splitter: Locator, dx: number, dy: number): Promise<void> {
  const b = (await splitter.boundingBox())!;
  const [x, y] = [b.x + b.width / 2, b.y + b.height / 2];
  await page().mouse.move(x, y);
  await page().mouse.down();
  await page().mouse.move(x + dx / 2, y + dy / 2, { steps: 3 });
  await page().mouse.move(x + dx, y + dy, { steps: 3 });
  await page().mouse.up();
}

/** How many list rows the list's box shows (its height in rows). */
async function rowsInView(): Promise<number> {
  return (await heightOf(list.scroller)) / (await list.rowHeight());
}

/** The share of horizontally adjacent pixels that are exactly equal, in a square of the canvas around its centre. */
async function equalNeighbours(): Promise<number> {
  const b = (await page().getByTestId('canvas').boundingBox())!;
  const size = 80;
  const png = await page().screenshot({ clip: { x: Math.round(b.x + b.width / 2 - size / 2), y: Math.round(b.y + b.height / 2 - size / 2), width: size, height: size } });
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let equal = 0;
  let pairs = 0;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x + 1 < info.width; x++) {
      const i = (y * info.width + x) * 3;
      pairs += 1;
      if (data[i] === data[i + 3] && data[i + 1] === data[i + 4] && data[i + 2] === data[i + 5]) equal += 1;
    }
  }
  return equal / pairs;
}

beforeAll(async () => {
  big = await openBigProject({ images: 300, boxes: 600, proposals: 400 }, { width: 1920, height: 1080 }, async (p) => {
    // A picture of random pixels, last in the list: smoothing shows as blends, nearest neighbour as blocks.
    const hash = (i: number) => {
      let h = Math.imul(i ^ (i >>> 16), 0x45d9f3b);
      h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
      return (h ^ (h >>> 16)) & 255;
    };
    const noise = Buffer.from(Array.from({ length: NOISE.width * NOISE.height * 3 }, (_, i) => hash(i + 1)));
    const noisePath = join(p.imagesDir, 'zz-noise.png');
    await sharp(noise, { raw: { ...NOISE, channels: 3 } }).png().toFile(noisePath);
    const store = openProjectStore(p.path);
    store.addImages([{ absolutePath: noisePath, ...NOISE, orientation: 1 }]);
    store.close();
  });
  ({ harness, list } = big);
});
afterAll(async () => {
  await big?.close();
});

describe('issue 18: panels', () => {
  it('file names are whole at 1920×1080, and a dozen characters show at 1000×700', async () => {
    const names = page().locator('[data-testid="image-row"] .img-name');
    await expect.poll(() => names.count()).toBeGreaterThan(5);
    for (let i = 0; i < 5; i++) expect(await showsAllText(names.nth(i)), `${await names.nth(i).textContent()} is cut at 1920×1080`).toBe(true);
    await resize(page(), { width: 1000, height: 700 });
    // "kitchen-00002.jpg": at least "kitchen-0000" (12 of its characters) readable.
    const shown = await names.first().evaluate((el) => (el as unknown as PageElement).clientWidth / (el as unknown as PageElement).scrollWidth);
    expect(shown).toBeGreaterThan(12 / 17);
    expect(await widthOf(page().getByTestId('canvas'))).toBeGreaterThan(400); // and the canvas keeps its room
    await resize(page(), { width: 1280, height: 720 });
  });

  it('the image list and the side panel resize by their handles, within bounds, and keep their width after a reload', async () => {
    const images = page().getByTestId('image-list');
    const side = page().getByTestId('side-panel');
    const [w0, s0] = [await widthOf(images), await widthOf(side)];
    await drag(page().getByTestId('splitter-images'), 90, 0);
    await expect.poll(() => widthOf(images)).toBeCloseTo(w0 + 90, 0);
    await drag(page().getByTestId('splitter-side'), -60, 0);
    await expect.poll(() => widthOf(side)).toBeCloseTo(s0 + 60, 0);
    await list.reload();
    expect(await widthOf(images)).toBeCloseTo(w0 + 90, 0);
    expect(await widthOf(side)).toBeCloseTo(s0 + 60, 0);
    // Never narrower than a usable minimum; a double click gives the default back.
    await drag(page().getByTestId('splitter-images'), -1000, 0);
    await expect.poll(() => widthOf(images)).toBe(150);
    await page().getByTestId('splitter-images').dblclick();
    await expect.poll(() => widthOf(images)).toBeCloseTo(w0, 0);
    // The keyboard moves a focused handle too.
    await page().getByTestId('splitter-images').focus();
    await page().keyboard.press('ArrowRight');
    await expect.poll(() => widthOf(images)).toBeCloseTo(w0 + 16, 0);
    await drag(page().getByTestId('splitter-images'), 74, 0);
    expect(harness.errors).toEqual([]);
  });

  it('a long review queue leaves the image list most of the column, and the splitter between them moves', async () => {
    await expect(page().getByTestId('queue-count').textContent()).resolves.toBe('400');
    expect(await rowsInView()).toBeGreaterThanOrEqual(9); // it was 6 with a long queue
    const queue = page().getByTestId('review-queue');
    const q0 = await heightOf(queue);
    await drag(page().getByTestId('splitter-queue'), 0, -200);
    await expect.poll(() => heightOf(queue)).toBeCloseTo(q0 + 200, 0);
    const fewer = await rowsInView();
    await drag(page().getByTestId('splitter-queue'), 0, 180);
    await expect.poll(() => heightOf(queue)).toBeCloseTo(q0 + 20, 0);
    expect(await rowsInView()).toBeGreaterThan(fewer + 4);
    await list.reload();
    expect(await heightOf(queue)).toBeCloseTo(q0 + 20, 0);
    await shoot(page(), 'layout-resized-panels', SHOTS, () => list.thumbnailsShown());
    expect(harness.errors).toEqual([]);
  });

  it('dragged down as far as it goes, the queue still shows two rows and its last line', async () => {
    const queue = page().getByTestId('review-queue');
    const splitter = (await page().getByTestId('splitter-queue').boundingBox())!;
    await drag(page().getByTestId('splitter-queue'), 0, 1080 - 2 - (splitter.y + splitter.height / 2)); // to the window's bottom edge
    const rows = page().getByTestId('review-queue-rows');
    const rowHeight = await heightOf(page().getByTestId('queue-row').first());
    for (const size of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
      await resize(page(), size);
      // It was its head, filters and keys with no row between them, and the auto-advance line cut off.
      expect((await heightOf(rows)) / rowHeight, `${size.width}: rows in view`).toBeGreaterThanOrEqual(2);
      const q = (await queue.boundingBox())!;
      const last = (await page().getByTestId('auto-advance').locator('..').boundingBox())!;
      expect(last.y + last.height, `${size.width}: the queue's last line is cut`).toBeLessThanOrEqual(q.y + q.height + 0.5);
    }
    await resize(page(), { width: 1280, height: 720 }); // as the tests before left it
    await page().getByTestId('splitter-queue').dblclick(); // the default height again
    expect(harness.errors).toEqual([]);
  });

  it('the Model panel keeps Close in view at 1280×720, whichever kind of model is shown', async () => {
    await list.wb.press('Control+Shift+M');
    const close = page().getByTestId('btn-close-model');
    await close.waitFor();
    for (const kind of ['local', 'catalog', 'server']) {
      await page().getByTestId(`backend-${kind}`).check();
      const b = (await close.boundingBox())!;
      expect(b.y + b.height, `${kind}: Close is below the window`).toBeLessThanOrEqual(720);
      // Nothing covers it: the element at its centre is the button.
      const hit = await page().evaluate(([x, y]) => (globalThis as unknown as { document: { elementFromPoint(x: number, y: number): { getAttribute(n: string): string | null } | null } }).document.elementFromPoint(x!, y!)?.getAttribute('data-testid'), [b.x + b.width / 2, b.y + b.height / 2]);
      expect(hit, `${kind}: Close is covered`).toBe('btn-close-model');
    }
    await page().screenshot({ path: `${SHOTS}/model-panel-1280x720.png` });
    await close.click();
    await page().getByTestId('model-panel').waitFor({ state: 'detached' });
  });
});

describe('issue 18: zoom', () => {
  const zoom = () => page().getByTestId('status-zoom').textContent();

  it('+ steps land on 100, 200 and 400 %; Ctrl+2, Ctrl+4 and the zoom menu go to them', async () => {
    await list.wb.press('End'); // the noise picture
    await expect.poll(() => list.currentFile()).toBe('zz-noise.png');
    await list.wb.waitReady();
    await list.wb.press('Control+2');
    await expect.poll(zoom).toBe('200%');
    await list.wb.press('Control+4');
    await expect.poll(zoom).toBe('400%');
    for (let i = 0; i < 12; i++) await list.wb.press('-');
    const seen = new Set<string>();
    for (let i = 0; i < 24; i++) {
      await list.wb.press('+');
      seen.add((await zoom()) ?? '');
    }
    expect([...seen]).toEqual(expect.arrayContaining(['100%', '200%', '400%']));
    await page().getByTestId('status-zoom').click();
    await page().getByTestId('zoom-preset-100').click();
    await expect.poll(zoom).toBe('100%');
    await expect(page().getByTestId('zoom-presets').count()).resolves.toBe(0);
  });

  it('draws image pixels as sharp blocks above 200 % and smoothed below', async () => {
    await list.wb.press('Control+4');
    await expect.poll(zoom).toBe('400%');
    const blocky = await equalNeighbours();
    await page().getByTestId('status-zoom').click();
    await page().getByTestId('zoom-preset-200').click();
    for (let i = 0; i < 2; i++) await list.wb.press('-'); // 150 %: between blocks and blends
    const smooth = await equalNeighbours();
    // 4 screen pixels per image pixel: 3 of each 4 neighbours equal; smoothed random pixels almost never are.
    expect(blocky).toBeGreaterThan(0.6);
    expect(smooth).toBeLessThan(0.3);
    await list.wb.press('Control+4');
    await shoot(page(), 'zoom-400-nearest', SHOTS);
  });
});

describe('issue 18: keys while typing', () => {
  const tool = () => page().locator('[data-testid^="tool-"][aria-pressed="true"]').getAttribute('data-testid');
  const pointTool = () => page().getByTestId('btn-point-tool').getAttribute('aria-pressed');

  it('letters typed in a text field stay text: no tool, image or view changes', async () => {
    await list.wb.press('f');
    const before = { tool: await tool(), point: await pointTool(), zoom: await page().getByTestId('status-zoom').textContent(), file: await list.currentFile() };
    const phrase = phraseField();
    await phrase.click();
    await phrase.fill('');
    await page().keyboard.type('tvraf bnpmu');
    expect(await phrase.inputValue()).toBe('tvraf bnpmu');
    expect({ tool: await tool(), point: await pointTool(), zoom: await page().getByTestId('status-zoom').textContent(), file: await list.currentFile() }).toEqual(before);
    await phrase.fill('');
    // The search field: the list follows the text (nothing matches), nothing else moves.
    await list.search.click();
    await page().keyboard.type('tvrafbnpmu');
    expect(await list.search.inputValue()).toBe('tvrafbnpmu');
    expect({ tool: await tool(), point: await pointTool() }).toEqual({ tool: before.tool, point: before.point });
    await list.search.fill('');
    await list.wb.press('End');
    await expect.poll(() => list.currentFile()).toBe('zz-noise.png');
    await list.wb.waitReady();
  });

  it('a word typed with no field focused never lands in the phrase field, and Enter grounds nothing', async () => {
    await phraseField().fill('');
    await list.wb.press('Escape');
    const asked: string[] = [];
    const ground = harness.handlers.ground;
    harness.handlers.ground = (request) => {
      asked.push(request.phrase);
      return ground(request);
    };
    try {
      await list.wb.press('Escape');
      await page().keyboard.type('the giraffe');
      await page().keyboard.press('Enter');
      await page().keyboard.press('x');
      expect(await phraseField().inputValue()).toBe('');
      expect(asked).toEqual([]);
      await expect(page().getByTestId('negative-row').count()).resolves.toBe(0);
    } finally {
      harness.handlers.ground = ground;
    }
    expect(harness.errors).toEqual([]);
  });
});
