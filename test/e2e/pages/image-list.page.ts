// Page object for the image list (issue 11): search, filters, the "n of m"
// count, row actions (remove), and seeding a project through window.egm the
// way a user's earlier sessions would have left it.
import type { Locator, Page } from 'playwright-core';
import type { Proposal } from '@core/types';
import type { EgmApi } from '@ipc/contract';
import type { PageElement, PageWindow } from './dom';
import { WorkbenchPage } from './workbench.page';

export class ImageListPage {
  readonly wb: WorkbenchPage;
  readonly search: Locator;
  readonly rows: Locator;
  readonly count: Locator;
  readonly empty: Locator;
  readonly canvasEmpty: Locator;

  constructor(readonly page: Page) {
    this.wb = new WorkbenchPage(page);
    this.search = page.getByTestId('image-search');
    this.rows = page.getByTestId('image-row');
    this.count = page.getByTestId('image-list-count');
    this.empty = page.getByTestId('image-list-empty');
    this.canvasEmpty = page.getByTestId('canvas-empty');
  }

  /** The listed file names, top to bottom. */
  async files(): Promise<string[]> {
    return this.rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-file') ?? ''));
  }

  /** The scrolling box of the list (windowed: it holds only the rows in view). */
  get scroller(): Locator {
    return this.page.getByTestId('image-list-rows');
  }

  async rowHeight(): Promise<number> {
    const r = await this.rows.first().boundingBox();
    if (!r) throw new Error('image list: no row is visible');
    return r.height;
  }

  async scrollHeight(): Promise<number> {
    return this.scroller.evaluate((el) => (el as unknown as PageElement).scrollHeight);
  }

  /** Scrolls the list so that row `index` (0-based, in list order) is in the middle of the box. */
  async scrollToRow(index: number): Promise<void> {
    const h = await this.rowHeight();
    await this.scroller.evaluate((node, top) => {
      const el = node as unknown as PageElement;
      el.scrollTop = top - el.clientHeight / 2;
    }, index * h + h / 2);
  }

  /** The files of the rows the list's box shows (wholly or in part), not those rendered around them. */
  async visibleFiles(): Promise<string[]> {
    const box = await this.scroller.boundingBox();
    if (!box) throw new Error('image list: not visible');
    const rows = await this.rows.evaluateAll((els) => els.map((el) => ({ file: el.getAttribute('data-file') ?? '', r: (el as unknown as PageElement).getBoundingClientRect() })));
    return rows.filter(({ r }) => r.y + r.height > box.y + 1 && r.y < box.y + box.height - 1).map(({ file }) => file);
  }

  /** The files whose row shows a loaded thumbnail. */
  async loadedThumbFiles(): Promise<string[]> {
    return this.rows.evaluateAll((els) =>
      els
        .filter((el) => {
          const img = el.querySelector('img') as unknown as { complete: boolean; naturalWidth: number } | null;
          return img !== null && img.complete && img.naturalWidth > 0;
        })
        .map((el) => el.getAttribute('data-file') ?? ''),
    );
  }

  /** Waits until every row the list's box shows has its thumbnail: rows a resize, scroll or filter brings ask for theirs a moment later. */
  async thumbnailsShown(timeoutMs = 10_000): Promise<void> {
    const shown = await this.visibleFiles();
    const until = Date.now() + timeoutMs;
    for (;;) {
      const loaded = new Set(await this.loadedThumbFiles());
      const waiting = shown.filter((f) => !loaded.has(f));
      if (waiting.length === 0) return;
      if (Date.now() > until) throw new Error(`image list: no thumbnail after ${timeoutMs} ms for ${waiting.join(', ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The file of the row that has keyboard focus, or null. */
  async focusedFile(): Promise<string | null> {
    return this.page.evaluate(() => (globalThis as unknown as PageWindow).document.activeElement?.getAttribute('data-file') ?? null);
  }

  async currentFile(): Promise<string | null> {
    const row = this.page.locator('[data-testid="image-row"][aria-selected="true"]');
    return (await row.count()) === 0 ? null : row.getAttribute('data-file');
  }

  /** A box through the store, as an earlier session or an import would have left it. */
  async seedBox(fileName: string, box: { category?: string; reviewed: boolean; visible: [number, number, number, number] }): Promise<void> {
    await this.page.evaluate(async ({ fileName, box }) => {
      const egm = (globalThis as unknown as { egm: EgmApi }).egm;
      const img = (await egm['images:list']({})).find((i) => i.fileName === fileName);
      if (!img) throw new Error(`seedBox: no image ${fileName}`);
      const categoryId = box.category ? (await egm['categories:ensure']({ name: box.category })).id : null;
      await egm['annotations:create']({
        imageId: img.id, categoryId, phrase: box.category ?? 'thing', visible: box.visible, amodal: null, occluded: false,
        source: box.reviewed ? 'manual' : 'model', model: null, score: null, reviewed: box.reviewed,
      });
    }, { fileName, box });
  }

  /** A proposal waiting for review, as a model would have left it (visible null: "no box"; score: its confidence, default greedy). */
  async seedProposal(fileName: string, p: { id: number; phrase: string; visible: [number, number, number, number] | null; score?: number | null }): Promise<void> {
    await this.page.evaluate(async ({ fileName, p }) => {
      const egm = (globalThis as unknown as { egm: EgmApi }).egm;
      const img = (await egm['images:list']({})).find((i) => i.fileName === fileName);
      if (!img) throw new Error(`seedProposal: no image ${fileName}`);
      const proposal: Proposal = {
        id: p.id, imageId: img.id, phrase: p.phrase, visible: p.visible, amodal: null,
        reasoningVisible: p.visible ? '' : 'I look everywhere and find none. There is no such object in this image.',
        reasoningAmodal: '', model: 'seeded', score: p.score ?? null, point: null, pointHit: null,
        reason: p.visible ? null : 'no-box', latencyMs: 12, batchId: null, createdAt: Date.now(),
      };
      await egm['proposals:restore']({ proposal: proposal as Proposal & Record<string, unknown> });
    }, { fileName, p });
  }

  /** Reloads the page: the renderer reads the (seeded) project again. */
  async reload(): Promise<void> {
    await this.page.reload();
    await this.wb.waitReady();
  }
}
