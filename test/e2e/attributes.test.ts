// Issue 18, "Attributes", in Chromium: the inspector shows truncated as the
// frame says it (the amodal box past the image edge) until it is set, and
// "auto" gives it back to the frame; difficult; free attributes of the
// project (a name added on one box is offered on every box), edited for a
// multi-selection at once as one undo step; all of it reaches the COCO file.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Annotation } from '@core/types';
import { startHarness, type Harness } from './harness';
import { WorkbenchPage } from './pages/workbench.page';
import { shoot } from './pages/screens';

let harness: Harness;
let wb: WorkbenchPage;
let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'egm-e2e-attributes-'));
  harness = await startHarness();
  wb = new WorkbenchPage(harness.page);
  await wb.openSample();
  // messi5.jpg is 548×342: the first box's amodal box passes its left edge, the second's does not.
  await harness.page.evaluate(`(async () => {
    const messi = (await window.egm['images:list']({})).find((i) => i.fileName === 'messi5.jpg');
    const base = { imageId: messi.id, categoryId: null, occluded: true, source: 'manual', model: null, score: null, reviewed: true };
    await window.egm['annotations:create']({ ...base, phrase: 'the man cut by the frame', visible: [0, 40, 60, 300], amodal: [-40, 40, 60, 300] });
    await window.egm['annotations:create']({ ...base, phrase: 'the player', visible: [200, 40, 330, 320], amodal: [200, 40, 330, 330] });
  })()`);
  await harness.page.reload();
  await wb.waitReady();
  await wb.selectImage('messi5.jpg');
});
afterAll(async () => {
  await harness?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

async function stored(): Promise<Annotation[]> {
  await wb.waitSaved();
  return (await harness.page.evaluate(`(async () => {
    const messi = (await window.egm['images:list']({})).find((i) => i.fileName === 'messi5.jpg');
    return window.egm['annotations:list']({ imageId: messi.id });
  })()`)) as Annotation[];
}

describe('attributes (issue 18)', () => {
  it('truncated follows the frame until set; difficult; both stored', async () => {
    const page = harness.page;
    await wb.boxRows.nth(0).click();
    const truncated = page.getByTestId('truncated-input');
    await expect.poll(() => truncated.isChecked()).toBe(true);
    await page.getByTestId('truncated-auto').waitFor();
    await truncated.uncheck();
    await page.getByTestId('truncated-reset').waitFor();
    expect((await stored())[0]!.truncated).toBe(false);
    await page.getByTestId('truncated-reset').click();
    await expect.poll(() => truncated.isChecked()).toBe(true);
    expect((await stored())[0]!.truncated).toBeNull();
    await page.getByTestId('difficult-input').check();
    expect((await stored())[0]!.difficult).toBe(true);

    await wb.boxRows.nth(1).click();
    await expect.poll(() => page.getByTestId('truncated-input').isChecked()).toBe(false); // inside the frame
    expect(harness.errors).toEqual([]);
  });

  it("free attributes: a name added on one box is the project's; a multi-selection takes a value at once, one undo step", async () => {
    const page = harness.page;
    await wb.boxRows.nth(0).click();
    await page.getByTestId('attribute-add').fill('pose');
    await page.getByTestId('attribute-add').press('Enter');
    const pose = page.locator('[data-testid="attribute-row"][data-name="pose"] input');
    await pose.fill('standing');
    await pose.press('Enter');
    expect((await stored())[0]!.attributes).toEqual({ pose: 'standing' });
    await page.locator('[data-testid="attribute-row"][data-name="pose"]').waitFor();
    await wb.boxRows.nth(1).click(); // the other box offers the name, not set
    await expect.poll(() => pose.inputValue()).toBe('');
    await page.getByTestId('attribute-add').fill('age');
    await page.getByTestId('attribute-add').press('Enter');
    const age = page.locator('[data-testid="attribute-row"][data-name="age"] input');
    await age.fill('30');
    await age.press('Enter');
    expect((await stored())[1]!.attributes).toEqual({ age: 30 });

    await wb.press('Control+a');
    await page.getByTestId('inspector-multi').waitFor();
    await expect.poll(() => pose.getAttribute('placeholder')).toBe('(several)');
    await pose.fill('sitting');
    await pose.press('Enter');
    expect((await stored()).map((a) => a.attributes)).toEqual([{ pose: 'sitting' }, { age: 30, pose: 'sitting' }]);
    await page.getByTestId('difficult-input').click(); // mixed → all difficult, one step
    expect((await stored()).map((a) => a.difficult)).toEqual([true, true]);
    await shoot(page, 'attributes-multi', 'test-results/screenshots');
    await wb.press('Control+z');
    expect((await stored()).map((a) => a.difficult)).toEqual([true, false]);
    await wb.press('Control+z');
    expect((await stored()).map((a) => a.attributes)).toEqual([{ pose: 'standing' }, { age: 30 }]);
    await wb.press('Escape');
    expect(harness.errors).toEqual([]);
  });

  it('reach the COCO export after the existing fields', async () => {
    const out = join(outDir, 'coco.json');
    harness.dialogs.saveCoco = out;
    await wb.exportCoco();
    await expect.poll(() => existsSync(out)).toBe(true);
    const doc = JSON.parse(await readFile(out, 'utf8'));
    expect(doc.annotations.map((a: { attributes: object }) => a.attributes)).toEqual([
      { occluded: true, source: 'manual', reviewed: true, truncated: true, difficult: true, pose: 'standing' },
      { occluded: true, source: 'manual', reviewed: true, truncated: false, difficult: false, age: 30 },
    ]);
    expect(harness.errors).toEqual([]);
  });
});
