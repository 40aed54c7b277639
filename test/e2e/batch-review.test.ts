// Issue 18 in Chromium, over the real handler table and a fake OpenAI server
// that finds no dog anywhere:
//   - a batch's "no box" answers wait in the review queue as "no box"
//     proposals (X agrees, Backspace rejects), the progress counts them, and a
//     re-run asks none of the pairs answered either way;
//   - bulk review: every "no box" answer → *not in this image*, and accept all
//     above a confidence threshold, each asking first with the count and each
//     one undo step; the queue filters and sorts by batch, phrase, confidence;
//   - the batch's progress and ETA in the status bar while its dialog is
//     closed (a click reopens it); Resume disabled with no batch; a batch an
//     earlier session left unfinished announced on open, with Resume;
//   - the model chip says "retrying" while a retry runs after a server error.
// Screenshots (1280×720, 1920×1080): the no-box queue, the bulk accept confirm.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchStatus } from '@core/types';
import { createBatch, finishItem } from '../../electron/store/batches';
import { openProjectStore } from '../../electron/store/project-store';
import { NO_BOX_ANSWER, startFakeOpenAIServer, type FakeServer } from '../helpers/fake-openai-server';
import { tempDir } from '../helpers/store-temp';
import { startHarness, type Harness } from './harness';
import { GroundingPage } from './pages/grounding.page';
import { ImageListPage } from './pages/image-list.page';
import { shoot } from './pages/screens';

const SAMPLES = resolve(import.meta.dirname, '../../assets/samples');
const FILES = ['fruits.jpg', 'home.jpg', 'messi5.jpg', 'stuff.jpg'];

let server: FakeServer;
let harness: Harness;
let g: GroundingPage;
let list: ImageListPage;
let tmp: ReturnType<typeof tempDir>;

const page = () => harness.page;
const testId = (id: string) => page().getByTestId(id);
const text = (id: string) => testId(id).textContent();
const noBoxRows = () => page().locator('[data-testid="queue-row"]:has([data-testid="queue-row-nobox"])');

async function stored() {
  await g.wb.waitSaved();
  const proposals = await harness.handlers['proposals:list']({});
  const negatives = await harness.handlers['negatives:list']({});
  return { proposals, negatives, noBox: proposals.filter((p) => p.visible === null && p.amodal === null) };
}

/** Starts a batch over FILES from the dialog and waits until it is done. */
async function batch(phrases: string[]): Promise<BatchStatus> {
  await g.runBatch(phrases, FILES);
  return (await harness.handlers['batch:status']({}))!;
}

beforeAll(async () => {
  tmp = tempDir('egm-e2e-batch-');
  server = await startFakeOpenAIServer({ answerByPrompt: { 'the dog': NO_BOX_ANSWER } });
  harness = await startHarness({ viewport: { width: 1280, height: 720 } });
  g = new GroundingPage(harness.page);
  list = new ImageListPage(harness.page);
  await g.wb.openSample();
  await g.useServer(server.baseUrl, 'sk-test');
  await g.waitModelReady();
  await g.closeModelPanel();
});
afterAll(async () => {
  await harness?.close();
  await server?.close();
  tmp?.cleanup();
});

describe('issue 18: batch answers kept', () => {
  it('Resume is disabled while the project has no batch', async () => {
    await g.wb.press('Control+b');
    await g.batchDialog.waitFor();
    await expect(testId('btn-resume-batch').isDisabled()).resolves.toBe(true);
    await g.closeBatch();
  });

  it('a no-box answer is a "no box" proposal in the queue, counted in the progress; X agrees, Backspace rejects; a re-run asks only the rejected pair', async () => {
    const first = await batch(['the dog', 'the ball']);
    expect(first).toMatchObject({ state: 'done', total: 8, done: 8, noBox: 4 });
    await expect(text('batch-summary')).resolves.toMatch(/^8\/8 · 4 no box · done$/);
    await g.closeBatch();
    await expect.poll(() => noBoxRows().count()).toBe(4);
    // Each keeps the model's words: its reasoning and its answer sentence.
    for (const p of (await stored()).noBox) expect(p.reasoningVisible).toBe(`${server.behaviour.reasoning}\n</think>\n\n${NO_BOX_ANSWER}`);

    // Only the no-box answers: the filter shows 4 of 8, J walks them, the panel gives the model's sentence.
    await testId('queue-filter-kind').selectOption('no-box');
    await expect.poll(() => text('queue-shown')).toBe('4 of ');
    await g.wb.press('j');
    await testId('proposal-reason').getByText('No box. The model said: “I cannot find such an object in this image.”').waitFor();
    await expect(testId('btn-not-in-image').getAttribute('class')).resolves.toContain('primary');
    await shoot(page(), 'no-box-queue');

    const agreed = (await g.activeProposal())!;
    await g.wb.press('x'); // agree: not in this image
    await expect.poll(() => noBoxRows().count()).toBe(3);
    await g.wb.press('j');
    const rejected = (await g.activeProposal())!;
    expect(rejected).not.toBe(agreed);
    await g.wb.press('Backspace'); // disagree: the answer was wrong
    await expect.poll(() => noBoxRows().count()).toBe(2);
    const after = await stored();
    expect(after.negatives.map((n) => n.phrase)).toEqual(['the dog']);
    expect(after.noBox).toHaveLength(2);
    await testId('queue-filter-clear').click();

    // The same batch again: every pair answered (box, no box, marked absent) is skipped; the rejected one is asked.
    const before = server.stats.completions;
    const again = await batch(['the dog', 'the ball']);
    expect(again).toMatchObject({ state: 'done', total: 8, done: 8, skipped: 7, noBox: 1 });
    expect(server.stats.completions - before).toBe(2); // visible + amodal of the one rejected pair
    await expect(text('batch-summary')).resolves.toMatch(/^8\/8 · 1 no box · 7 answered before · done$/);
    await g.closeBatch();
    expect(harness.errors).toEqual([]);
  });
});

describe('issue 18: bulk review', () => {
  it('all "no box" answers → not in this image: asks with the count, one undo step', async () => {
    const before = await stored();
    expect(before.noBox).toHaveLength(3);
    await testId('btn-bulk-review').click();
    await testId('bulk-dialog').waitFor();
    await testId('btn-bulk-nobox').getByText('Not in this image × 3…').click();
    await expect(text('confirm-text')).resolves.toBe('Agree with 3 “no box” answers on all images: each phrase is recorded as not in its image (a label that is exported). One undo step takes them all back.');
    await g.wb.press('Enter');
    await expect.poll(() => noBoxRows().count()).toBe(0);
    const marked = await stored();
    expect(marked.noBox).toEqual([]);
    expect(marked.negatives.map((n) => n.imageId).sort()).toEqual([...new Set([...before.negatives, ...before.noBox].map((x) => x.imageId))].sort());

    await g.wb.press('Control+z');
    await expect.poll(() => noBoxRows().count()).toBe(3);
    const undone = await stored();
    expect(undone.noBox.map((p) => p.id).sort()).toEqual(before.noBox.map((p) => p.id).sort());
    expect(undone.negatives).toEqual(before.negatives);
    expect(harness.errors).toEqual([]);
  });

  it('accept all above a confidence threshold: asks naming the count, per image or project, one undo step', async () => {
    await list.seedProposal('fruits.jpg', { id: 9301, phrase: 'the orange', visible: [10, 10, 60, 60], score: 0.95 });
    await list.seedProposal('home.jpg', { id: 9302, phrase: 'the door', visible: [20, 20, 80, 90], score: 0.9 });
    await list.seedProposal('home.jpg', { id: 9303, phrase: 'the lamp', visible: [5, 5, 30, 30], score: 0.5 });
    await expect.poll(() => g.queueCount.textContent()).toBe('10'); // 4 balls, 3 dogs (no box), 3 seeded
    const boxesBefore = (await harness.handlers['images:list']({})).reduce((n, i) => n + i.annotationCount, 0);

    // Sorted most confident first, the two above 0.85 lead the queue.
    await testId('queue-order').selectOption('confident');
    await expect.poll(async () => (await g.queueRows.locator('.phrase').allTextContents()).slice(0, 3)).toEqual(['the orange', 'the door', 'the lamp']);

    await g.wb.selectImage('home.jpg');
    await testId('btn-bulk-review').click();
    await testId('bulk-threshold').fill('0.85');
    await testId('bulk-scope-image').check();
    await expect.poll(() => text('btn-bulk-accept')).toBe('Accept 1…'); // this image: the door only
    await testId('bulk-scope-all').check();
    await expect.poll(() => text('btn-bulk-accept')).toBe('Accept 2…');
    await shoot(page(), 'bulk-review-dialog');
    await testId('btn-bulk-accept').click();
    await expect(text('confirm-text')).resolves.toBe('Accept 2 proposals with confidence ≥ 0.85 on all images? One undo step takes them all back.');
    await shoot(page(), 'bulk-accept-confirm');
    await testId('btn-confirm').click();
    await expect.poll(() => g.queueCount.textContent()).toBe('8');
    await g.wb.waitSaved();
    const accepted = await harness.handlers['proposals:list']({});
    expect(accepted.some((p) => p.id === 9301 || p.id === 9302)).toBe(false);
    expect((await harness.handlers['images:list']({})).reduce((n, i) => n + i.annotationCount, 0)).toBe(boxesBefore + 2);
    await g.wb.boxRows.first().waitFor(); // the door's box on the image on screen

    await g.wb.press('Control+z');
    await expect.poll(() => g.queueCount.textContent()).toBe('10');
    await g.wb.waitSaved();
    expect((await harness.handlers['proposals:list']({})).filter((p) => p.id >= 9301).map((p) => p.id).sort()).toEqual([9301, 9302, 9303]);
    expect((await harness.handlers['images:list']({})).reduce((n, i) => n + i.annotationCount, 0)).toBe(boxesBefore);
    expect(harness.errors).toEqual([]);
  });

  it('the queue filters by batch and phrase, and J walks only what it shows', async () => {
    const queue = await harness.handlers['proposals:list']({});
    const newestBatch = Math.max(...queue.map((p) => p.batchId ?? 0));
    await testId('queue-filter-phrase').selectOption('the ball');
    await expect.poll(() => g.queueRows.locator('.phrase').allTextContents()).toEqual(Array(4).fill('the ball'));
    await testId('queue-filter-phrase').selectOption('');
    await testId('queue-filter-batch').selectOption(String(newestBatch));
    const inBatch = queue.filter((p) => p.batchId === newestBatch);
    await expect.poll(() => g.queueRows.count()).toBe(inBatch.length);
    await testId('queue-filter-batch').selectOption('0'); // live queries: the seeded ones
    await expect.poll(() => g.queueRows.locator('.phrase').allTextContents()).toEqual(['the orange', 'the door', 'the lamp']);
    for (let i = 0; i < 3; i++) await g.wb.press('j');
    expect(await g.activeProposal()).toMatch(/^the (orange|door|lamp) @ /);
    await g.wb.press('j');
    await g.wb.notice.getByText('Last proposal').waitFor();
    await testId('queue-filter-clear').click();
    await expect.poll(() => g.queueRows.count()).toBe(10);
  });
});

describe('issue 18: progress and messages', () => {
  it('the batch shows its progress and ETA in the status bar while the dialog is closed; a click reopens it', async () => {
    server.configure({ durationMs: 500 });
    try {
      await g.wb.press('Control+b');
      await g.batchDialog.waitFor();
      await testId('batch-phrases').fill('the cat');
      await testId('scope-pick').check();
      await testId('batch-concurrency').fill('1');
      await testId('btn-start-batch').click();
      await page().locator('[data-testid="batch-progress"][data-state="running"]').waitFor();
      await g.closeBatch();
      const chip = page().locator('[data-testid="batch-chip"][data-state="running"]');
      await chip.waitFor();
      await expect(chip.locator('progress').count()).resolves.toBe(1);
      await expect.poll(() => text('batch-chip-text'), { timeout: 30_000 }).toMatch(/^Batch [1-3]\/4 · ETA \d+ s$/);
      await shoot(page(), 'batch-in-status-bar');
      await chip.click();
      await g.batchDialog.waitFor();
      await expect(text('batch-summary')).resolves.toMatch(/ items\/s · ETA /); // the rate is of items, not requests
      await page().locator('[data-testid="batch-progress"][data-state="done"]').waitFor({ timeout: 60_000 });
      await g.closeBatch();
      await expect(text('batch-chip-text')).resolves.toBe('Batch done 4/4');
    } finally {
      server.configure({ durationMs: null });
    }
  });

  it('the model chip says "retrying", not "Server error", while a retry runs', async () => {
    await server.down(6_000);
    await g.ground('the player');
    await testId('query-error').waitFor({ timeout: 30_000 });
    await page().locator('[data-testid="model-chip"][data-state="error"]').waitFor();
    await testId('btn-retry-after-error').click();
    await page().locator('[data-testid="model-chip"][data-state="retrying"]').getByText('Server · retrying…').waitFor();
    // The retry ends (an error again while the server is down, or the answer): the chip leaves "retrying".
    await page().locator('[data-testid="model-chip"]:not([data-state="retrying"])').waitFor({ timeout: 30_000 });
    await server.whenUp();
    if (await testId('query-error').isVisible()) await testId('btn-retry-after-error').click();
    await page().locator('[data-testid="model-chip"][data-state="ready"]').waitFor({ timeout: 30_000 });
    await testId('query-error').waitFor({ state: 'detached' });
  });

  it('a batch an earlier session left unfinished is announced when the project opens, with Resume', async () => {
    const file = join(tmp.dir, 'interrupted.egm');
    mkdirSync(join(tmp.dir, 'images'), { recursive: true });
    const store = openProjectStore(file, { create: true });
    store.addImages(FILES.slice(0, 2).map((name) => {
      copyFileSync(join(SAMPLES, name), join(tmp.dir, 'images', name));
      return { absolutePath: join(tmp.dir, 'images', name), width: 100, height: 100, orientation: 1 };
    }));
    const [img] = store.listImages();
    const b = createBatch(store, { phrases: ['the fruit'], imageIds: null, concurrency: 2 });
    finishItem(store, { batchId: b.id, imageId: img!.id, phrase: 'the fruit' }, 'done', 'no-box');
    store.close(); // stored state 'running': the app stopped while it ran

    harness.dialogs.openProject = file;
    await testId('btn-open').click();
    await page().locator('[data-testid="project-name"]', { hasText: 'interrupted' }).waitFor();
    await g.wb.notice.getByText(`Batch ${b.id} (“the fruit”) did not finish: 1 of 2 items left. Resume it from the status bar.`).waitFor();
    const chip = page().locator('[data-testid="batch-chip"][data-interrupted="true"]');
    await expect(chip.getByTestId('batch-chip-text').textContent()).resolves.toBe('Batch interrupted 1/2');
    await chip.click();
    await testId('batch-interrupted').getByText(`Batch ${b.id} (“the fruit”) did not finish: 1 of 2 items done. Resume asks the 1 left.`).waitFor();
    await expect(testId('btn-resume-batch').isDisabled()).resolves.toBe(false);
    await testId('btn-resume-batch').click();
    await page().locator('[data-testid="batch-progress"][data-state="done"]').waitFor({ timeout: 60_000 });
    await expect(text('batch-summary')).resolves.toMatch(/^2\/2 · 1 no box · done$/);
    await expect(testId('btn-resume-batch').isDisabled()).resolves.toBe(true);
    await g.closeBatch();
    expect(harness.errors).toEqual([]);
  });
});
