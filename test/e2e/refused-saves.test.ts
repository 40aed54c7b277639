// Issue 16, item 2: one edit the store cannot take never stops the saving of
// the others. Fields enforce the store's limits as text is typed or pasted; a
// save the store refuses anyway leaves the save queue at once, its edit taken
// back on screen and out of the history with a one-line reason naming the
// field and the limit; the edits after it are saved and every image still
// shows its boxes. Error lines stay compact, their buttons in view.
// Screenshots: test-results/screenshots/refused-*.png.
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addImagesToStore } from '../../electron/images/collect';
import { openProjectStore } from '../../electron/store/project-store';
import type { Annotation, ImageRecord } from '@core/types';
import { annotationInput } from '../helpers/store-temp';
import type { Harness } from './harness';
import { openProjectFromWelcome } from './pages/open-project';
import { GroundingPage } from './pages/grounding.page';
import type { WorkbenchPage } from './pages/workbench.page';

const SAMPLES = join(import.meta.dirname, '..', '..', 'assets', 'samples');
const SHOTS = 'test-results/screenshots';
const COFFEE: [number, number] = [600, 400];
/** As an import made before the limits: a phrase the store holds but no edit may send. */
const OLD_LONG_PHRASE = `the cup ${'and its saucer '.repeat(180)}`.slice(0, 2500);

let harness: Harness;
let wb: WorkbenchPage;
let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egm-e2e-refused-'));
  mkdirSync(SHOTS, { recursive: true });
  file = join(dir, 'project.egm');
  const store = openProjectStore(file, { create: true });
  await addImagesToStore(store, [join(SAMPLES, 'messi5.jpg'), join(SAMPLES, 'coffee.png')]);
  const [messi, coffee] = ['messi5.jpg', 'coffee.png'].map((name) => store.listImages().find((i) => i.fileName === name)!);
  store.createAnnotation(annotationInput(messi!.id, { phrase: 'the ball', visible: [100, 100, 200, 200], amodal: null }));
  store.createAnnotation(annotationInput(coffee!.id, { phrase: OLD_LONG_PHRASE, visible: [50, 50, 300, 300], amodal: null }));
  store.createAnnotation(annotationInput(coffee!.id, { phrase: 'the spoon', visible: [320, 60, 400, 200], amodal: null }));
  store.close();
  ({ harness, wb } = await openProjectFromWelcome(file));
});
afterAll(async () => {
  await harness?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** What the store holds now, read in the page through window.egm as the app would. */
async function stored(fileName: string): Promise<Annotation[]> {
  return harness.page.evaluate(async (name) => {
    const egm = (globalThis as unknown as { egm: import('@ipc/contract').EgmApi }).egm;
    const image = (await egm['images:list']({})).find((i: ImageRecord) => i.fileName === name)!;
    return egm['annotations:list']({ imageId: image.id });
  }, fileName);
}

describe('issue 16: refused saves', () => {
  it('cuts a phrase pasted past the limit at the limit and says so; it saves, and every image still shows its boxes', async () => {
    await wb.selectImage('messi5.jpg');
    await wb.boxRows.first().click();
    await wb.phraseInput.fill('a'.repeat(2500));
    await wb.phraseInput.press('Enter');
    await harness.page.getByTestId('limit-note').getByText('2,000-character limit reached').waitFor();
    await expect(wb.phraseInput.inputValue()).resolves.toHaveLength(2000);
    await wb.waitSaved();
    await expect(wb.errorBanner.count()).resolves.toBe(0);
    await expect.poll(async () => (await stored('messi5.jpg'))[0]!.phrase.length).toBe(2000);
    await harness.page.screenshot({ path: `${SHOTS}/refused-limit-note.png` });

    // The next image shows its boxes, and a box drawn there is stored.
    await wb.selectImage('coffee.png');
    await expect.poll(() => wb.boxRows.count()).toBe(2);
    await wb.drawVisibleBox(COFFEE, [420, 250], [580, 380]);
    await wb.waitSaved();
    await expect.poll(async () => (await stored('coffee.png')).length).toBe(3);
    expect(harness.errors).toEqual([]);
  });

  it('takes back an edit the store refuses, with the field and the limit, and saves the edits after it', async () => {
    await wb.selectImage('coffee.png');
    const before = await wb.boxRows.count();
    // The box with the phrase from before the limits: deleting it is fine, putting it back (undo) the store refuses.
    await wb.boxRows.first().click();
    await wb.press('Delete');
    await expect.poll(() => wb.boxRows.count()).toBe(before - 1);
    await wb.waitSaved();
    await wb.press('Control+z');
    const refused = harness.page.getByTestId('refused-save');
    await refused.waitFor();
    await expect(refused.textContent()).resolves.toMatch(/^Undo of Delete box was not saved and is undone: phrase: longer than the 2,000-character limit/);
    // Taken back: the screen shows what the store has, the queue holds nothing, the step is gone from the history.
    await expect.poll(() => wb.boxRows.count()).toBe(before - 1);
    await wb.waitSaved();
    await expect(harness.page.getByTestId('btn-retry').count()).resolves.toBe(0);
    // Ctrl+Z now undoes the edit before the delete (the first test's box), and there is nothing to redo.
    await expect(harness.page.getByTestId('btn-undo').getAttribute('title')).resolves.toBe('Undo Draw box (Ctrl+Z)');
    await expect(harness.page.getByTestId('btn-redo').isDisabled()).resolves.toBe(true);
    await harness.page.screenshot({ path: `${SHOTS}/refused-undo.png` });

    // Saving goes on: a new box is stored, another image opens with its boxes, Dismiss clears the line.
    await wb.drawVisibleBox(COFFEE, [20, 300], [120, 390]);
    await wb.waitSaved();
    await expect.poll(async () => (await stored('coffee.png')).length).toBe(before);
    await wb.selectImage('messi5.jpg');
    await expect.poll(() => wb.boxRows.count()).toBe(1);
    await harness.page.getByTestId('btn-dismiss-refused').click();
    await expect(refused.count()).resolves.toBe(0);
    expect(harness.errors).toEqual([]);
  });

  it('keeps error lines compact with their buttons in view, and cuts the phrase bar at the limit', async () => {
    const viewport = harness.page.viewportSize()!;
    // A failed open naming a 3,000-character path (one unbroken word): one banner row, Dismiss on screen.
    harness.dialogs.openProject = join(dir, `${'x'.repeat(3000)}.egm`);
    await harness.page.getByTestId('btn-open').click();
    const banner = wb.errorBanner;
    await banner.waitFor();
    const dismiss = harness.page.getByTestId('btn-dismiss');
    const row = banner.locator('.banner-row', { has: dismiss });
    const box = (await row.boundingBox())!;
    const button = (await dismiss.boundingBox())!;
    expect(box.height).toBeLessThanOrEqual(48); // two lines of text at most
    expect(button.x + button.width).toBeLessThanOrEqual(viewport.width);
    await harness.page.screenshot({ path: `${SHOTS}/refused-long-banner.png` });
    await dismiss.click();
    await expect(dismiss.count()).resolves.toBe(0);

    // The phrase bar takes 2,000 characters of a 10,000-character paste and says so.
    const g = new GroundingPage(harness.page);
    await wb.press('/');
    await g.input.fill('b'.repeat(10_000));
    await expect(g.input.inputValue()).resolves.toHaveLength(2000);
    await harness.page.getByTestId('phrase-bar').getByTestId('limit-note').waitFor();
    await g.input.fill('');

    // The batch dialog's phrases, one a line: each is cut at the limit, and more phrases than a batch takes do not start.
    await harness.page.getByTestId('btn-batch').click();
    await g.batchDialog.waitFor();
    const phrases = harness.page.getByTestId('batch-phrases');
    await phrases.fill(`${'c'.repeat(10_000)}\nthe ball`);
    await expect(phrases.inputValue()).resolves.toBe(`${'c'.repeat(2000)}\nthe ball`);
    await g.batchDialog.getByTestId('limit-note').getByText('2,000-character limit reached').waitFor();
    await expect(harness.page.getByTestId('btn-start-batch').isEnabled()).resolves.toBe(true);
    await phrases.fill(Array.from({ length: 101 }, (_, i) => `thing ${i}`).join('\n'));
    await g.batchDialog.getByTestId('batch-too-many').getByText('At most 100 phrases a batch: 101 are listed').waitFor();
    await expect(harness.page.getByTestId('btn-start-batch').isDisabled()).resolves.toBe(true);
    await harness.page.screenshot({ path: `${SHOTS}/refused-batch-phrases.png` });
    await g.closeBatch();
    expect(harness.errors).toEqual([]);
  });

  it('keeps a grounding error for a long phrase to one short line with Retry and × in view', async () => {
    const g = new GroundingPage(harness.page);
    await g.useServerThatGoesDown();
    await g.ground(`the ${'very '.repeat(2000)}small cup`);
    const error = harness.page.getByTestId('query-error');
    await error.waitFor({ timeout: 60_000 });
    const viewport = harness.page.viewportSize()!;
    const box = (await error.boundingBox())!;
    expect(box.height).toBeLessThanOrEqual(60);
    for (const control of [error.getByTestId('btn-retry-after-error'), error.getByRole('button', { name: 'Dismiss' })]) {
      const r = (await control.boundingBox())!;
      expect(r.x + r.width).toBeLessThanOrEqual(viewport.width);
      expect(r.y + r.height).toBeLessThanOrEqual(box.y + box.height + 1);
    }
    await harness.page.screenshot({ path: `${SHOTS}/refused-long-query-error.png` });
  });
});
