// Catalog model download through the model panel (issue 4 item 6): the built
// renderer in Chromium, window.egm bridged to the real handlers, whose
// environment points the catalog at a test catalog (EGM_CATALOG), the hub at a
// local fake hub serving the tiny generated EGM model at a paced rate
// (HF_ENDPOINT), and the models folder at a temp folder (EGM_MODELS_DIR).
// Pick "Catalog model", see the list (downloadable, needs export with its
// command), download, see the progress bar with rate and ETA, cancel, download
// again (resumes), and see the model installed, in use, loaded and healthy.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeHub } from '../helpers/fake-hub-server';
import { tinyModelDir } from '../helpers/tiny-model';
import { startHarness, type Harness } from './harness';
import { GroundingPage } from './pages/grounding.page';

const REPO = 'test-org/tiny-egm-onnx';
const EXPORT_COMMAND = 'python models/export/export_egm_onnx.py --model nvidia/EGM-8B --dtypes fp16,q4f16 --parity';
const SHOTS = 'test-results/screenshots';

describe('catalog model download in the model panel', () => {
  let hub: FakeHub;
  let harness: Harness;
  let g: GroundingPage;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'egm-e2e-download-'));
    const modelDir = await tinyModelDir();
    const files: Record<string, Buffer> = {};
    for (const e of await readdir(modelDir, { recursive: true, withFileTypes: true })) {
      if (e.isFile()) files[relative(modelDir, join(e.parentPath, e.name)).split('\\').join('/')] = await readFile(join(e.parentPath, e.name));
    }
    // ~11.4 MB at 1.5 MB/s: several seconds, long enough to watch (even on a busy machine) and to cancel.
    hub = await FakeHub.start({ repos: { [REPO]: files }, bytesPerSecond: 1_500_000 });
    const catalogPath = join(dir, 'catalog.json');
    await writeFile(
      catalogPath,
      JSON.stringify({
        version: 1,
        models: [
          {
            id: REPO, name: 'Tiny EGM (test)', status: 'ready', source: { repo: REPO, revision: 'main' }, license: 'Apache-2.0', egmTuned: true,
            description: 'the tiny generated EGM model', defaultDtype: 'fp32',
            dtypes: { fp32: { files: Object.entries(files).map(([path, b]) => ({ path, approxSize: b.length })) } },
          },
          {
            id: 'nvidia/EGM-8B', name: 'EGM-8B', status: 'needs export', source: { repo: 'nvidia/EGM-8B', revision: 'main' }, license: 'Apache-2.0', egmTuned: true,
            description: 'safetensors only', exportCommand: EXPORT_COMMAND, approxSourceSize: 17_500_000_000,
          },
        ],
      }),
    );
    harness = await startHarness({ env: { HF_ENDPOINT: hub.url, EGM_MODELS_DIR: join(dir, 'models'), EGM_CATALOG: catalogPath } });
    g = new GroundingPage(harness.page);
    await g.wb.openSample();
  });
  afterAll(async () => {
    await harness?.close(); // also ends the model host
    await hub?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists the catalog, downloads with a progress bar (cancel, resume), and the model loads', async () => {
    const page = g.page;
    await g.openModelPanel();
    await page.getByTestId('backend-catalog').check();
    await page.getByTestId('model-device').selectOption('cpu');
    const tiny = page.locator(`[data-testid="catalog-row"][data-id="${REPO}"]`);
    const egm8b = page.locator('[data-testid="catalog-row"][data-id="nvidia/EGM-8B"]');
    await expect(tiny.getAttribute('data-state')).resolves.toBe('download');
    await expect(egm8b.getAttribute('data-state')).resolves.toBe('needs export');
    await expect(egm8b.getByTestId('export-hint').textContent()).resolves.toContain(EXPORT_COMMAND);
    expect(await egm8b.getByTestId('btn-download').count()).toBe(0);

    // Start, watch it move, cancel: the row offers Download again and says why it stopped.
    await tiny.getByTestId('btn-download').click();
    await tiny.locator('[data-testid="download-figures"]', { hasText: /MB\/s/ }).waitFor();
    await page.getByTestId('btn-cancel-download').click();
    await page.getByTestId('catalog-error').getByText(`download of ${REPO} cancelled`).waitFor();
    await tiny.getByTestId('btn-download').waitFor();

    // Again: it resumes; the bar fills with rate and ETA shown.
    await tiny.getByTestId('btn-download').click();
    await tiny.locator('[data-testid="download-figures"]', { hasText: /^\d+% · .* MB\/s · ETA \d+:\d\d$/ }).waitFor();
    const value = Number(await tiny.getByTestId('download-bar').getAttribute('value'));
    expect(value).toBeGreaterThan(0);
    expect(value).toBeLessThan(1);
    await mkdir(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/model-download.png` });

    // Done: installed and in use, the status follows the load to ready, and it answers.
    await page.locator(`[data-testid="catalog-row"][data-id="${REPO}"][data-state="installed"]`).waitFor({ timeout: 60_000 });
    await expect(tiny.getByTestId('catalog-state').textContent()).resolves.toBe('in use');
    expect(await page.getByTestId('download-progress').count()).toBe(0);
    await g.waitModelReady();
    await expect(page.getByTestId('model-device-status').textContent()).resolves.toBe('local: cpu');
    await page.getByTestId('btn-health').click();
    await page.getByTestId('health-result').getByText(/^OK/).waitFor();
    await page.screenshot({ path: `${SHOTS}/model-download-ready.png` });

    const settings = await harness.handlers['model:getSettings']({});
    expect(settings.model).toEqual({ backend: 'local', modelDir: join(dir, 'models', 'test-org--tiny-egm-onnx'), device: 'cpu', dtype: 'fp32' });
    expect(hub.requests.some((r) => r.range)).toBe(true); // the second try resumed the partial file
    expect(harness.errors).toEqual([]);
  });
});
