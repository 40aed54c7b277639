// Several phrases per object in the inspector (issue 9, item 3): add two other
// phrases to a box, remove one, undo the removal, and find them in the store
// and in the exported COCO file's `phrases`. Screenshot of the inspector.
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
  outDir = await mkdtemp(join(tmpdir(), 'egm-e2e-phrases-'));
  harness = await startHarness({ dialogs: { saveCoco: join(outDir, 'export.json') } });
  wb = new WorkbenchPage(harness.page);
});
afterAll(async () => {
  await harness?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('other phrases', () => {
  it('adds, removes and undoes other phrases of a box, saved and exported', async () => {
    const page = harness.page;
    await wb.openSample();
    await wb.selectImage('messi5.jpg');
    await wb.drawVisibleBox(MESSI, [200, 60], [330, 300]);
    await wb.typePhrase('the player in the red shirt');

    const add = page.getByTestId('add-phrase-input');
    const listed = page.getByTestId('other-phrase');
    await add.fill('the footballer');
    await add.press('Enter');
    await add.fill('man kicking the ball');
    await add.press('Enter');
    await add.fill('the footballer'); // a repeat adds nothing
    await add.press('Enter');
    await expect.poll(() => listed.allTextContents()).toEqual(['the footballer×', 'man kicking the ball×']);

    await listed.first().getByTestId('btn-remove-phrase').click();
    await expect.poll(() => listed.allTextContents()).toEqual(['man kicking the ball×']);
    await wb.boxRows.first().click();
    await wb.press('Control+z');
    await expect.poll(() => listed.allTextContents()).toEqual(['the footballer×', 'man kicking the ball×']);
    await wb.waitSaved();

    const stored = await page.evaluate(`(async () => {
      const imgs = await window.egm['images:list']({});
      const messi = imgs.find((i) => i.fileName === 'messi5.jpg');
      return window.egm['annotations:list']({ imageId: messi.id });
    })()`) as { phrase: string; morePhrases: string[] }[];
    expect(stored.map((a) => [a.phrase, a.morePhrases])).toEqual([['the player in the red shirt', ['the footballer', 'man kicking the ball']]]);

    await wb.exportCoco();
    const coco = JSON.parse(await readFile(join(outDir, 'export.json'), 'utf8'));
    const withPhrases = coco.annotations.filter((a: { phrases?: string[] }) => a.phrases);
    expect(withPhrases.map((a: { phrases: string[] }) => a.phrases)).toEqual([['the player in the red shirt', 'the footballer', 'man kicking the ball']]);

    await mkdir('test-results/screenshots', { recursive: true });
    await page.getByTestId('inspector').screenshot({ path: 'test-results/screenshots/inspector-phrases.png' });
    expect(harness.errors).toEqual([]);
  });
});
