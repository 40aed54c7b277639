// The Categories dialog (issue 9, item 7): rename, merge and delete with the
// box counts shown, the boxes on screen following (each asks first: issue 16).
// Screenshot of the dialog.
import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';
import { WorkbenchPage } from './pages/workbench.page';

let harness: Harness;
let wb: WorkbenchPage;

beforeAll(async () => {
  harness = await startHarness();
  wb = new WorkbenchPage(harness.page);
});
afterAll(async () => {
  await harness?.close();
});

describe('Categories dialog', () => {
  it('renames, merges and deletes categories', async () => {
    const page = harness.page;
    await wb.openSample();
    await page.evaluate(`(async () => {
      const imgs = await window.egm['images:list']({});
      const messi = imgs.find((i) => i.fileName === 'messi5.jpg');
      const cat = async (name) => (await window.egm['categories:ensure']({ name })).id;
      const base = { imageId: messi.id, amodal: null, occluded: false, source: 'manual', model: null, score: null, reviewed: true };
      const [person, player, ball] = [await cat('person'), await cat('player'), await cat('ball')];
      await window.egm['annotations:create']({ ...base, categoryId: person, phrase: 'a', visible: [10, 10, 50, 50] });
      await window.egm['annotations:create']({ ...base, categoryId: player, phrase: 'b', visible: [60, 10, 90, 50] });
      await window.egm['annotations:create']({ ...base, categoryId: ball, phrase: 'c', visible: [100, 10, 130, 50] });
    })()`);
    await wb.selectImage('fruits.jpg');
    await wb.selectImage('messi5.jpg');
    await page.getByTestId('btn-categories').click();
    const row = (name: string) => page.locator(`[data-testid="category-row"][data-name="${name}"]`);
    await expect.poll(() => row('player').getByTestId('category-boxes').textContent()).toBe('1 box');

    await row('player').getByTestId('category-merge').selectOption({ label: 'person' });
    await row('player').getByTestId('category-merge-run').click();
    await page.getByTestId('btn-confirm').click();
    await expect.poll(() => row('person').getByTestId('category-boxes').textContent()).toBe('2 boxes');
    await expect(row('player').count()).resolves.toBe(0);

    await row('person').getByTestId('category-name').fill('footballer');
    await row('person').getByTestId('category-name').press('Enter');
    await expect.poll(() => row('footballer').getByTestId('category-boxes').textContent()).toBe('2 boxes');
    await mkdir('test-results/screenshots', { recursive: true });
    await page.getByTestId('categories-dialog').locator('.dialog').screenshot({ path: 'test-results/screenshots/categories-dialog.png' });

    await row('ball').getByTestId('category-delete-boxes').click();
    await page.getByTestId('btn-confirm').click();
    await expect.poll(() => row('ball').count()).toBe(0);
    await page.getByTestId('categories-dialog').getByText('Close').click();
    await expect.poll(() => wb.boxRows.count()).toBe(2);
    expect(harness.errors).toEqual([]);
  });
});
