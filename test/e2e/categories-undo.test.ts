// Issue 16, item 5, in Chromium: the Categories dialog never acts on a list's
// arrow keys; merge and delete ask first, naming the boxes, and Ctrl+Z undoes
// each (one step); a rename to a name in use offers to merge, with no id in
// any message and never two rows of one name; after Import COCO the box list
// names the file's categories and the category filter offers them.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';
import { WorkbenchPage } from './pages/workbench.page';

let harness: Harness;
let wb: WorkbenchPage;

beforeAll(async () => {
  harness = await startHarness();
  wb = new WorkbenchPage(harness.page);
  await wb.openSample();
});
afterAll(async () => {
  await harness?.close();
});

const row = (name: string) => harness.page.locator(`[data-testid="category-row"][data-name="${name}"]`);
const boxCategories = () => harness.page.locator('[data-testid="box-row"] .cat').allTextContents();
const rowNames = () => harness.page.getByTestId('category-row').evaluateAll((rows) => rows.map((r) => (r.querySelector("input") as unknown as { value: string }).value));

/** Boxes of the given categories on messi5.jpg, made through the API; messi5 is then on screen. */
async function seed(boxes: [category: string, phrase: string][]): Promise<void> {
  await harness.page.evaluate(`(async (boxes) => {
    const imgs = await window.egm['images:list']({});
    const messi = imgs.find((i) => i.fileName === 'messi5.jpg');
    const fruits = imgs.find((i) => i.fileName === 'fruits.jpg');
    const base = { amodal: null, occluded: false, source: 'manual', model: null, score: null, reviewed: true };
    let x = 10;
    for (const [category, phrase] of boxes) {
      const categoryId = (await window.egm['categories:ensure']({ name: category })).id;
      await window.egm['annotations:create']({ ...base, imageId: messi.id, categoryId, phrase, visible: [x, 10, x + 30, 50] });
      x += 40;
    }
    // One more on another image, so the question names two images.
    const first = (await window.egm['categories:ensure']({ name: boxes[0][0] })).id;
    await window.egm['annotations:create']({ ...base, imageId: fruits.id, categoryId: first, phrase: 'other', visible: [5, 5, 40, 40] });
  })(${JSON.stringify(boxes)})`);
  // The renderer reads the categories again when a project loads: reopen by switching images and reloading.
  await harness.page.reload();
  await wb.waitReady();
  await wb.selectImage('messi5.jpg');
}

async function openDialog(): Promise<void> {
  await harness.page.getByTestId('btn-categories').click();
  await harness.page.getByTestId('categories-dialog').waitFor();
}

async function closeDialog(): Promise<void> {
  await harness.page.getByTestId('categories-dialog').getByText('Close').click();
  await harness.page.getByTestId('categories-dialog').waitFor({ state: 'detached' });
}

describe('Categories dialog (issue 16, item 5)', () => {
  it('arrow keys in "Merge into…" only choose; Merge… asks, naming the boxes; Ctrl+Z and redo', async () => {
    const page = harness.page;
    await seed([['person', 'a'], ['player', 'b'], ['player', 'c']]);
    await expect.poll(boxCategories).toEqual(['person', 'player', 'player']);
    await openDialog();
    await expect.poll(() => row('person').getByTestId('category-boxes').textContent()).toBe('2 boxes');

    // ↓ on the focused list chooses a target and nothing else: no merge, no question.
    await row('person').getByTestId('category-merge').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => row('person').getByTestId('category-merge').inputValue()).not.toBe('');
    expect(await row('player').count()).toBe(1);
    expect(await page.getByTestId('confirm-dialog').count()).toBe(0);
    expect(await row('person').getByTestId('category-boxes').textContent()).toBe('2 boxes');

    // Merge 'player' into 'person': the question names the boxes that move; Esc keeps everything.
    await row('player').getByTestId('category-merge').selectOption({ label: 'person' });
    expect(await row('player').count()).toBe(1);
    await row('player').getByTestId('category-merge-run').click();
    await expect.poll(() => page.getByTestId('confirm-text').textContent()).toBe(
      "Merge 'player' into 'person'? Its 2 boxes on 1 image (messi5.jpg: 2) become 'person', and 'player' goes. Ctrl+Z undoes it.",
    );
    await page.keyboard.press('Escape');
    await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
    expect(await row('player').count()).toBe(1);
    await row('player').getByTestId('category-merge-run').click();
    await page.getByTestId('btn-confirm').click();
    await expect.poll(() => row('player').count()).toBe(0);
    await expect.poll(() => row('person').getByTestId('category-boxes').textContent()).toBe('4 boxes');
    await closeDialog();
    await expect.poll(boxCategories).toEqual(['person', 'person', 'person']);

    // One undo step puts 'player' back with exactly its boxes; redo merges again.
    await wb.press('Control+z');
    await expect.poll(boxCategories).toEqual(['person', 'player', 'player']);
    await openDialog();
    await expect.poll(() => row('player').getByTestId('category-boxes').textContent()).toBe('2 boxes');
    await expect.poll(() => row('person').getByTestId('category-boxes').textContent()).toBe('2 boxes');
    await closeDialog();
    await wb.press('Control+Shift+z');
    await expect.poll(boxCategories).toEqual(['person', 'person', 'person']);
    await wb.waitSaved();
    const stored = (await page.evaluate(`window.egm['categories:usage']({})`)) as { name: string; boxes: number }[];
    expect(stored.map((c) => [c.name, c.boxes])).toEqual([['person', 4]]);
    expect(await wb.errorBanner.count()).toBe(0);
    expect(harness.errors).toEqual([]);
  });

  it('Delete and Delete with boxes ask first, naming the boxes; each is undone by Ctrl+Z', async () => {
    const page = harness.page;
    await seed([['ball', 'the ball'], ['goal', 'the goal']]);
    const before = await wb.boxRows.count();
    await openDialog();
    await row('ball').getByTestId('category-delete-boxes').click();
    await expect.poll(() => page.getByTestId('confirm-text').textContent()).toBe("Delete 'ball' and its 2 boxes on 2 images (fruits.jpg: 1, messi5.jpg: 1)? Ctrl+Z undoes it.");
    await page.getByTestId('btn-confirm-cancel').click();
    expect(await row('ball').count()).toBe(1);
    await row('ball').getByTestId('category-delete-boxes').click();
    await page.getByTestId('btn-confirm').click();
    await expect.poll(() => row('ball').count()).toBe(0);

    await row('goal').getByTestId('category-delete-keep').click();
    await expect.poll(() => page.getByTestId('confirm-text').textContent()).toBe("Delete 'goal'? Its 1 box on 1 image (messi5.jpg: 1) stay, without a category. Ctrl+Z undoes it.");
    await page.keyboard.press('Enter');
    await expect.poll(() => row('goal').count()).toBe(0);
    await closeDialog();
    await expect.poll(() => wb.boxRows.count()).toBe(before - 1);

    await wb.press('Control+z'); // 'goal' back on its box
    await expect.poll(() => page.locator('[data-testid="box-row"] .cat', { hasText: 'goal' }).count()).toBe(1);
    await wb.press('Control+z'); // 'ball' back with its boxes, here and on fruits.jpg
    await expect.poll(() => wb.boxRows.count()).toBe(before);
    await wb.waitSaved();
    const usage = (await page.evaluate(`window.egm['categories:usage']({})`)) as { name: string; boxes: number }[];
    expect(Object.fromEntries(usage.map((c) => [c.name, c.boxes]))).toMatchObject({ ball: 2, goal: 1 });
    expect(harness.errors).toEqual([]);
  });

  it('renaming to a name in use offers a merge: no ids quoted, never two rows of one name', async () => {
    const page = harness.page;
    await seed([['cat', 'a cat'], ['kitten', 'a kitten']]);
    await openDialog();
    const kitten = row('kitten').getByTestId('category-name');
    await kitten.fill('cat');
    await kitten.press('Enter');
    await expect.poll(() => page.getByTestId('confirm-text').textContent()).toBe(
      "Merge 'kitten' into 'cat'? Its 1 box on 1 image (messi5.jpg: 1) become 'cat', and 'kitten' goes. Ctrl+Z undoes it.",
    );
    await page.getByTestId('btn-confirm-cancel').click();
    await expect.poll(rowNames).toContain('kitten');
    expect((await rowNames()).filter((n) => n === 'cat')).toEqual(['cat']);
    expect(await wb.errorBanner.count()).toBe(0);

    await kitten.fill('cat');
    await kitten.press('Enter');
    await page.getByTestId('btn-confirm').click();
    await expect.poll(() => row('kitten').count()).toBe(0);
    expect((await rowNames()).filter((n) => n === 'cat')).toEqual(['cat']);
    await expect.poll(() => row('cat').getByTestId('category-boxes').textContent()).toBe('3 boxes');

    // A plain rename is one undo step too.
    await row('cat').getByTestId('category-name').fill('feline');
    await row('cat').getByTestId('category-name').press('Enter');
    await expect.poll(() => row('feline').count()).toBe(1);
    await closeDialog();
    await wb.press('Control+z');
    await expect.poll(() => page.locator('[data-testid="box-row"] .cat', { hasText: 'feline' }).count()).toBe(0);
    await openDialog();
    await expect.poll(() => row('cat').count()).toBe(1);
    await closeDialog();
    expect(await wb.errorBanner.count()).toBe(0);
    expect(harness.errors).toEqual([]);
  });

  it('after Import COCO the box list names the categories and the category filter offers them', async () => {
    const page = harness.page;
    const info = (await page.evaluate(`window.egm['project:info']({})`)) as { imagesRoot: string };
    const dir = join(harness.userDataDir, 'coco');
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'more.json');
    await writeFile(file, JSON.stringify({
      images: [{ id: 1, file_name: 'messi5.jpg', width: 548, height: 342 }],
      categories: [{ id: 4, name: 'goalkeeper' }, { id: 13, name: 'referee' }],
      annotations: [
        { id: 1, image_id: 1, category_id: 4, bbox: [300, 40, 60, 120] },
        { id: 2, image_id: 1, category_id: 13, bbox: [400, 40, 60, 120] },
      ],
    }));
    await wb.selectImage('messi5.jpg');
    harness.dialogs.openCoco = file;
    harness.dialogs.pickImagesRoot = info.imagesRoot;
    await page.getByTestId('btn-import').click();
    await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/Imported 2 annotations/);
    await expect.poll(boxCategories).toEqual(expect.arrayContaining(['goalkeeper', 'referee']));
    expect((await boxCategories()).some((c) => /^#\d+$/.test(c))).toBe(false);
    const chips = await page.getByTestId('category-chip').evaluateAll((els) => els.map((e) => e.getAttribute('data-category')));
    expect(chips).toEqual(expect.arrayContaining(['goalkeeper', 'referee']));
    expect(chips.some((c) => /^#\d+$/.test(c ?? ''))).toBe(false);
    const options = await page.getByTestId('filter-category').locator('option').allTextContents();
    expect(options).toEqual(expect.arrayContaining(['goalkeeper', 'referee']));
    expect(harness.errors).toEqual([]);
  });
});
