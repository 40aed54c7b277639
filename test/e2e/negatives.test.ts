// Issue 11: "object not in this image". X (or the proposal panel's button) on
// a no-box answer records the phrase as absent and drops the proposal; the
// side panel lists the image's negatives; Ctrl+Z puts the proposal back and
// removes the negative (one step), Ctrl+Shift+Z marks it again; × takes a
// negative back (undoable); the phrase bar records one without the model.
// Every step is checked in the store too. Screenshots of the no-box proposal
// with its button, and of the negatives list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';
import { ImageListPage } from './pages/image-list.page';
import { shoot } from './pages/screens';

let harness: Harness;
let list: ImageListPage;

const page = () => harness.page;
const negativeRows = () => page().getByTestId('negative-row');
const queueCount = () => page().getByTestId('queue-count').textContent();

/** The store's negatives and pending proposals, once the queued saves have landed. */
async function stored(): Promise<{ negatives: string[]; proposals: string[] }> {
  await list.wb.waitSaved();
  const negatives = (await harness.handlers['negatives:list']({})).map((n) => n.phrase).sort();
  const proposals = (await harness.handlers['proposals:list']({ order: 'newest' })).map((p) => p.phrase).sort();
  return { negatives, proposals };
}

beforeAll(async () => {
  harness = await startHarness({ viewport: { width: 1280, height: 720 } });
  list = new ImageListPage(harness.page);
  await list.wb.openSample();
  await list.seedProposal('messi5.jpg', { id: 9201, phrase: 'the unicorn', visible: null });
  await list.reload();
  await list.wb.selectImage('messi5.jpg');
  await page().getByTestId('proposal-phrase').getByText('the unicorn').waitFor();
});
afterAll(async () => {
  await harness?.close();
});

describe('issue 11: object not in this image', () => {
  it('X marks a no-box answer absent; Ctrl+Z puts the proposal back and removes the negative, Ctrl+Shift+Z marks it again', async () => {
    await expect(page().getByTestId('btn-not-in-image').getAttribute('class')).resolves.toContain('primary');
    await shoot(page(), 'not-in-image-proposal');
    await list.wb.press('x');
    await negativeRows().getByText('the unicorn').waitFor();
    await expect.poll(queueCount).toBe('0');
    await page().getByTestId('proposal-panel').waitFor({ state: 'detached' });
    await expect(stored()).resolves.toEqual({ negatives: ['the unicorn'], proposals: [] });
    await shoot(page(), 'negatives-list');

    await list.wb.press('Control+z');
    await page().getByTestId('proposal-phrase').getByText('the unicorn').waitFor();
    await expect.poll(queueCount).toBe('1');
    await page().getByTestId('negative-list').waitFor({ state: 'detached' });
    await expect(stored()).resolves.toEqual({ negatives: [], proposals: ['the unicorn'] });

    await list.wb.press('Control+Shift+z');
    await negativeRows().getByText('the unicorn').waitFor();
    await expect.poll(queueCount).toBe('0');
    await expect(stored()).resolves.toEqual({ negatives: ['the unicorn'], proposals: [] });
    expect(harness.errors).toEqual([]);
  });

  it("the side panel's × takes a negative back, and Ctrl+Z restores it", async () => {
    await negativeRows().getByTestId('btn-remove-negative').click();
    await page().getByTestId('negative-list').waitFor({ state: 'detached' });
    await expect(stored()).resolves.toEqual({ negatives: [], proposals: [] });
    await list.wb.press('Control+z');
    await negativeRows().getByText('the unicorn').waitFor();
    await expect(stored()).resolves.toEqual({ negatives: ['the unicorn'], proposals: [] });
    expect(harness.errors).toEqual([]);
  });

  it('the phrase bar records a phrase as absent without asking the model (no model is set up)', async () => {
    const input = page().getByTestId('phrase-bar-input');
    await input.fill('a giraffe');
    await page().getByTestId('btn-record-negative').click();
    await negativeRows().getByText('a giraffe').waitFor();
    await expect(negativeRows().count()).resolves.toBe(2);
    await expect(stored()).resolves.toEqual({ negatives: ['a giraffe', 'the unicorn'], proposals: [] });
    // Recording it twice adds nothing.
    await page().getByTestId('btn-record-negative').click();
    await list.wb.notice.getByText('already marked').waitFor();
    await expect(negativeRows().count()).resolves.toBe(2);

    await list.wb.press('Control+z');
    await negativeRows().getByText('a giraffe').waitFor({ state: 'detached' });
    await expect(stored()).resolves.toEqual({ negatives: ['the unicorn'], proposals: [] });
    // Another image has its own list; back on messi5.jpg the negative is listed again.
    await list.wb.selectImage('fruits.jpg');
    await page().getByTestId('negative-list').waitFor({ state: 'detached' });
    await list.wb.selectImage('messi5.jpg');
    await negativeRows().getByText('the unicorn').waitFor();
    expect(harness.errors).toEqual([]);
  });
});
