// Issue 11: removing an image from the project. Shift+Delete (or the row's ×)
// asks first, naming the file, its boxes, proposals and "not in this image"
// marks (the image on screen's from the app state, another row's asked for), that the file on disk
// stays and that it cannot be undone; Esc keeps it; Enter removes it, the
// next image comes into view, the list, its count and the review queue
// follow, and the file is still on disk. Screenshot of the confirmation.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';
import { ImageListPage } from './pages/image-list.page';
import { shoot } from './pages/screens';

let harness: Harness;
let list: ImageListPage;

const page = () => harness.page;
const confirm = () => page().getByTestId('confirm-dialog');

/** Where an image's file lies on disk, from the store's record. */
async function fileOnDisk(fileName: string): Promise<string> {
  const store = harness.session.require();
  const img = (await harness.handlers['images:list']({})).find((i) => i.fileName === fileName);
  if (!img) throw new Error(`no image ${fileName}`);
  return isAbsolute(img.path) ? img.path : join(dirname(store.path), img.path);
}

/** "Not in this image" marks through the store, as an earlier session would have left them. */
async function seedNegatives(fileName: string, phrases: string[]): Promise<void> {
  const img = (await harness.handlers['images:list']({})).find((i) => i.fileName === fileName);
  if (!img) throw new Error(`seedNegatives: no image ${fileName}`);
  for (const phrase of phrases) await harness.handlers['negatives:add']({ imageId: img.id, phrase });
}

beforeAll(async () => {
  harness = await startHarness({ viewport: { width: 1280, height: 720 } });
  list = new ImageListPage(harness.page);
  await list.wb.openSample();
  await list.seedBox('fruits.jpg', { category: 'fruit', reviewed: true, visible: [20, 20, 120, 120] });
  await list.seedBox('fruits.jpg', { category: 'fruit', reviewed: true, visible: [150, 40, 260, 150] });
  await list.seedProposal('fruits.jpg', { id: 9101, phrase: 'the lime', visible: [300, 60, 380, 140] });
  await seedNegatives('fruits.jpg', ['a dog', 'the knife']);
  await seedNegatives('coffee.png', ['a spoon']);
  await list.reload();
});
afterAll(async () => {
  await harness?.close();
});

describe('issue 11: removing an image from the project', () => {
  it('Shift+Delete asks, naming the file and what goes with it; Esc keeps it, Enter removes it and shows the next image', async () => {
    const onDisk = await fileOnDisk('fruits.jpg');
    await list.wb.selectImage('fruits.jpg');
    const after = (await list.files())[(await list.files()).indexOf('fruits.jpg') + 1];
    await expect.poll(() => list.wb.boxRows.count()).toBe(2);

    await list.wb.press('Shift+Delete');
    await confirm().waitFor();
    await expect(confirm().getByTestId('confirm-text').textContent()).resolves.toBe(
      "Remove fruits.jpg from the project? Its 2 boxes, 1 proposal and 2 'not in this image' marks go with it. The file on disk is not touched. This cannot be undone, and it empties the undo history.",
    );
    await shoot(page(), 'remove-image-confirmation');
    await list.wb.press('Escape');
    await confirm().waitFor({ state: 'detached' });
    await expect(list.rows.count()).resolves.toBe(9);
    await expect(list.currentFile()).resolves.toBe('fruits.jpg');

    await list.wb.press('Shift+Delete');
    await confirm().waitFor();
    await page().keyboard.press('Enter');
    await confirm().waitFor({ state: 'detached' });
    await list.wb.imageRow('fruits.jpg').waitFor({ state: 'detached' });
    await expect.poll(() => list.currentFile()).toBe(after);
    await list.wb.waitReady();
    await expect.poll(() => list.count.textContent()).toBe('8 of 8 images');
    await expect.poll(() => page().getByTestId('queue-count').textContent()).toBe('0');
    await list.wb.notice.getByText("Removed fruits.jpg (2 boxes, 1 proposal, 2 'not in this image' marks); the file is still on disk").waitFor();
    expect(existsSync(onDisk)).toBe(true);
    expect(harness.errors).toEqual([]);
  });

  it("a row's × removes that image, not the one on screen; a reload lists what the store kept", async () => {
    const shown = await list.currentFile();
    await list.wb.imageRow('coffee.png').hover();
    await list.wb.imageRow('coffee.png').getByTestId('btn-remove-image').click();
    await confirm().waitFor();
    await expect(confirm().getByTestId('confirm-text').textContent()).resolves.toBe(
      "Remove coffee.png from the project? Its 1 'not in this image' mark goes with it. The file on disk is not touched. This cannot be undone, and it empties the undo history.",
    );
    await page().getByTestId('btn-confirm').click();
    await list.wb.imageRow('coffee.png').waitFor({ state: 'detached' });
    await expect(list.currentFile()).resolves.toBe(shown);
    await expect.poll(() => list.count.textContent()).toBe('7 of 7 images');

    await list.reload();
    await expect.poll(() => list.rows.count()).toBe(7);
    expect(await list.files()).not.toContain('fruits.jpg');
    expect(await list.files()).not.toContain('coffee.png');
    expect(harness.errors).toEqual([]);
  });
});
