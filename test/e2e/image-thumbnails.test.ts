// Issue 11: thumbnails in the image list. Every row leads with a lazily
// loaded picture from the thumbnail URL (longest side at most 160 px, never
// the whole image), in a box of fixed size so rows do not jump as pictures
// arrive; the compact mode drops them, and the choice survives a reload.
// Screenshot of the list with thumbnails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';
import { ImageListPage } from './pages/image-list.page';
import type { PageElement } from './pages/dom';
import { shoot } from './pages/screens';

/** What an <img> in the page reports (the node-side types have no DOM). */
interface PageImage extends PageElement {
  readonly complete: boolean;
  readonly naturalWidth: number;
  readonly naturalHeight: number;
  readonly loading: string;
  readonly currentSrc: string;
}

let harness: Harness;
let list: ImageListPage;

const page = () => harness.page;
const thumbs = () => page().getByTestId('image-thumb');
const rowHeights = () => list.rows.evaluateAll((els) => els.map((el) => (el as unknown as PageElement).getBoundingClientRect().height));

beforeAll(async () => {
  harness = await startHarness({ viewport: { width: 1280, height: 720 } });
  list = new ImageListPage(harness.page);
  await list.wb.openSample();
});
afterAll(async () => {
  await harness?.close();
});

describe('issue 11: thumbnails in the image list', () => {
  it('each row shows a lazy thumbnail (longest side <= 160 px) in a fixed box', async () => {
    await expect.poll(() => thumbs().count()).toBe(9);
    const before = await rowHeights();
    await expect
      .poll(() => thumbs().evaluateAll((els) => els.every((el) => (el as unknown as PageImage).complete && (el as unknown as PageImage).naturalWidth > 0)))
      .toBe(true);
    const loaded = await thumbs().evaluateAll((els) =>
      els.map((node) => {
        const el = node as unknown as PageImage;
        const r = el.getBoundingClientRect();
        return { loading: el.getAttribute('loading'), src: el.currentSrc, w: el.naturalWidth, h: el.naturalHeight, boxW: r.width, boxH: r.height };
      }),
    );
    for (const t of loaded) {
      expect(t.loading).toBe('lazy');
      expect(t.src).toContain('thumb=1');
      expect(Math.max(t.w, t.h)).toBeLessThanOrEqual(160);
      expect([t.boxW, t.boxH]).toEqual([40, 30]);
    }
    // The sample's images are larger than 160 px: each thumbnail is scaled down to it.
    expect(loaded.every((t) => Math.max(t.w, t.h) === 160)).toBe(true);
    expect(await rowHeights()).toEqual(before); // no row moved as the pictures arrived
    await shoot(page(), 'image-list-thumbnails');
    expect(harness.errors).toEqual([]);
  });

  it('compact mode drops the thumbnails for shorter rows, and is kept across a reload', async () => {
    const tall = (await rowHeights())[0]!;
    await page().getByTestId('btn-compact-list').click();
    await expect.poll(() => thumbs().count()).toBe(0);
    expect((await rowHeights())[0]).toBeLessThan(tall);
    await list.reload();
    await expect.poll(() => list.rows.count()).toBe(9);
    await expect(thumbs().count()).resolves.toBe(0);
    await expect(page().getByTestId('btn-compact-list').getAttribute('aria-pressed')).resolves.toBe('true');
    await page().getByTestId('btn-compact-list').click();
    await expect.poll(() => thumbs().count()).toBe(9);
    expect(harness.errors).toEqual([]);
  });
});
