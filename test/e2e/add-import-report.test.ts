// Issue 18, "Progress and messages", in Chromium over the real handlers:
//   - *Add images* names every file it skipped, with the reason, in a
//     scrollable list (it said "skipped 2 (…, …)"); adding the folder again
//     counts the files already in the project apart, so a truncated or empty
//     file is never hidden among them;
//   - *Import COCO* shows a progress bar while it reads and probes (it showed
//     "No images yet" for 16 s), and names what it skipped.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/store-temp';
import { startHarness, type Harness } from './harness';
import { WorkbenchPage } from './pages/workbench.page';
import { shoot } from './pages/screens';

const SAMPLES = resolve(import.meta.dirname, '../../assets/samples');

let harness: Harness;
let wb: WorkbenchPage;
let tmp: ReturnType<typeof tempDir>;
let folder: string;

const page = () => harness.page;
const skippedRows = () => page().getByTestId('skipped-row');
async function skippedList(): Promise<string[]> {
  return skippedRows().evaluateAll((rows) => rows.map((r) => `${r.querySelector('[data-testid="skipped-file"]')?.textContent} — ${r.querySelector('[data-testid="skipped-reason"]')?.textContent}`));
}

beforeAll(async () => {
  tmp = tempDir('egm-e2e-add-');
  folder = join(tmp.dir, 'photos');
  mkdirSync(folder);
  for (const name of ['fruits.jpg', 'home.jpg']) copyFileSync(join(SAMPLES, name), join(folder, name));
  writeFileSync(join(folder, 'empty.jpg'), '');
  writeFileSync(join(folder, 'cut.jpg'), readFileSync(join(SAMPLES, 'messi5.jpg')).subarray(0, 2000));
  writeFileSync(join(folder, 'notes.txt'), 'not a picture');
  harness = await startHarness({ viewport: { width: 1280, height: 720 } });
  wb = new WorkbenchPage(harness.page);
  harness.dialogs.createProject = join(tmp.dir, 'photos.egm');
  await page().getByTestId('welcome-create').click();
  await page().locator('[data-testid="project-name"]', { hasText: 'photos' }).waitFor();
});
afterAll(async () => {
  await harness?.close();
  tmp?.cleanup();
});

describe('issue 18: skipped files named', () => {
  const problems = [
    'cut.jpg — truncated JPEG file (no end marker)',
    'empty.jpg — empty file (0 bytes)',
    'notes.txt — not an image file (extension .txt); not added',
  ];

  it('Add images names every skipped file with its reason, in a list', async () => {
    harness.dialogs.pickImages = [folder];
    await page().getByTestId('btn-add-images').click();
    await page().getByTestId('skipped-dialog').waitFor();
    await expect(skippedList()).resolves.toEqual(problems);
    await expect(wb.notice.textContent()).resolves.toBe(
      'Added 2 images; skipped 3: cut.jpg (truncated JPEG file (no end marker)), empty.jpg (empty file (0 bytes)), notes.txt (not an image file (extension .txt); not added)',
    );
    await shoot(page(), 'add-images-skipped');
    await wb.press('Enter');
    await page().getByTestId('skipped-dialog').waitFor({ state: 'detached' });
  });

  it('adding the folder again counts the files already in the project apart and still names the bad ones', async () => {
    await page().getByTestId('btn-add-images').click();
    await page().getByTestId('skipped-dialog').waitFor();
    await expect(skippedList()).resolves.toEqual(problems);
    await expect(wb.notice.textContent()).resolves.toMatch(/^Added 0 images; 2 already in the project; skipped 3: cut\.jpg \(truncated JPEG file/);
    await page().getByTestId('btn-close-skipped').click();
    expect(harness.errors).toEqual([]);
  });

  it('files that are no images are named but open no dialog; the status bar lists them on a click', async () => {
    const other = join(tmp.dir, 'dataset');
    mkdirSync(other);
    copyFileSync(join(SAMPLES, 'rocket.jpg'), join(other, 'rocket.jpg'));
    writeFileSync(join(other, 'rocket.xml'), '<annotation/>');
    harness.dialogs.pickImages = [other];
    await page().getByTestId('btn-add-images').click();
    await wb.notice.getByText('Added 1 image; skipped 1: rocket.xml (not an image file (extension .xml); not added)').waitFor();
    await expect(page().getByTestId('skipped-dialog').count()).resolves.toBe(0);
    await page().getByTestId('btn-skipped').getByText('1 skipped…').click();
    await page().getByTestId('skipped-dialog').waitFor();
    await expect(skippedList()).resolves.toEqual(['rocket.xml — not an image file (extension .xml); not added']);
    await page().getByTestId('btn-close-skipped').click();
    expect(harness.errors).toEqual([]);
  });
});

describe('issue 18: import progress', () => {
  it('Import COCO shows a progress bar while it runs, and names what it skipped', async () => {
    const images = ['fruits.jpg', 'home.jpg', 'missing.jpg'].map((file_name, i) => ({ id: i + 1, file_name, width: 10, height: 10 }));
    const coco = { images, annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [1, 1, 5, 5] }], categories: [{ id: 1, name: 'thing' }] };
    const json = join(tmp.dir, 'coco.json');
    writeFileSync(json, JSON.stringify(coco));
    harness.dialogs.openCoco = json;
    harness.dialogs.pickImagesRoot = folder;
    // Every state the bar shows, recorded as the DOM changes (the import may take less than a frame).
    await page().evaluate(`(() => {
      window.__bars = [];
      const seen = () => {
        const bar = document.querySelector('[data-testid="import-progress"]');
        if (bar) window.__bars.push(bar.getAttribute('data-label') + ': ' + bar.textContent);
      };
      new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    await page().getByTestId('btn-import').click();
    await page().getByTestId('skipped-dialog').waitFor();
    const bars = (await page().evaluate('window.__bars')) as string[];
    expect(bars.length).toBeGreaterThan(0);
    expect(bars.every((b) => b.startsWith('Importing COCO: Importing COCO '))).toBe(true);
    await expect(skippedList()).resolves.toEqual([expect.stringMatching(/^images\[2\] — 'missing\.jpg': file not found at .*missing\.jpg/)]);
    await expect(wb.notice.textContent()).resolves.toMatch(/^Imported 1 annotations, 0 images; skipped 1: images\[2\] \('missing\.jpg': file not found/);
    await page().getByTestId('btn-close-skipped').click();
    await expect(page().getByTestId('import-progress').count()).resolves.toBe(0);
    expect(harness.errors).toEqual([]);
  });
});
