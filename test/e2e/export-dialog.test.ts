// The export dialog (issue 9, item 4): choose a format, the images folder the
// file names are relative to, and RefCOCO's options; the files land where the
// (canned) dialogs answered and read back as their formats. Screenshot of the
// dialog with the RefCOCO options showing.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';
import { WorkbenchPage } from './pages/workbench.page';

const MESSI: [number, number] = [548, 342];
let harness: Harness;
let wb: WorkbenchPage;
let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'egm-e2e-export-'));
  harness = await startHarness();
  wb = new WorkbenchPage(harness.page);
});
afterAll(async () => {
  await harness?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('export dialog', () => {
  it('exports ODVG and RefCOCO with the images folder and options chosen', async () => {
    const page = harness.page;
    await wb.openSample();
    await wb.selectImage('messi5.jpg');
    await wb.drawVisibleBox(MESSI, [200, 60], [330, 300]);
    await wb.typePhrase('the player in the red shirt');
    await page.getByTestId('add-phrase-input').fill('the footballer');
    await page.getByTestId('add-phrase-input').press('Enter');
    await wb.waitSaved();

    // ODVG, file names relative to the project's images root (shown in the dialog).
    harness.dialogs.saveExport = join(outDir, 'train.jsonl');
    await page.getByTestId('btn-export').click();
    const root = await page.getByTestId('export-images-dir').textContent();
    expect(root).toMatch(/sample/);
    await page.getByTestId('export-format-odvg').check();
    await page.getByTestId('export-run').click();
    await page.getByTestId('export-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => existsSync(join(outDir, 'train.jsonl'))).toBe(true);
    const odvg = (await readFile(join(outDir, 'train.jsonl'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(odvg.map((l) => [l.filename, l.grounding.caption])).toEqual([['messi5.jpg', 'the player in the red shirt'], ['messi5.jpg', 'the footballer']]);

    // RefCOCO into a root folder, names relative to a chosen parent folder, own dataset name and splits.
    const referRoot = join(outDir, 'refer');
    await mkdir(referRoot);
    harness.dialogs.saveExport = referRoot;
    harness.dialogs.pickImagesRoot = dirname(root!);
    await page.getByTestId('btn-export').click();
    await page.getByTestId('export-format-refcoco').check();
    await page.getByTestId('export-choose-images').click();
    await expect.poll(() => page.getByTestId('export-images-dir').textContent()).toBe(dirname(root!));
    await page.getByTestId('export-dataset').fill('mine');
    await page.getByTestId('export-splits').fill('val=1');
    await mkdir('test-results/screenshots', { recursive: true });
    await page.getByTestId('export-dialog').locator('.dialog').screenshot({ path: 'test-results/screenshots/export-dialog.png' });
    await page.getByTestId('export-run').click();
    await page.getByTestId('export-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => existsSync(join(referRoot, 'mine', 'refs(egm).p'))).toBe(true);
    const instances = JSON.parse(await readFile(join(referRoot, 'mine', 'instances.json'), 'utf8'));
    const messi = instances.images.find((i: { file_name: string }) => i.file_name.endsWith('messi5.jpg'));
    expect(messi.file_name).toMatch(/^[^/]+\/messi5\.jpg$/); // relative to the parent: one folder deep
    await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/Exported 1 refs \(2 phrases; val 1\)/);
    expect(harness.errors).toEqual([]);
  });

  it('imports a COCO file relative to a chosen images folder, and a second import adds nothing', async () => {
    const page = harness.page;
    const out = join(outDir, 'again.json');
    harness.dialogs.saveCoco = out;
    await wb.exportCoco();
    await expect.poll(() => existsSync(out)).toBe(true);
    const before = await wb.boxRows.count();
    // The dialog keeps the folder chosen in the first test (the images root's parent): the export's names
    // are relative to it, and the import is told the same folder.
    harness.dialogs.openCoco = out;
    const root = (await page.evaluate(`window.egm['project:info']({})`) as { imagesRoot: string }).imagesRoot;
    harness.dialogs.pickImagesRoot = dirname(root);
    expect(JSON.parse(await readFile(out, 'utf8')).images[0].file_name).toMatch(/^[^/]+\//);
    await page.getByTestId('btn-import').click();
    await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/Imported 0 annotations, 0 images; 1 already in the project, not added again/);
    expect(await wb.boxRows.count()).toBe(before);
    expect(harness.errors).toEqual([]);
  });
});
