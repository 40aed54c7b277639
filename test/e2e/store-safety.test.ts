// Issue 8 in the UI (findings 2 and 13): the built renderer in Chromium over
// the real handler table.
// - A project in a read-only folder opens read-only: a banner says why, the
//   image row's × is disabled (Shift+Delete: a one-line notice), and
//   an edit is refused in the UI instead of failing to save.
// - An edit that cannot be saved (another process holds the project's write
//   lock past the wait limit) stays in the UI with Retry, and holds a reload
//   (beforeunload) until it is saved.
// Screenshots: test-results/screenshots/store-*.png.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addImagesToStore } from '../../electron/images/collect';
import { openProjectStore } from '../../electron/store/project-store';
import { startHarness, type Harness } from './harness';
import { lockFolder, unlockFolder } from './pages/read-only-folder';
import { WorkbenchPage } from './pages/workbench.page';

const ROOT = join(import.meta.dirname, '..', '..');
const SAMPLES = join(ROOT, 'assets', 'samples');
const HOLDER = join(ROOT, 'test', 'helpers', 'store-lock-holder.ts');
const SHOTS = 'test-results/screenshots';
const MESSI: [number, number] = [548, 342];

let harness: Harness;
let wb: WorkbenchPage;
let outDir: string;
let readOnlyFolder: string | null = null;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'egm-e2e-store-'));
  mkdirSync(SHOTS, { recursive: true });
  harness = await startHarness();
  wb = new WorkbenchPage(harness.page);
});
afterAll(async () => {
  await harness?.close();
  if (readOnlyFolder) unlockFolder(readOnlyFolder);
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('store safety in the UI', () => {
  it('opens a project in a read-only folder read-only, with a banner, and takes no edits', async (ctx) => {
    const folder = join(outDir, 'read-only');
    mkdirSync(folder);
    copyFileSync(join(SAMPLES, 'messi5.jpg'), join(folder, 'messi5.jpg'));
    const file = join(folder, 'project.egm');
    const store = openProjectStore(file, { create: true });
    await addImagesToStore(store, [join(folder, 'messi5.jpg')]);
    store.close();
    if (!lockFolder(folder)) ctx.skip('cannot make a folder read-only here (root without chattr +i)');
    readOnlyFolder = folder;

    harness.dialogs.openProject = file;
    await harness.page.getByTestId('btn-open').click();
    await expect.poll(() => harness.page.getByTestId('project-name').textContent()).toBe('project');
    await wb.waitReady();
    const banner = harness.page.getByTestId('readonly-banner');
    await banner.waitFor();
    await expect(banner.textContent()).resolves.toContain(`Read-only project: its folder ${folder} is read-only.`);

    await wb.useTool('visible');
    await wb.dragImage(MESSI, [200, 60], [330, 300]);
    await wb.notice.getByText('not done, the project is read-only').waitFor();
    await expect(wb.boxRows.count()).resolves.toBe(0);
    await expect(harness.page.getByTestId('error-banner').count()).resolves.toBe(0);
    await harness.page.screenshot({ path: `${SHOTS}/store-read-only.png` });

    // Removing the image: the row's × is disabled and says why; Shift+Delete gives the notice, not the question.
    const remove = wb.imageRow('messi5.jpg').getByTestId('btn-remove-image');
    await expect(remove.isDisabled()).resolves.toBe(true);
    await expect(remove.getAttribute('title')).resolves.toBe('Remove image: not done, the project is read-only');
    await wb.press('Shift+Delete');
    await wb.notice.getByText('Remove image: not done, the project is read-only').waitFor();
    await expect(harness.page.getByTestId('confirm-dialog').count()).resolves.toBe(0);
    await expect(wb.imageRow('messi5.jpg').count()).resolves.toBe(1);
    expect(harness.errors).toEqual([]);
  });

  it('keeps an edit another process\'s lock kept from saving, holds a reload, and saves it on Retry', async () => {
    const sample = await harness.page.evaluate(`window.egm['project:sample']({})`);
    expect(sample).toBeTruthy();
    await harness.page.reload();
    await wb.waitReady();
    await wb.selectImage('messi5.jpg');
    const before = await wb.boxRows.count();

    // Another process (named "egm import") holds the write lock longer than the app's 5 s wait.
    const path = harness.session.current!.path;
    const holder = spawn(process.execPath, ['--import', 'tsx', HOLDER, path, '9000', 'egm import'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => holder.on('exit', resolve));
    await new Promise<void>((resolve) => holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve()));

    await wb.useTool('visible');
    await wb.dragImage(MESSI, [200, 60], [330, 300]);
    const banner = harness.page.getByTestId('error-banner');
    await banner.getByText(/project is busy: still locked by egm import \(pid \d+\) after waiting 5 s/).waitFor({ timeout: 20_000 });
    await expect(wb.boxRows.count()).resolves.toBe(before + 1); // the edit stays on screen
    await expect(wb.saveIndicator.getAttribute('data-status')).resolves.toBe('error');
    await harness.page.screenshot({ path: `${SHOTS}/store-unsaved.png` });

    // A reload is held while the edit is unsaved: Chromium asks (beforeunload); staying keeps everything.
    const dialogs: string[] = [];
    harness.page.once('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.dismiss();
    });
    await harness.page.reload({ timeout: 3000 }).catch(() => undefined);
    await expect.poll(() => dialogs).toEqual(['beforeunload']);
    await expect(wb.boxRows.count()).resolves.toBe(before + 1);
    await expect(banner.getByTestId('btn-retry').isVisible()).resolves.toBe(true);

    // Once the other process is done, Retry saves it, and a reload goes through without asking.
    await exited;
    await banner.getByTestId('btn-retry').click();
    await wb.waitSaved();
    const stored = await harness.page.evaluate(`(async () => {
      const images = await window.egm['images:list']({});
      const messi = images.find((i) => i.fileName === 'messi5.jpg');
      return (await window.egm['annotations:list']({ imageId: messi.id })).length;
    })()`);
    expect(stored).toBe(before + 1);
    harness.page.once('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    });
    await harness.page.reload();
    await wb.waitReady();
    expect(dialogs).toEqual(['beforeunload']);
    expect(harness.errors).toEqual([]);
  });
});
