// Screenshots of one state at the sizes issue 11 names (1280×720, 1920×1080),
// and the layout checks its tests share: boxes that must not overlap, controls
// that must keep a usable width. The viewport is put back afterwards.
import { mkdir } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import type { PageElement, PageWindow } from './dom';

export const SHOT_DIR = 'test-results/issue11';
export const SHOT_SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;

/** Two animation frames: layout and paint after a resize have run. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((done) => {
    const w = globalThis as unknown as PageWindow;
    w.requestAnimationFrame(() => w.requestAnimationFrame(() => done()));
  }));
}

export async function resize(page: Page, size: { width: number; height: number }): Promise<void> {
  await page.setViewportSize(size);
  await settle(page);
}

/**
 * Writes <dir>/<name>-<w>x<h>.png at each size (dir: SHOT_DIR unless given); returns the paths.
 * `ready` runs after each resize, before the picture: what a resize brings into view (rows and their
 * thumbnails) may arrive a moment later.
 */
export async function shoot(page: Page, name: string, dir: string = SHOT_DIR, ready?: () => Promise<void>): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const before = page.viewportSize();
  const paths: string[] = [];
  for (const size of SHOT_SIZES) {
    await resize(page, size);
    await ready?.();
    const path = `${dir}/${name}-${size.width}x${size.height}.png`;
    await page.screenshot({ path });
    paths.push(path);
  }
  if (before) await resize(page, before);
  return paths;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export async function rectOf(locator: Locator): Promise<Rect> {
  const r = await locator.boundingBox();
  if (!r) throw new Error(`screens: ${locator} is not visible`);
  return r;
}

/** Overlap area of two rectangles in px² (0 when they only touch). */
export function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0.5 && h > 0.5 ? w * h : 0;
}

/**
 * Whether an element shows all of its text (not cut or ellipsised). Measured in
 * fractional px: the text's own width (a Range over it, which an ellipsis does
 * not shorten) against the element's content box. scrollWidth/clientWidth are
 * whole pixels, and a name 0.4 px too wide for its box is drawn "kitchen-0999…".
 */
export async function showsAllText(locator: Locator): Promise<boolean> {
  return locator.evaluate((node) => {
    const el = node as unknown as PageElement;
    const page = globalThis as unknown as {
      document: { createRange(): { selectNodeContents(n: PageElement): void; getBoundingClientRect(): { width: number } } };
      getComputedStyle(n: PageElement): Record<'paddingLeft' | 'paddingRight' | 'borderLeftWidth' | 'borderRightWidth', string>;
    };
    const range = page.document.createRange();
    range.selectNodeContents(el);
    const style = page.getComputedStyle(el);
    const edges = (['paddingLeft', 'paddingRight', 'borderLeftWidth', 'borderRightWidth'] as const).reduce((sum, k) => sum + (parseFloat(style[k]) || 0), 0);
    return range.getBoundingClientRect().width <= el.getBoundingClientRect().width - edges + 0.05;
  });
}
