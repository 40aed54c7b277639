// Issue 16, items 1 and 3: what one project showed or queued never reaches
// another. Project A and project B have images with the SAME ids (1, 2, 3)
// but different pictures; after New and Add images the rows and the canvas
// must show B's pictures (read back as pixels from the page), not what
// Chromium decoded for A's ids. An edit not saved in one project is never
// written into the next: opening another asks first, and a save refused in
// a read-only project leaves nothing behind to Retry elsewhere.
// Screenshots: test-results/screenshots/switch-*.png.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Proposal } from '@core/types';
import { addImagesToStore } from '../../electron/images/collect';
import { openProjectStore } from '../../electron/store/project-store';
import { listProposals, restoreProposal } from '../../electron/store/proposals';
import { startHarness, type Harness } from './harness';
import { GroundingPage } from './pages/grounding.page';
import { lockFolder, unlockFolder } from './pages/read-only-folder';
import { canvasCentre, near, solidPngs, thumbColours, type Rgb } from './pages/pixels';
import { WorkbenchPage } from './pages/workbench.page';

const ROOT = join(import.meta.dirname, '..', '..');
const SAMPLES = join(ROOT, 'assets', 'samples');
const HOLDER = join(ROOT, 'test', 'helpers', 'store-lock-holder.ts');
const SHOTS = 'test-results/screenshots';
const MESSI: [number, number] = [548, 342];
const A: Record<string, Rgb> = { 'a1.png': [220, 30, 30], 'a2.png': [30, 200, 40], 'a3.png': [30, 40, 220] };
const B: Record<string, Rgb> = { 'b1.png': [240, 220, 20], 'b2.png': [230, 30, 220], 'b3.png': [20, 220, 230] };

let harness: Harness;
let wb: WorkbenchPage;
let dir: string;
let readOnly: string | null = null;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egm-e2e-switch-'));
  mkdirSync(SHOTS, { recursive: true });
  harness = await startHarness();
  wb = new WorkbenchPage(harness.page);
});
afterAll(async () => {
  await harness?.close();
  if (readOnly) unlockFolder(readOnly);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A project in `folder` with a copy of messi5.jpg (image 1), and optionally proposal 14 waiting on it. */
async function messiProject(folder: string, withProposal: boolean): Promise<string> {
  mkdirSync(folder, { recursive: true });
  copyFileSync(join(SAMPLES, 'messi5.jpg'), join(folder, 'messi5.jpg'));
  const file = join(folder, `${folder.split('/').pop()}.egm`);
  const store = openProjectStore(file, { create: true });
  await addImagesToStore(store, [join(folder, 'messi5.jpg')]);
  const imageId = store.listImages()[0]!.id;
  if (withProposal) restoreProposal(store, proposal14(imageId));
  store.close();
  return file;
}

function proposal14(imageId: number): Proposal {
  return {
    id: 14, imageId, phrase: 'the ball', visible: [440, 270, 500, 330], amodal: null, reasoningVisible: '', reasoningAmodal: '',
    model: 'seeded', score: null, point: null, pointHit: null, reason: null, latencyMs: 10, batchId: null, createdAt: Date.now(),
  };
}

/** Two messi projects (in folders `first` and `second`), the first opened with Ctrl+O. */
async function openFirstOfTwo(first: string, second: string): Promise<[string, string]> {
  const a = await messiProject(join(dir, first), false);
  const b = await messiProject(join(dir, second), false);
  await pressOpen(a);
  await expect.poll(() => harness.session.current?.path).toBe(a);
  await wb.waitReady();
  return [a, b];
}

/** Ctrl+O with the open dialog answering `file`. */
async function pressOpen(file: string): Promise<void> {
  harness.dialogs.openProject = file;
  await wb.press('Control+o');
}

/** What a project file holds, read with the store in this process (the app has another project open). */
function storedIn(file: string): { annotations: string[]; proposals: number[] } {
  const store = openProjectStore(file);
  try {
    const imageId = store.listImages()[0]!.id;
    return { annotations: store.listAnnotations(imageId).map((a) => a.phrase), proposals: listProposals(store).map((p) => p.id) };
  } finally {
    store.close();
  }
}

/** New project at `file` (toolbar New, or the welcome screen's), then Add images `files`; waits for their rows. */
async function newProjectWith(file: string, files: string[], button: 'welcome-create' | 'btn-new'): Promise<void> {
  harness.dialogs.createProject = file;
  await harness.page.getByTestId(button).click();
  await expect.poll(() => harness.session.current?.path).toBe(file);
  await wb.waitReady();
  harness.dialogs.pickImages = files;
  await harness.page.getByTestId('btn-add-images').click();
  await expect.poll(() => wb.page.getByTestId('image-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-file')))).toEqual(files.map((f) => f.split('/').pop()));
  await wb.waitReady();
}

describe('issue 16: switching project', () => {
  it('shows the new project’s pictures in the rows and on the canvas, not the old one’s for the same ids', async () => {
    const a = await solidPngs(dir, A);
    const b = await solidPngs(dir, B);
    await newProjectWith(join(dir, 'A.egm'), Object.values(a), 'welcome-create');
    const idsA = (harness.session.current!.listImages()).map((i) => i.id);
    await expect.poll(() => thumbColours(harness.page).then((c) => c.every((x, i) => near(x, Object.values(A)[i]!))), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => canvasCentre(harness.page).then((c) => near(c, A['a1.png']!)), { timeout: 10_000 }).toBe(true);

    await newProjectWith(join(dir, 'B.egm'), Object.values(b), 'btn-new');
    // The same ids as A's: the case where a URL by id alone showed A's pictures.
    expect(harness.session.current!.listImages().map((i) => i.id)).toEqual(idsA);
    const want = Object.values(B);
    await expect
      .poll(async () => (await thumbColours(harness.page)).map((c, i) => near(c, want[i]!)), { timeout: 10_000 })
      .toEqual([true, true, true]);
    await expect.poll(() => canvasCentre(harness.page).then((c) => near(c, B['b1.png']!)), { timeout: 10_000 }).toBe(true);
    // Each row, selected, puts its own picture on the canvas.
    for (const [name, colour] of Object.entries(B)) {
      await wb.selectImage(name);
      await expect.poll(() => canvasCentre(harness.page).then((c) => near(c, colour)), { timeout: 10_000 }).toBe(true);
    }
    await harness.page.screenshot({ path: `${SHOTS}/switch-new-project.png` });
    expect(harness.errors).toEqual([]);
  });

  it('asks before opening another project while an edit is not saved, and never writes it into that project', async () => {
    const [a, b] = await openFirstOfTwo('busy-a', 'other-b');

    // Another process holds A's write lock past the app's 5 s wait: the box drawn now is not saved.
    const holder = spawn(process.execPath, ['--import', 'tsx', HOLDER, a, '9000', 'egm import'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => holder.on('exit', resolve));
    await new Promise<void>((resolve) => holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve()));
    await wb.useTool('visible');
    await wb.dragImage(MESSI, [200, 60], [330, 300]);
    await wb.errorBanner.getByText(/project is busy: still locked by egm import/).waitFor({ timeout: 20_000 });

    // Ctrl+O asks, naming the edit and why it waits; Cancel keeps everything as it was.
    await pressOpen(b);
    const dialog = harness.page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    await expect(harness.page.getByTestId('confirm-text').textContent()).resolves.toMatch(/^1 edit in busy-a is not saved \(.*project is busy.*\)\. Open another project anyway and lose it\?$/);
    await harness.page.screenshot({ path: `${SHOTS}/switch-unsaved-ask.png` });
    await harness.page.getByTestId('btn-confirm-cancel').click();
    await expect(dialog.count()).resolves.toBe(0);
    expect(harness.session.current?.path).toBe(a);
    await expect(wb.boxRows.count()).resolves.toBe(1);
    await expect(harness.page.getByTestId('btn-retry').isVisible()).resolves.toBe(true);

    // Confirmed: B opens, nothing waits to be saved, and the box is written nowhere.
    await pressOpen(b);
    await dialog.waitFor();
    await harness.page.getByTestId('btn-confirm').click();
    await expect.poll(() => harness.session.current?.path).toBe(b);
    await wb.waitReady();
    await wb.waitSaved();
    await expect(harness.page.getByTestId('btn-retry').count()).resolves.toBe(0);
    await expect(wb.boxRows.count()).resolves.toBe(0);
    await exited;
    expect(storedIn(b).annotations).toEqual([]);
    expect(storedIn(a).annotations).toEqual(['held']); // only what the other process wrote
    expect(harness.errors).toEqual([]);
  });

  it('takes back an accept a read-only project refuses, so nothing is left to reach the project opened next', async (ctx) => {
    const folder = join(dir, 'read-only');
    const ro = await messiProject(folder, true);
    const other = await messiProject(join(dir, 'next'), true);
    if (!lockFolder(folder)) ctx.skip('cannot make a folder read-only here (root without chattr +i)');
    readOnly = folder;
    await pressOpen(ro);
    await harness.page.getByTestId('readonly-banner').waitFor();
    await wb.waitReady();
    await harness.page.getByTestId('queue-row').first().waitFor();

    // Enter accepts proposal 14: the store refuses (read-only); the proposal is back in the queue, nothing waits for Retry.
    await wb.press('j');
    await wb.press('Enter');
    const refused = harness.page.getByTestId('refused-save');
    await refused.waitFor();
    await expect(refused.textContent()).resolves.toMatch(/^Accept proposal was not saved and is undone: .*read-only/);
    await expect(harness.page.getByTestId('queue-row').count()).resolves.toBe(1);
    await expect(harness.page.getByTestId('btn-retry').count()).resolves.toBe(0);
    await harness.page.screenshot({ path: `${SHOTS}/switch-read-only-refused.png` });

    // Ctrl+O opens the other project (nothing unsaved to ask about); its proposal 14 stays as it was.
    await pressOpen(other);
    await expect.poll(() => harness.session.current?.path).toBe(other);
    await wb.waitReady();
    await expect(harness.page.getByTestId('btn-retry').count()).resolves.toBe(0);
    await wb.waitSaved();
    expect(storedIn(other)).toEqual({ annotations: [], proposals: [14] });
    expect(harness.errors).toEqual([]);
  });

  it('leaves a failed query and its Retry with the project it was asked in', async () => {
    const [, b] = await openFirstOfTwo('query-a', 'query-b');
    const g = new GroundingPage(harness.page);
    await g.useServerThatGoesDown();
    await g.placePoint(MESSI, [470, 300]);
    await g.ground('the ball');
    const error = harness.page.getByTestId('query-error');
    await error.getByText(/^Grounding "the ball" failed/).waitFor({ timeout: 60_000 });
    await harness.page.getByTestId('btn-retry-after-error').waitFor();

    // Another project opens: the failure is not shown there, and no Retry can ask A's phrase and point on B's image 1.
    await pressOpen(b);
    await expect.poll(() => harness.session.current?.path).toBe(b);
    await wb.waitReady();
    await expect(error.count()).resolves.toBe(0);
    await expect(harness.page.getByTestId('btn-retry-after-error').count()).resolves.toBe(0);
    await harness.page.screenshot({ path: `${SHOTS}/switch-query-error-gone.png` });
    expect(storedIn(b).proposals).toEqual([]);
    expect(harness.errors).toEqual([]);
  });
});
