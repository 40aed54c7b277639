// Issue 16, item 4: an image whose file is missing or unreadable shows an
// empty canvas with a "missing file" marker and the file's path; its boxes
// are listed but not drawn, never over the previous picture; a file deleted
// or spoiled while the project is open is noticed when it is selected; the
// export still writes every image and names those without a file.
// The pictures are solid colours, read back as pixels from the canvas.
// Screenshots: test-results/screenshots/missing-*.png.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addImagesToStore } from '../../electron/images/collect';
import { openProjectStore } from '../../electron/store/project-store';
import { annotationInput } from '../helpers/store-temp';
import type { Harness } from './harness';
import { openProjectFromWelcome } from './pages/open-project';
import { canvasCentre, near, solidPngs, type Rgb } from './pages/pixels';
import type { WorkbenchPage } from './pages/workbench.page';

const SHOTS = 'test-results/screenshots';
const COLOURS: Record<string, Rgb> = { 'a.png': [220, 30, 30], 'b.png': [30, 200, 40], 'c.png': [30, 40, 220], 'd.png': [240, 220, 20] };
const SIZE: [number, number] = [96, 64];
const BOXES: Record<string, number> = { 'a.png': 1, 'b.png': 2, 'c.png': 1, 'd.png': 1 };

let harness: Harness;
let wb: WorkbenchPage;
let dir: string;
let files: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egm-e2e-missing-'));
  mkdirSync(SHOTS, { recursive: true });
  files = await solidPngs(dir, COLOURS, ...SIZE);
  const file = join(dir, 'project.egm');
  const store = openProjectStore(file, { create: true });
  await addImagesToStore(store, Object.values(files));
  for (const image of store.listImages()) {
    for (let i = 0; i < BOXES[image.fileName]!; i++) store.createAnnotation(annotationInput(image.id, { phrase: `box ${i + 1}`, visible: [5 + 20 * i, 5, 20 + 20 * i, 40], amodal: null }));
  }
  store.close();
  rmSync(files['c.png']!); // gone before the project opens
  ({ harness, wb } = await openProjectFromWelcome(file));
});
afterAll(async () => {
  await harness?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const marker = () => harness.page.getByTestId('canvas-missing');

/** Selects an image whose file cannot be shown: waits for the marker, not for a picture. */
async function selectBroken(name: string): Promise<void> {
  await wb.imageRow(name).click();
  await harness.page.locator(`[data-testid="image-row"][data-file="${name}"][aria-selected="true"]`).waitFor();
  await marker().waitFor();
}

/** Shows the image's picture, leaves it for a.png, spoils its file (`spoil`), and selects it again. */
async function breakWhileShown(name: string, spoil: (file: string) => void): Promise<void> {
  await wb.selectImage(name);
  await expect.poll(() => canvasCentre(harness.page).then((c) => near(c, COLOURS[name]!))).toBe(true);
  await wb.selectImage('a.png');
  spoil(files[name]!);
  await selectBroken(name);
}

/** Whether the boxes layer (Konva's second canvas) is shown. */
const boxesLayerShown = () =>
  wb.canvas.evaluate((host) => {
    const canvases = (host as unknown as { querySelectorAll(s: string): ArrayLike<unknown> }).querySelectorAll('canvas');
    const g = globalThis as unknown as { getComputedStyle(el: unknown): { visibility: string } };
    return g.getComputedStyle(canvases[1]).visibility !== 'hidden';
  });

describe('issue 16: missing image files', () => {
  it('shows an empty canvas with a marker and the path for a file missing at open; its box is listed, not drawn over the previous picture', async () => {
    await wb.selectImage('a.png');
    await expect.poll(() => canvasCentre(harness.page).then((c) => near(c, COLOURS['a.png']!))).toBe(true);
    await expect(boxesLayerShown()).resolves.toBe(true);

    await selectBroken('c.png');
    await expect(marker().getByText('Missing file').count()).resolves.toBe(1);
    await expect(harness.page.getByTestId('canvas-missing-path').textContent()).resolves.toBe(files['c.png']);
    await wb.waitReady();
    await expect(canvasCentre(harness.page)).resolves.toBeNull(); // not a's picture, nor any
    await expect(wb.boxRows.count()).resolves.toBe(1);
    await expect(boxesLayerShown()).resolves.toBe(false);
    await expect(wb.imageRow('c.png').getAttribute('class')).resolves.toContain('missing');
    await harness.page.screenshot({ path: `${SHOTS}/missing-at-open.png` });

    // Nothing is drawn on an image that is not there.
    await wb.useTool('visible');
    await wb.dragImage(SIZE, [10, 10], [60, 50]);
    await wb.notice.getByText("The image's file cannot be shown (file not found)").waitFor();
    await expect(wb.boxRows.count()).resolves.toBe(1);
    expect(harness.errors).toEqual([]);
  });

  it('notices a file deleted while the project is open when its image is selected', async () => {
    await breakWhileShown('b.png', (file) => rmSync(file));
    await expect(harness.page.getByTestId('canvas-missing-path').textContent()).resolves.toBe(files['b.png']);
    await wb.waitReady();
    // Not the picture Chromium decoded for it a moment ago, and not a's.
    await expect(canvasCentre(harness.page)).resolves.toBeNull();
    await expect(wb.boxRows.count()).resolves.toBe(2);
    expect(harness.errors).toEqual([]);
  });

  it('shows a file spoiled while the project is open as unreadable, naming why', async () => {
    await breakWhileShown('d.png', (file) => writeFileSync(file, 'not a picture any more'));
    await expect(marker().getByText('Unreadable file').count()).resolves.toBe(1);
    await expect(marker().textContent()).resolves.toContain('not a readable image');
    await wb.waitReady();
    await expect(canvasCentre(harness.page)).resolves.toBeNull();
    await expect(wb.boxRows.count()).resolves.toBe(1);
    await harness.page.screenshot({ path: `${SHOTS}/missing-unreadable.png` });
  });

  it('exports every image, and names the ones whose files are missing', async () => {
    const out = join(dir, 'export.json');
    harness.dialogs.saveCoco = out;
    await wb.exportCoco();
    await expect(wb.notice.textContent()).resolves.toContain('2 image files are missing');
    const line = wb.errorBanner.getByText(/^Exported, but 2 image files are missing: /);
    await line.waitFor();
    await expect(line.textContent()).resolves.toContain(`${files['b.png']}, ${files['c.png']}`);
    await harness.page.screenshot({ path: `${SHOTS}/missing-export.png` });
    const coco = JSON.parse(readFileSync(out, 'utf8')) as { images: { file_name: string }[] };
    expect(coco.images.map((i) => i.file_name).sort()).toEqual(['a.png', 'b.png', 'c.png', 'd.png']);
    expect(harness.errors).toEqual([]);
  });
});
