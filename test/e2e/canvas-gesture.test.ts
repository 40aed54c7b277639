// The canvas with 2,000 boxes in headless Chromium (the e2e harness: built
// renderer + real handlers; run `node scripts/build.mjs renderer` first).
// Mid-pan the boxes canvas is moved by a CSS transform, not redrawn; once the
// gesture settles it is redrawn at the exact viewport, so a box's stroke lies
// on the pixel column the geometry says, and the pointer maps to image pixels
// through the settled view. Screenshots: test-results/screenshots/canvas-2000*.png.
import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBoxes } from '../../bench/canvas-frames';
import { panBy, wheelZoomFactor, zoomAt, type Viewport } from '@core/geometry';
import type { ImageRecord } from '@core/types';
import { categoryColor } from '@core/category-colors';
import { startHarness, type Harness } from './harness';
import { WorkbenchPage } from './pages/workbench.page';

const SHOTS = 'test-results/screenshots';
const RED: [number, number, number, number] = [100, 100, 300, 260];
let harness: Harness;
let wb: WorkbenchPage;
let image: ImageRecord;
/** The marker box's colour as RGB. */
let MARK: number[];

beforeAll(async () => {
  harness = await startHarness();
  await harness.handlers['project:sample']({});
  const store = harness.session.current!;
  image = store.listImages()[0]!;
  seedBoxes(store, image, 1999);
  // One box in a colour of its own (the only box of its category; the others have none: grey), drawn last (on top): the one whose pixels are checked.
  const marker = store.ensureCategory('marker');
  MARK = [1, 3, 5].map((i) => parseInt(categoryColor(marker.id).slice(i, i + 2), 16));
  store.createAnnotation({ imageId: image.id, categoryId: marker.id, phrase: 'red', visible: RED, amodal: null, occluded: false, source: 'manual', model: null, score: null, reviewed: true });
  wb = new WorkbenchPage(harness.page);
  await harness.page.evaluate('0'); // queued project events first (as in bench/canvas.bench.ts)
  await harness.page.reload();
  await wb.waitReady();
  await wb.selectImage(image.fileName);
  await harness.page.locator('[data-testid="box-list"] .panel-head :text-is("2000")').waitFor();
  await mkdir(SHOTS, { recursive: true });
}, 120_000);
afterAll(async () => harness?.close());

/** The boxes layer canvas (Konva layers in order: image, boxes, draft, selection, proposals). */
const BOXES = 'document.querySelectorAll(\'[data-testid="canvas"] canvas\')[1]';
const pixel = (x: number, y: number) => harness.page.evaluate(`Array.from(${BOXES}.getContext('2d').getImageData(${x}, ${y}, 1, 1).data)`) as Promise<number[]>;
/** Runs `body` in the page with `host` (the canvas element, rect `r`) and `ptr(type, x, y, buttons)` for middle-button pointer events at canvas coordinates. */
function inPage(body: string): Promise<string> {
  return harness.page.evaluate(`(() => {
    const host = document.querySelector('[data-testid="canvas"]');
    const r = host.getBoundingClientRect();
    const ptr = (type, x, y, buttons) => host.dispatchEvent(new PointerEvent(type, { bubbles: true, pointerId: 1, isPrimary: true, pointerType: 'mouse', button: 1, buttons, clientX: r.left + x, clientY: r.top + y }));
    ${body}
  })()`) as Promise<string>;
}

/**
 * Resolves at the boxes canvas's settle redraw (its transform back to 'none'):
 * a MutationObserver on its style in the page, not a poll (the app's CSP forbids
 * waitForFunction's eval); after 10 s the page answers the transform it has.
 */
async function settled(): Promise<void> {
  const result = (await harness.page.evaluate(`new Promise((done) => {
    const canvas = ${BOXES};
    const finish = (answer) => (observer.disconnect(), clearTimeout(timer), done(answer));
    const check = () => canvas.style.transform === 'none' && finish('settled');
    const observer = new MutationObserver(check);
    const timer = setTimeout(() => finish(canvas.style.transform), 10000);
    observer.observe(canvas, { attributes: true, attributeFilter: ['style'] });
    check();
  })`)) as string;
  if (result !== 'settled') throw new Error(`canvas test: the boxes canvas never got its settle redraw (transform ${result})`);
}

/** The marker box's left edge at vp: its colour on its pixel column, not two columns left. */
async function expectRedEdge(vp: Viewport): Promise<void> {
  const x = Math.round(RED[0] * vp.scale + vp.x);
  const y = Math.round(((RED[1] + RED[3]) / 2) * vp.scale + vp.y);
  expect(await pixel(x, y)).toEqual([...MARK, 255]);
  expect((await pixel(x - 2, y)).slice(0, 3)).not.toEqual(MARK);
}

describe('canvas pan and zoom with 2,000 boxes', () => {
  it('moves the drawn boxes mid-pan and redraws them exactly when it settles', { timeout: 60_000 }, async () => {
    const page = harness.page;
    // Fit shows the amodal boxes that reach past the image edge too (issue 18).
    const beyond = harness.session.current!.listAnnotations(image.id).map((a) => a.amodal);
    const { vp: fitted, left, top } = await wb.fittedViewport(image.width, image.height, beyond);
    await expectRedEdge(fitted);
    await page.screenshot({ path: `${SHOTS}/canvas-2000.png` });

    // Events dispatched in the page, the transform read in the same task: the
    // check cannot race the 100 ms settle on a loaded machine.
    const t1 = await inPage(`ptr('pointerdown', 300, 250, 4); ptr('pointermove', 320, 260, 4); return ${BOXES}.style.transform;`);
    expect(t1).toBe('matrix(1, 0, 0, 1, 20, 10)'); // moved, not redrawn
    // Mid-pan picture: the pointer keeps "moving" on the spot so the gesture stays on while it is taken.
    await inPage(`window.__hold = setInterval(() => ptr('pointermove', 320, 260, 4), 30);`);
    await page.screenshot({ path: `${SHOTS}/canvas-2000-pan.png` });
    await inPage(`clearInterval(window.__hold);`);
    const t2 = await inPage(`ptr('pointermove', 337, 273, 4); const t = ${BOXES}.style.transform; ptr('pointerup', 337, 273, 0); return t;`);
    // From the fitted drawing, or from the redraw at +20,+10 if a stall on a loaded machine outlasted the settle delay.
    expect(['matrix(1, 0, 0, 1, 37, 23)', 'matrix(1, 0, 0, 1, 17, 13)']).toContain(t2);
    await settled();
    const panned = panBy(fitted, 37, 23);
    await expectRedEdge(panned);

    // The pointer maps through the settled view: the status bar names the image pixel under it.
    await page.mouse.move(left + 150 * panned.scale + panned.x, top + 140 * panned.scale + panned.y);
    await expect(page.getByTestId('status-cursor').textContent()).resolves.toBe('150, 140 px');

    // A wheel zoom is a gesture too: scaled mid-way, exact once settled.
    const at: [number, number] = [300, 250];
    await page.mouse.move(left + at[0], top + at[1]);
    const t3 = await inPage(`host.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, deltaY: -200, clientX: r.left + 300, clientY: r.top + 250 })); return ${BOXES}.style.transform;`);
    expect(t3).toMatch(/^matrix\(1\.3\d*, 0, 0, 1\.3\d*, /); // wheelZoomFactor(-200) = e^0.3 ≈ 1.35: scaled mid-way
    await settled();
    await expectRedEdge(zoomAt(panned, wheelZoomFactor(-200), at));
    await page.screenshot({ path: `${SHOTS}/canvas-2000-zoomed.png` });
    expect(harness.errors).toEqual([]);
  });
});
