// Issue 18, item 5: the image list and the review queue at 20,000 images /
// 100,000 boxes (a project written through the store, test/helpers/big-project.ts).
// Both lists are windowed: only the rows in view (and a few around) are in
// the page, whatever the scroll position, search or filter, and the rows in
// the page are the right ones. Keyboard walks keep the current image in view.
// Behaviour only: the timings are bench/image-list.bench.ts's.
// Screenshots of the list at 20k images (1280×720 and 1920×1080) in test-results/screenshots.
import { mkdir } from 'node:fs/promises';
import type { Request, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigImageName } from '../helpers/big-project';
import type { Harness } from './harness';
import { openBigProject, type BigHarness } from './pages/big-project';
import type { ImageListPage } from './pages/image-list.page';
import { overlap, rectOf, resize, shoot, showsAllText, SHOT_SIZES } from './pages/screens';

const SHOTS = 'test-results/screenshots';

const IMAGES = 20_000;
/** Far fewer than the images: what a window shows, with its overscan. */
const MAX_ROWS = 200;
const QUEUE = 3_000;

let big: BigHarness;
let harness: Harness;
let list: ImageListPage;

const page = () => harness.page;

/** The file names of images first..first+n-1 (0-based project order). */
const names = (first: number, n: number) => Array.from({ length: n }, (_, k) => bigImageName(first + k));

/** The rows in the page but the current image's (which stays in the page wherever the list is scrolled, to keep its focus). */
async function windowFiles(): Promise<string[]> {
  const current = await list.currentFile();
  return (await list.files()).filter((f) => f !== current);
}

beforeAll(async () => {
  big = await openBigProject({ images: IMAGES, boxes: 100_000, proposals: QUEUE }, { width: 1280, height: 720 });
  ({ harness, list } = big);
});
afterAll(async () => {
  await big?.close();
});

describe('issue 18: the image list at 20,000 images', () => {
  it('puts only the rows in view in the page, in project order from the top', async () => {
    await expect(list.count.textContent()).resolves.toBe(`${IMAGES} of ${IMAGES} images`);
    const files = await list.files();
    expect(files.length).toBeGreaterThan(5);
    expect(files.length).toBeLessThan(MAX_ROWS);
    expect(files).toEqual(names(0, files.length));
    await expect(list.currentFile()).resolves.toBe(bigImageName(0));
    // Every row in the page is in view or just around it: the list scrolls over the whole project.
    expect(await list.scrollHeight()).toBeGreaterThan(IMAGES * (await list.rowHeight()) - 1);
    expect(harness.errors).toEqual([]);
  });

  it('scrolled to the middle and the end, shows those rows and no others', async () => {
    for (const at of [10_000, IMAGES - 1]) {
      await list.scrollToRow(at);
      await expect.poll(() => list.files()).toContain(bigImageName(at));
      const files = await windowFiles();
      expect(files.length).toBeLessThan(MAX_ROWS);
      const first = Number(/(\d+)\.jpg$/.exec(files[0]!)![1]);
      expect(files).toEqual(names(first, files.length)); // contiguous, in order
      expect(await list.visibleFiles()).toContain(bigImageName(at));
    }
  });

  it('at 1280×720 and 1920×1080 every row in view is whole (its thumbnail, its whole name, its box count), as are the count and the queue phrases', async () => {
    await mkdir(SHOTS, { recursive: true });
    await list.scrollToRow(10_000);
    const queue = page().getByTestId('review-queue');
    for (const size of SHOT_SIZES) {
      await resize(page(), size);
      const shown = await list.visibleFiles();
      expect(shown.length, `${size.width}: rows in view`).toBeGreaterThan(8);
      await list.thumbnailsShown();
      const box = await rectOf(list.scroller);
      for (const file of shown) {
        const row = page().locator(`[data-testid="image-row"][data-file="${file}"]`);
        const r = await rectOf(row);
        if (r.y < box.y || r.y + r.height > box.y + box.height) continue; // a row cut by the list's edge
        expect(await showsAllText(row.locator('.img-name')), `${file} is cut at ${size.width}×${size.height}`).toBe(true);
        await expect(row.getByTestId('image-count').textContent()).resolves.toBe('5');
      }
      expect(await showsAllText(list.count), `${size.width}: "${await list.count.textContent()}" is cut`).toBe(true);
      expect(overlap(box, await rectOf(queue)), `${size.width}: the list runs under the queue`).toBe(0);
      // The queue's phrases read whole too (its image names give way first).
      const phrases = page().locator('[data-testid="queue-row"] .phrase');
      for (let i = 0; i < (await phrases.count()); i++) expect(await showsAllText(phrases.nth(i)), `queue phrase ${i} is cut at ${size.width}`).toBe(true);
      // The stage's phrase field beside the list shows its whole hint (at 1920 px it had 375 px and 250 px empty beside it).
      const hint = await page().getByTestId('phrase-bar-input').evaluate((node) => {
        const el = node as unknown as { placeholder: string; clientWidth: number };
        const page = globalThis as unknown as {
          document: { createElement(tag: 'canvas'): { getContext(kind: '2d'): { font: string; measureText(t: string): { width: number } } } };
          getComputedStyle(n: unknown): { font: string; paddingLeft: string; paddingRight: string };
        };
        const style = page.getComputedStyle(el);
        const ctx = page.document.createElement('canvas').getContext('2d');
        ctx.font = style.font;
        return { text: ctx.measureText(el.placeholder).width, room: el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) };
      });
      expect(hint.text, `${size.width}: the phrase hint is cut (${Math.round(hint.room)} px for ${Math.round(hint.text)})`).toBeLessThanOrEqual(hint.room);
      await page().screenshot({ path: `${SHOTS}/image-list-20k-${size.width}x${size.height}.png` });
    }
    await resize(page(), { width: 1280, height: 720 });
    expect(harness.errors).toEqual([]);
  });

  it('thumbnails come for the rows in view only', async () => {
    await list.scrollToRow(5_000);
    await expect.poll(() => list.loadedThumbFiles()).toContain(bigImageName(5_000));
    const thumbs = await page().getByTestId('image-thumb').count();
    expect(thumbs).toBeLessThan(MAX_ROWS);
    expect(thumbs).toBeGreaterThan(5);
  });

  it('a thumbnail scrolled away before it arrives is cancelled, not fetched for nobody', async () => {
    const held: Route[] = [];
    const aborted = new Set<string>();
    const isThumb = (url: URL) => url.searchParams.has('thumb');
    const onFailed = (r: Request) => void aborted.add(r.url());
    await page().route(isThumb, (route) => void held.push(route)); // the server "takes its time"
    page().on('requestfailed', onFailed);
    try {
      await list.scrollToRow(15_000);
      await expect.poll(() => held.length).toBeGreaterThan(5); // the rows in view asked for theirs
      const asked = held.map((r) => r.request().url());
      await list.scrollToRow(2_000);
      await expect.poll(() => asked.filter((u) => !aborted.has(u))).toEqual([]);
    } finally {
      page().off('requestfailed', onFailed);
      await page().unroute(isThumb);
      await Promise.all(held.map((r) => r.continue().catch(() => undefined))); // the cancelled ones refuse
    }
  });

  it('End, Home, N and P keep the current image in view', async () => {
    await list.wb.press('End');
    await expect.poll(() => list.currentFile()).toBe(bigImageName(IMAGES - 1));
    expect(await list.visibleFiles()).toContain(bigImageName(IMAGES - 1));
    await list.wb.press('Home');
    await expect.poll(() => list.currentFile()).toBe(bigImageName(0));
    expect(await list.visibleFiles()).toContain(bigImageName(0));
    await list.scrollToRow(12_000); // the current row scrolled far out of view
    await expect.poll(() => list.visibleFiles()).not.toContain(bigImageName(0));
    await list.wb.press('n');
    await expect.poll(() => list.currentFile()).toBe(bigImageName(1));
    expect(await list.visibleFiles()).toContain(bigImageName(1));
    await list.wb.waitReady();
  });

  it('arrow keys on a focused row walk the images and keep focus on the current row', async () => {
    await list.wb.imageRow(bigImageName(1)).focus();
    for (let k = 0; k < 30; k++) await page().keyboard.press('ArrowDown');
    await expect.poll(() => list.currentFile()).toBe(bigImageName(31));
    await expect.poll(() => list.focusedFile()).toBe(bigImageName(31));
    expect(await list.visibleFiles()).toContain(bigImageName(31));
    await page().keyboard.press('PageDown');
    await expect.poll(() => list.currentFile()).not.toBe(bigImageName(31));
    expect(await list.visibleFiles()).toContain(await list.currentFile());
    await page().keyboard.press('Home');
    await expect.poll(() => list.currentFile()).toBe(bigImageName(0));
    await expect.poll(() => list.focusedFile()).toBe(bigImageName(0));
    await list.wb.waitReady();
  });

  it('search lists the matching names (still only the rows in view), and clearing it brings back the whole list', async () => {
    // "kitchen-1": kitchen images (every 5th, from 2) numbered 10000-19999.
    await list.search.fill('KITCHEN-1');
    await expect.poll(() => list.count.textContent()).toBe(`2000 of ${IMAGES} images`);
    const files = await list.files();
    expect(files.length).toBeLessThan(MAX_ROWS);
    expect(files.slice(0, 3)).toEqual(['kitchen-10002.jpg', 'kitchen-10007.jpg', 'kitchen-10012.jpg']);
    expect(files.every((f) => f.startsWith('kitchen-1'))).toBe(true);
    await expect.poll(() => list.currentFile()).toBe('kitchen-10002.jpg'); // the image on screen follows the list
    await list.scrollToRow(1999);
    await expect.poll(() => list.files()).toContain('kitchen-19997.jpg');
    await list.search.fill('');
    await expect.poll(() => list.count.textContent()).toBe(`${IMAGES} of ${IMAGES} images`);
    expect((await list.files()).length).toBeLessThan(MAX_ROWS);
    // The image on screen stays, and its row is shown.
    await expect.poll(() => list.visibleFiles()).toContain('kitchen-10002.jpg');
    await list.wb.waitReady();
    expect(harness.errors).toEqual([]);
  });

  it('the category filter lists the images with that category (still windowed)', async () => {
    await page().getByTestId('filter-category').selectOption({ label: 'lime' }); // the kitchen images
    await expect.poll(() => list.count.textContent()).toBe(`4000 of ${IMAGES} images`);
    const files = await list.files();
    expect(files.length).toBeLessThan(MAX_ROWS);
    expect(files.every((f) => f.startsWith('kitchen-'))).toBe(true);
    await shoot(page(), 'image-list-20k-filtered', SHOTS, () => list.thumbnailsShown());
    await page().getByTestId('btn-clear-filters').click();
    await expect.poll(() => list.count.textContent()).toBe(`${IMAGES} of ${IMAGES} images`);
    await list.wb.waitReady();
    expect(harness.errors).toEqual([]);
  });
});

describe('issue 18: the review queue with thousands of proposals', () => {
  const queueRows = () => page().getByTestId('queue-row');
  const queuePhrases = () => queueRows().evaluateAll((els) => els.map((el) => el.querySelector('.phrase')?.textContent ?? ''));

  it('puts only the rows in view in the page; scrolled to the end it shows the last proposal', async () => {
    await expect(page().getByTestId('queue-count').textContent()).resolves.toBe(String(QUEUE));
    const n = await queueRows().count();
    expect(n).toBeGreaterThan(2);
    expect(n).toBeLessThan(MAX_ROWS);
    await page().getByTestId('review-queue-rows').evaluate((el) => {
      (el as unknown as { scrollTop: number; scrollHeight: number }).scrollTop = (el as unknown as { scrollHeight: number }).scrollHeight;
    });
    // Newest first: the oldest proposal is the last row.
    await expect.poll(() => queuePhrases()).toContain('the thing 0');
    expect(await queueRows().count()).toBeLessThan(MAX_ROWS);
  });

  it('J walks the queue and keeps the active proposal\'s row in view', async () => {
    await list.wb.press('j');
    await page().locator('[data-testid="queue-row"][data-active="true"]').waitFor();
    const active = () => page().locator('[data-testid="queue-row"][data-active="true"] .phrase').textContent();
    const first = await active();
    expect(first).toMatch(/^the thing \d+$/);
    await list.wb.press('j');
    await expect.poll(active).not.toBe(first);
    expect(await page().locator('[data-testid="queue-row"][data-active="true"]').isVisible()).toBe(true);
    await shoot(page(), 'review-queue-3000', SHOTS, () => list.thumbnailsShown());
    expect(harness.errors).toEqual([]);
  });
});
