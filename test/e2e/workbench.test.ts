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
    await wb.press('Escape');
    await wb.helpOverlay.waitFor({ state: 'detached' });

    await mkdir('test-results/screenshots', { recursive: true });
    await harness.page.screenshot({ path: 'test-results/screenshots/workbench.png' });
    expect(harness.errors).toEqual([]);
  });
});
