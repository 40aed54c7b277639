// Issue 11's canvas tools in headless Chromium (built renderer + real
// handlers): box fill opacity read back from the boxes canvas' pixels and kept
// across a reload (localStorage); labels cycled by L; a hidden box gone from
// the canvas, a locked one drawn but not selectable, with their row toggles;
// brightness and contrast as the image canvas' CSS filter; an amodal box past
// the image's left edge drawn there. Screenshots of each state at 1280x720 and
// 1920x1080 in test-results/issue11/.
import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageToStage, type Viewport } from '@core/geometry';
import type { Box, ImageRecord } from '@core/types';
import { startHarness, type Harness } from './harness';
import { WorkbenchPage } from './pages/workbench.page';

const SHOTS = 'test-results/issue11';
const SMALL = { width: 1280, height: 720 };
const LARGE = { width: 1920, height: 1080 };
const SIZES = [SMALL, LARGE];
let harness: Harness;
let wb: WorkbenchPage;
let image: ImageRecord;

// Boxes on the first sample image, in list order. The lime's amodal box reaches past the left edge.
const BOXES: { phrase: string; category: string; visible: Box; amodal: Box | null; color: string }[] = [
  { phrase: 'the lime cut by the left edge', category: 'fruit', visible: [0, 120, 90, 220], amodal: [-70, 110, 90, 230], color: '#3fd46b' },
  { phrase: 'the big orange', category: 'fruit', visible: [150, 60, 300, 200], amodal: null, color: '#ff9f1a' },
  { phrase: 'the bowl', category: 'dish', visible: [60, 260, 400, 400], amodal: null, color: '#4aa3ff' },
  { phrase: 'a shadow', category: 'dish', visible: [320, 40, 420, 140], amodal: null, color: '#ff4fd8' },
];

beforeAll(async () => {
  harness = await startHarness({ viewport: SMALL });
  await harness.handlers['project:sample']({});
  const store = harness.session.current!;
  image = store.listImages()[0]!;
  for (const b of BOXES) {
    const categoryId = store.ensureCategory(b.category).id;
    store.createAnnotation({ imageId: image.id, categoryId, phrase: b.phrase, morePhrases: [], visible: b.visible, amodal: b.amodal, occluded: b.amodal !== null, source: 'manual', model: null, score: null, reviewed: true, color: b.color });
  }
  wb = new WorkbenchPage(harness.page);
  await harness.page.evaluate('0');
  await harness.page.reload();
  await wb.waitReady();
  await wb.selectImage(image.fileName);
  await wb.boxRows.nth(BOXES.length - 1).waitFor();
  await mkdir(SHOTS, { recursive: true });
}, 120_000);
afterAll(async () => harness?.close());

/** Konva layers in order: image, boxes, draft, selection, proposals. */
const LAYER = (i: number) => `document.querySelectorAll('[data-testid="canvas"] canvas')[${i}]`;
const pixel = (layer: number, p: [number, number]) =>
  harness.page.evaluate(`(() => { const c = ${LAYER(layer)}; const r = c.width / c.clientWidth; return Array.from(c.getContext('2d').getImageData(Math.round(${p[0]} * r), Math.round(${p[1]} * r), 1, 1).data); })()`) as Promise<number[]>;
/** The most opaque pixel of a layer along a vertical run at column x, rows y0..y1 (a dashed line has gaps). */
const maxAlongColumn = (layer: number, x: number, y0: number, y1: number) =>
  harness.page.evaluate(`(() => { const c = ${LAYER(layer)}; const r = c.width / c.clientWidth; const d = c.getContext('2d').getImageData(Math.round(${x} * r), Math.round(${y0} * r), 1, Math.max(1, Math.round((${y1} - ${y0}) * r))).data; let m = 0; for (let i = 3; i < d.length; i += 4) m = Math.max(m, d[i]); return m; })()`) as Promise<number>;
/** Two animation frames: whatever a state change asked the canvas to draw is drawn. */
const frames = () => harness.page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');

/** The lime's amodal box reaches past the left edge: Fit shows it too (issue 18). */
const BEYOND = BOXES.map((b) => b.amodal);
async function view(): Promise<Viewport> {
  return (await wb.fittedViewport(image.width, image.height, BEYOND)).vp;
}
/** Stage (canvas-relative) pixel of an image point in the fitted view. */
async function at(x: number, y: number): Promise<[number, number]> {
  const p = imageToStage([x, y], await view());
  return [Math.round(p[0]), Math.round(p[1])];
}
async function clickImage(x: number, y: number): Promise<void> {
  const { vp, left, top } = await wb.fittedViewport(image.width, image.height, BEYOND);
  const p = imageToStage([x, y], vp);
  await harness.page.mouse.click(left + p[0], top + p[1]);
}

/** Polls a page value (the app's CSP forbids waitForFunction's eval) until ok. */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  let v = await read();
  for (const start = Date.now(); !ok(v); v = await read()) {
    if (Date.now() - start > 10_000) throw new Error(`canvas-tools: timed out waiting for ${what} (last ${JSON.stringify(v)})`);
    await frames();
  }
  return v;
}

/** The state on screen at both sizes; back at 1280x720 after. */
async function shoot(name: string): Promise<void> {
  for (const size of SIZES) {
    await harness.page.setViewportSize(size);
    await until(async () => (await wb.canvas.boundingBox())?.width ?? 0, (w) => w > size.width / 2, `the canvas to follow ${size.width}x${size.height}`);
    await frames();
    await harness.page.screenshot({ path: `${SHOTS}/${name}-${size.width}x${size.height}.png` });
  }
  await harness.page.setViewportSize(SMALL);
  await until(async () => (await wb.canvas.boundingBox())?.width ?? 0, (w) => w < LARGE.width / 2 + 400, 'the canvas back at 1280x720');
  await frames();
}

const fill = (v: number) => harness.page.getByTestId('view-fill').fill(String(v));
const row = (i: number) => wb.boxRows.nth(i);

describe('canvas tools', () => {
  it('labels: L cycles phrases, categories and numbers', { timeout: 60_000 }, async () => {
    await shoot('labels-phrases');
    await wb.press('l');
    await expect.poll(() => wb.notice.textContent()).toBe('Labels: categories');
    await shoot('labels-categories');
    await wb.press('l');
    await expect.poll(() => wb.notice.textContent()).toBe('Labels: numbers only');
    await wb.press('l');
    await expect.poll(() => wb.notice.textContent()).toBe('Labels: phrases');
  });

  it('box fill opacity: inside a box the boxes canvas is clear at 0 % and tinted at 60 %, and the setting survives a reload', { timeout: 60_000 }, async () => {
    const inside = await at(220, 170); // inside the big orange, clear of labels
    await harness.page.getByTestId('view-controls-toggle').click();
    await fill(0);
    await frames();
    expect((await pixel(1, inside))[3]).toBe(0);
    await shoot('opacity-low');
    await fill(60);
    const tinted = await until(() => pixel(1, inside), (px) => (px[3] ?? 0) > 0, 'the tinted fill');
    expect(tinted[3]).toBeGreaterThan(120); // 60 % alpha is 153
    await shoot('opacity-high');
    await harness.page.reload();
    await wb.waitReady();
    await wb.selectImage(image.fileName);
    await harness.page.getByTestId('view-controls-toggle').click();
    expect(await harness.page.getByTestId('view-fill').inputValue()).toBe('60');
    await fill(15);
    await harness.page.getByTestId('view-controls-toggle').click();
  });

  it("a hidden box leaves the canvas; a locked one stays drawn but a click does not select it; the rows' toggles say which", { timeout: 60_000 }, async () => {
    const bowlEdge = await at(60, 330); // the bowl's left edge
    expect((await pixel(1, bowlEdge))[3]).toBeGreaterThan(0);
    await row(2).getByTestId('box-hide').click();
    await expect.poll(() => row(2).getAttribute('data-hidden')).toBe('true');
    await until(() => pixel(1, bowlEdge), (px) => px[3] === 0, 'the hidden bowl gone from the canvas');
    await clickImage(200, 330);
    expect(await harness.page.locator('[data-testid="box-row"][data-selected="true"]').count()).toBe(0);

    await row(3).getByTestId('box-lock').click();
    await expect.poll(() => row(3).getAttribute('data-locked')).toBe('true');
    const shadowEdge = await at(320, 90);
    expect((await pixel(1, shadowEdge))[3]).toBeGreaterThan(0); // still drawn
    await clickImage(370, 90);
    expect(await harness.page.locator('[data-testid="box-row"][data-selected="true"]').count()).toBe(0);
    // Selected from its row, the inspector shows it read-only.
    await row(3).click();
    await expect.poll(() => harness.page.getByTestId('inspector').getAttribute('data-locked')).toBe('true');
    expect(await wb.phraseInput.isDisabled()).toBe(true);
    await shoot('hidden-and-locked');
    await wb.press('Escape');
    await row(2).getByTestId('box-hide').click();
    await row(3).getByTestId('box-lock').click();
    await until(() => pixel(1, bowlEdge), (px) => (px[3] ?? 0) > 0, 'the bowl drawn again');
  });

  it('hiding a category from the strip hides its boxes; clicking its name lists only its rows', { timeout: 60_000 }, async () => {
    const dish = harness.page.locator('[data-testid="category-chip"][data-category="dish"]');
    await dish.getByTestId('category-hide').click();
    await expect.poll(() => harness.page.locator('[data-testid="box-row"][data-hidden="true"]').count()).toBe(2);
    await dish.locator('.cat-name').click();
    await expect.poll(() => wb.boxRows.count()).toBe(2);
    await dish.locator('.cat-name').click();
    await dish.getByTestId('category-hide').click();
    await expect.poll(() => harness.page.locator('[data-testid="box-row"][data-hidden="true"]').count()).toBe(0);
    expect(await wb.boxRows.count()).toBe(4);
  });

  it('brightness and contrast: keys and sliders set the image canvas filter; Reset takes it off', { timeout: 60_000 }, async () => {
    const filter = () => harness.page.evaluate(`${LAYER(0)}.style.filter`) as Promise<string>;
    expect(await filter()).toBe('none');
    await wb.press('b');
    await wb.press('b');
    await wb.press('c');
    await expect.poll(filter).toBe('brightness(120%) contrast(110%)');
    await harness.page.getByTestId('view-controls-toggle').click();
    await harness.page.getByTestId('view-brightness').fill('160');
    await harness.page.getByTestId('view-contrast').fill('140');
    await expect.poll(filter).toBe('brightness(160%) contrast(140%)');
    await shoot('brightness-contrast');
    await harness.page.getByTestId('view-adjust-reset').click();
    await expect.poll(filter).toBe('none');
    await harness.page.getByTestId('view-controls-toggle').click();
  });

  it("an amodal box past the image's left edge is drawn there, outside the image", { timeout: 60_000 }, async () => {
    const vp = await view();
    const top = await at(-70, 140);
    const bottom = await at(-70, 200);
    expect(top[0]).toBeLessThan(Math.round(vp.x)); // left of the image on screen
    expect(await maxAlongColumn(1, top[0], top[1], bottom[1])).toBeGreaterThan(0);
    await row(0).click();
    await expect.poll(() => wb.amodalCoords.textContent()).toContain('-70');
    await shoot('amodal-past-edge');
  });
});
