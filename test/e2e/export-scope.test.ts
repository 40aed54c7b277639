// Issue 18, "Export dialog", in Chromium: the dialog exports only the images
// marked done (M) when asked, and RefCOCO with its splits and seed writes what
// `egm export` writes for the same choices (run here on the same project file),
// byte for byte. A splits list the CLI would refuse is named in the dialog
// before anything is written.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { egm } from '../integration/cli-project-helpers';
import { startHarness, type Harness } from './harness';
import { WorkbenchPage } from './pages/workbench.page';
import { shoot } from './pages/screens';

/** The sample images marked done in the test (by M); the others stay todo. */
const DONE = ['fruits.jpg', 'home.jpg', 'messi5.jpg', 'rocket.jpg', 'stuff.jpg'];

let harness: Harness;
let wb: WorkbenchPage;
let outDir: string;
let projectPath: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'egm-e2e-export-scope-'));
  harness = await startHarness();
  wb = new WorkbenchPage(harness.page);
  await wb.openSample();
  // One box with a phrase on every sample image, so each image is a ref of its own.
  projectPath = (await harness.page.evaluate(`(async () => {
    for (const image of await window.egm['images:list']({})) {
      await window.egm['annotations:create']({ imageId: image.id, categoryId: null, occluded: false, source: 'manual', model: null, score: null, reviewed: true,
        phrase: 'the thing in ' + image.fileName, visible: [1, 1, 21, 21], amodal: null });
    }
    return (await window.egm['project:info']({})).path;
  })()`)) as string;
  await harness.page.reload();
  await wb.waitReady();
  for (const name of DONE) {
    await wb.selectImage(name);
    await wb.press('m');
    await harness.page.locator(`[data-testid="image-row"][data-file="${name}"][data-status="done"]`).waitFor();
  }
  await wb.waitSaved();
});
afterAll(async () => {
  await harness?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('export dialog: which images, RefCOCO as the CLI (issue 18)', () => {
  it('exports only the images marked done, with only their boxes', async () => {
    const page = harness.page;
    const out = join(outDir, 'done.json');
    harness.dialogs.saveCoco = out;
    await page.getByTestId('btn-export').click();
    await page.getByTestId('export-scope-done').check();
    await shoot(page, 'export-dialog-only-done', 'test-results/screenshots');
    await page.getByTestId('export-run').click();
    await page.getByTestId('export-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => existsSync(out)).toBe(true);
    const coco = JSON.parse(await readFile(out, 'utf8')) as { images: { id: number; file_name: string }[]; annotations: { image_id: number; phrase: string }[] };
    expect(coco.images.map((i) => i.file_name.split('/').pop()).sort()).toEqual(DONE);
    const ids = new Set(coco.images.map((i) => i.id));
    expect(coco.annotations.length).toBe(DONE.length);
    expect(coco.annotations.every((a) => ids.has(a.image_id))).toBe(true);
    await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/on 5 images \(only images marked done\)/);

    // The choice stays for the next export this session; "All images" takes every one again.
    const all = join(outDir, 'all.json');
    harness.dialogs.saveCoco = all;
    await page.getByTestId('btn-export').click();
    expect(await page.getByTestId('export-scope-done').isChecked()).toBe(true);
    await page.getByTestId('export-scope-all').check();
    await page.getByTestId('export-run').click();
    await expect.poll(() => existsSync(all)).toBe(true);
    const total = (await harness.page.evaluate(`window.egm['project:info']({})`) as { imageCount: number }).imageCount;
    expect(JSON.parse(await readFile(all, 'utf8')).images.length).toBe(total);
    expect(harness.errors).toEqual([]);
  });

  it("RefCOCO with splits and a seed writes the CLI's split, byte for byte; a bad splits list is named first", async () => {
    const page = harness.page;
    const dialogRoot = join(outDir, 'dialog-refer'); // not there yet: the export makes it, as the CLI does
    harness.dialogs.saveExport = dialogRoot;
    await page.getByTestId('btn-export').click();
    await page.getByTestId('export-format-refcoco').check();
    await page.getByTestId('export-scope-done').check();
    await page.getByTestId('export-splits').fill('train=0.6,val=0.4,val=1');
    await expect.poll(() => page.getByTestId('export-problem').textContent()).toMatch(/Splits: 'val' is named twice/);
    expect(await page.getByTestId('export-run').isDisabled()).toBe(true);
    await shoot(page, 'export-dialog-refcoco-problem', 'test-results/screenshots');
    await page.getByTestId('export-splits').fill('train=0.6,val=0.4');
    await page.getByTestId('export-seed').fill('7');
    await page.getByTestId('export-problem').waitFor({ state: 'detached' });
    await page.getByTestId('export-run').click();
    await page.getByTestId('export-dialog').waitFor({ state: 'detached' });
    const dialogRefs = join(dialogRoot, 'egm', 'refs(egm).p');
    await expect.poll(() => existsSync(dialogRefs)).toBe(true);
    await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/Exported 5 refs \(5 phrases; (train 3, val 2|val 2, train 3)\) \(only images marked done\)/);

    // The same choices through `egm export` on the same project file.
    const cliRoot = join(outDir, 'cli-refer');
    const run = await egm(outDir, 'export', projectPath, '--refcoco', cliRoot, '--only-done', '--splits', 'train=0.6,val=0.4', '--seed', '7');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await readFile(dialogRefs)).toEqual(await readFile(join(cliRoot, 'egm', 'refs(egm).p')));
    expect(await readFile(join(dialogRoot, 'egm', 'instances.json'), 'utf8')).toBe(await readFile(join(cliRoot, 'egm', 'instances.json'), 'utf8'));
    // The seed is taken: seed 0 splits these five images otherwise.
    const seed0 = await egm(outDir, 'export', projectPath, '--refcoco', join(outDir, 'seed0'), '--only-done', '--splits', 'train=0.6,val=0.4');
    expect(await readFile(join(outDir, 'seed0', 'egm', 'refs(egm).p'))).not.toEqual(await readFile(dialogRefs));
    expect(seed0.code).toBe(0);
    expect(harness.errors).toEqual([]);
  });
});
