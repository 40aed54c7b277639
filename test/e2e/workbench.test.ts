// The workbench end to end: built renderer in Chromium, window.egm bridged to
// the real handlers (real SQLite project over the sample images). Draw a
// visible and an amodal box on messi5.jpg, name it, undo/redo, export COCO
// through the UI, check the file, and keep a screenshot.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';
import { WorkbenchPage } from './pages/workbench.page';

const MESSI: [number, number] = [548, 342];
let harness: Harness;
let wb: WorkbenchPage;
let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'egm-e2e-workbench-'));
  harness = await startHarness({ dialogs: { saveCoco: join(outDir, 'export.json') } });
  wb = new WorkbenchPage(harness.page);
});
afterAll(async () => {
  await harness?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

/** Parses "x1, y1 → x2, y2  (w×h)" from the inspector. */
function coords(text: string | null): number[] {
  const m = (text ?? '').match(/(-?\d+), (-?\d+) → (-?\d+), (-?\d+)/);
  if (!m) throw new Error(`no box in "${text}"`);
  return m.slice(1, 5).map(Number);
}

describe('workbench', () => {
  it('draws visible and amodal boxes on messi5.jpg, edits, undoes, exports COCO', async () => {
    await wb.openSample();
    await wb.selectImage('messi5.jpg');
    await expect(wb.boxRows.count()).resolves.toBe(0);

    // Visible box, drawn in image pixels through the fitted view.
    await wb.useTool('visible');
    await wb.dragImage(MESSI, [200, 60], [330, 300]);
    await wb.boxRows.first().waitFor();
    const visible = coords(await wb.visibleCoords.textContent());
    visible.forEach((v, i) => expect(Math.abs(v - [200, 60, 330, 300][i]!)).toBeLessThanOrEqual(1));

    // Amodal box drawn smaller than the visible one on the left: it grows to contain it.
    await wb.useTool('amodal');
    await wb.dragImage(MESSI, [150, 80], [300, 330]);
    await expect.poll(async () => wb.amodalCoords.textContent()).not.toBe('—');
    const amodal = coords(await wb.amodalCoords.textContent());
    expect(amodal[0]).toBeLessThanOrEqual(151);
    expect(amodal[1]).toBeLessThanOrEqual(61); // grew up to the visible box's top
    expect(amodal[3]).toBeGreaterThanOrEqual(329);
    await expect(harness.page.getByTestId('occluded-input').isChecked()).resolves.toBe(true);

    await wb.typePhrase('the player in the red shirt');
    await expect.poll(() => wb.boxRows.first().textContent()).toContain('the player in the red shirt');
    await wb.waitSaved();

    // Undo the phrase, then redo it; a selection change in between keeps redo.
    await wb.press('Control+z');
    await expect.poll(() => wb.boxRows.first().textContent()).toContain('(no phrase)');
    await wb.press('Escape');
    await wb.boxRows.first().click();
    await wb.press('Control+Shift+z');
    await expect.poll(() => wb.boxRows.first().textContent()).toContain('the player in the red shirt');
    await wb.waitSaved();

    // What the store holds now: image pixels, not stage coordinates.
    const stored = await harness.page.evaluate(`(async () => {
      const imgs = await window.egm['images:list']({});
      const messi = imgs.find((i) => i.fileName === 'messi5.jpg');
      return window.egm['annotations:list']({ imageId: messi.id });
    })()`) as { visible: number[]; amodal: number[]; phrase: string }[];
    expect(stored).toHaveLength(1);
    expect(stored[0]!.phrase).toBe('the player in the red shirt');
    stored[0]!.visible.forEach((v, i) => expect(Math.abs(v - visible[i]!)).toBeLessThanOrEqual(1));

    await wb.exportCoco();
    const coco = JSON.parse(await readFile(join(outDir, 'export.json'), 'utf8'));
    const image = coco.images.find((i: { file_name: string }) => i.file_name.endsWith('messi5.jpg'));
    expect(image).toMatchObject({ width: 548, height: 342 });
    const anns = coco.annotations.filter((a: { image_id: number }) => a.image_id === image.id);
    expect(anns).toHaveLength(1);
    expect(anns[0].phrase).toBe('the player in the red shirt');
    const [x1, y1, x2, y2] = stored[0]!.visible;
    expect(anns[0].bbox.map((v: number) => Math.round(v))).toEqual([x1!, y1!, x2! - x1!, y2! - y1!].map((v) => Math.round(v)));
    expect(anns[0].amodal_bbox).toHaveLength(4);
    expect(anns[0].attributes).toMatchObject({ occluded: true, source: 'manual' });

    await wb.press('?');
    await wb.helpOverlay.waitFor();
    await expect(wb.helpOverlay.getByText('Undo', { exact: true }).count()).resolves.toBe(1);
    await mkdir('test-results/screenshots', { recursive: true });
    await harness.page.screenshot({ path: 'test-results/screenshots/workbench-help.png' });
    await wb.press('Escape');
    await wb.helpOverlay.waitFor({ state: 'detached' });

    await wb.boxRows.first().click(); // selected: handles and the inspector in the picture
    await wb.phraseInput.waitFor();
    await mkdir('test-results/screenshots', { recursive: true });
    await harness.page.screenshot({ path: 'test-results/screenshots/workbench.png' });
    expect(harness.errors).toEqual([]);
  });

  it('moves and resizes as one undo step each, restores a deleted box, survives a failed save, copies to the next image', async () => {
    // Continues on messi5.jpg with the box from the first test.
    await wb.useTool('select');
    await wb.boxRows.first().click();
    const start = coords(await wb.visibleCoords.textContent());
    const centre: [number, number] = [(start[0]! + start[2]!) / 2, (start[1]! + start[3]!) / 2];

    await wb.dragImage(MESSI, centre, [centre[0] + 20, centre[1] + 10]);
    await expect.poll(async () => coords(await wb.visibleCoords.textContent())[0]).not.toBe(start[0]);
    const moved = coords(await wb.visibleCoords.textContent());
    expect(Math.abs(moved[0]! - start[0]! - 20)).toBeLessThanOrEqual(1);
    expect(Math.abs(moved[1]! - start[1]! - 10)).toBeLessThanOrEqual(1);
    await wb.press('Control+z'); // the whole drag is one step
    await expect.poll(async () => coords(await wb.visibleCoords.textContent())).toEqual(start);

    // Resize from the bottom-right handle.
    await wb.dragImage(MESSI, [start[2]!, start[3]!], [start[2]! + 15, start[3]! + 12]);
    await expect.poll(async () => coords(await wb.visibleCoords.textContent())[2]).not.toBe(start[2]);
    const resized = coords(await wb.visibleCoords.textContent());
    expect(resized.slice(0, 2)).toEqual(start.slice(0, 2));
    expect(Math.abs(resized[2]! - start[2]! - 15)).toBeLessThanOrEqual(1);
    await wb.press('Control+z');
    await expect.poll(async () => coords(await wb.visibleCoords.textContent())).toEqual(start);
    await wb.waitSaved();

    // Delete, then undo: the same record comes back (annotations:restore).
    const listStored = () => harness.page.evaluate(`(async () => {
      const imgs = await window.egm['images:list']({});
      return Promise.all(imgs.map(async (i) => ({ file: i.fileName, anns: await window.egm['annotations:list']({ imageId: i.id }) })));
    })()`) as Promise<{ file: string; anns: { id: number; occluded: boolean }[] }[]>;
    const idBefore = (await listStored()).find((x) => x.file === 'messi5.jpg')!.anns[0]!.id;
    await wb.press('Delete');
    await expect.poll(() => wb.boxRows.count()).toBe(0);
    await wb.waitSaved();
    expect((await listStored()).find((x) => x.file === 'messi5.jpg')!.anns).toHaveLength(0);
    await wb.press('Control+z');
    await expect.poll(() => wb.boxRows.count()).toBe(1);
    await wb.waitSaved();
    expect((await listStored()).find((x) => x.file === 'messi5.jpg')!.anns.map((a) => a.id)).toEqual([idBefore]);

    // A store call failing in a way that may pass (the disk, as SQLite reports it): the edit stays on screen, the banner says why, Retry sends it.
    const realUpdate = harness.handlers['annotations:update'];
    harness.handlers['annotations:update'] = () => {
      throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
    };
    await wb.boxRows.first().click();
    const occluded = harness.page.getByTestId('occluded-input');
    const wasOccluded = await occluded.isChecked();
    await wb.press('o');
    await wb.errorBanner.getByText(/Toggle occluded was not saved: .*disk I\/O error/).waitFor();
    await harness.page.locator('[data-testid="save-indicator"][data-status="error"]').waitFor();
    expect(await occluded.isChecked()).toBe(!wasOccluded);
    harness.handlers['annotations:update'] = realUpdate;
    await harness.page.getByTestId('btn-retry').click();
    await wb.waitSaved();
    await wb.errorBanner.waitFor({ state: 'detached' });
    expect((await listStored()).find((x) => x.file === 'messi5.jpg')!.anns[0]!.occluded).toBe(!wasOccluded);

    // Copy the selected box to the next image.
    await wb.press('Shift+n');
    await harness.page.locator('[data-testid="image-row"][data-file="rocket.jpg"][aria-selected="true"]').waitFor();
    await wb.waitReady();
    await expect.poll(() => wb.boxRows.count()).toBe(1);
    await wb.waitSaved();
    expect((await listStored()).find((x) => x.file === 'rocket.jpg')!.anns).toHaveLength(1);
    expect(harness.errors).toEqual([]);
  });

  it('creates a project, adds a folder of images with progress, and reopens the sample', async () => {
    const samplePath = harness.session.current!.path;
    harness.dialogs.createProject = join(outDir, 'new.egm');
    await harness.page.getByTestId('btn-new').click();
    await expect.poll(() => harness.page.getByTestId('project-name').textContent()).toBe('new');
    await harness.page.getByText('No images yet.').waitFor();
    await wb.waitReady();

    harness.dialogs.pickImages = [join(import.meta.dirname, '..', '..', 'assets', 'samples')];
    const progressBefore = harness.events.filter((e) => e.event === 'images:progress').length;
    await harness.page.getByTestId('btn-add-images').click();
    await expect.poll(() => harness.page.getByTestId('image-row').count()).toBe(9);
    await wb.notice.getByText('Added 9 images').waitFor();
    await wb.waitReady(); // the first image is shown
    expect(harness.events.filter((e) => e.event === 'images:progress').length).toBeGreaterThan(progressBefore);
    await expect(harness.page.getByTestId('image-row').first().getAttribute('aria-selected')).resolves.toBe('true');

    harness.dialogs.openProject = samplePath;
    await harness.page.getByTestId('btn-open').click();
    await expect.poll(() => harness.page.getByTestId('project-name').textContent()).toBe('sample');
    await wb.waitReady();
    // The unreviewed filter: every box so far is manual (reviewed), so no image is listed.
    await harness.page.getByTestId('filter-unreviewed').check();
    await harness.page.getByTestId('image-list-empty').getByText('No image matches').waitFor();
    await harness.page.getByTestId('filter-unreviewed').uncheck();
    await expect.poll(() => harness.page.getByTestId('image-row').count()).toBe(9);
    await expect(wb.imageRow('messi5.jpg').getByTestId('image-count').textContent()).resolves.toBe('1');
    expect(harness.errors).toEqual([]);
  });
});
