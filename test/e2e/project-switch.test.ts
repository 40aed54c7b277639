// Issue 16, items 1 and 3: what one project showed or queued never reaches
// another. Project A and project B have images with the SAME ids (1, 2, 3)
// but different pictures; after New and Add images the rows and the canvas
// must show B's pictures (read back as pixels from the page), not what
// Chromium decoded for A's ids. Screenshots: test-results/screenshots/switch-*.png.
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';
import { canvasCentre, near, solidPngs, thumbColours, type Rgb } from './pages/pixels';
import { WorkbenchPage } from './pages/workbench.page';

const SHOTS = 'test-results/screenshots';
const A: Record<string, Rgb> = { 'a1.png': [220, 30, 30], 'a2.png': [30, 200, 40], 'a3.png': [30, 40, 220] };
const B: Record<string, Rgb> = { 'b1.png': [240, 220, 20], 'b2.png': [230, 30, 220], 'b3.png': [20, 220, 230] };

let harness: Harness;
let wb: WorkbenchPage;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egm-e2e-switch-'));
  mkdirSync(SHOTS, { recursive: true });
  harness = await startHarness();
  wb = new WorkbenchPage(harness.page);
});
afterAll(async () => {
  await harness?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

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
});
