// Catalog model download through the model panel (issue 4 item 6): the built
// renderer in Chromium, window.egm bridged to the real handlers, whose
// environment points the catalog at a test catalog (EGM_CATALOG), the hub at a
// local fake hub serving the tiny generated EGM model at a paced rate
// (HF_ENDPOINT), and the models folder at a temp folder (EGM_MODELS_DIR).
// Pick "Catalog model", see the list (downloadable, needs export with its
// command), download, see the progress bar with rate and ETA, cancel, download
// again (resumes), and see the model installed, in use, loaded and healthy.
// Then a model published as safetensors only: its download bar, then its build bar.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeHub } from '../helpers/fake-hub-server';
import { filesOf, makeTinyCheckpoint, NO_VENV, PYTHON } from '../helpers/tiny-checkpoint';
import { tinyModelDir } from '../helpers/tiny-model';
import { startHarness, type Harness } from './harness';
import { GroundingPage } from './pages/grounding.page';

const REPO = 'test-org/tiny-egm-onnx';
const EXPORT_COMMAND = 'npx egm model build <EGM-8B checkpoint> --out <dir> --dtype q4f16';
const SHOTS = 'test-results/screenshots';
if (!PYTHON) console.warn(`model-download (build): SKIPPED, ${NO_VENV}`);

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

// A model published as safetensors only (status 'build', as nvidia/EGM-4B):
// the fake hub serves a tiny HF checkpoint in two shards; the row says it will
// be built here, and Download shows the checkpoint's bar, then the build's.
describe.skipIf(!PYTHON)('download + build of a safetensors-only catalog model in the model panel', () => {
  const BUILD_REPO = 'test-org/tiny-egm';
  let hub: FakeHub;
  let harness: Harness;
  let g: GroundingPage;
  let dir: string;
  let shards: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'egm-e2e-build-'));
    const checkpoint = join(dir, 'checkpoint');
    shards = await makeTinyCheckpoint(checkpoint, { shards: 2 });
    // ~74 MB at 12 MB/s: the download bar is seen moving for several seconds.
    hub = await FakeHub.start({ repos: { [BUILD_REPO]: await filesOf(checkpoint) }, bytesPerSecond: 12_000_000 });
    const catalogPath = join(dir, 'catalog.json');
    await writeFile(
      catalogPath,
      JSON.stringify({
        version: 1,
        models: [
          {
            id: BUILD_REPO, name: 'Tiny EGM (safetensors, test)', status: 'build', source: { repo: BUILD_REPO, revision: 'main' }, license: 'Apache-2.0', egmTuned: true,
            description: 'a tiny HF checkpoint built here', defaultDtype: 'q4f16', build: { dtypes: ['q4f16'] }, approxSourceSize: 74_000_000,
          },
        ],
      }),
    );
    harness = await startHarness({ env: { HF_ENDPOINT: hub.url, EGM_MODELS_DIR: join(dir, 'models'), EGM_CATALOG: catalogPath } });
    g = new GroundingPage(harness.page);
    await g.wb.openSample();
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
    await hub?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a failed download leaves the model in use; then the download bar, the build bar, and the built model loads', async () => {
    const page = g.page;
    // The model in use before: the tiny ONNX model, loaded and answering.
    const previous = await tinyModelDir();
    harness.dialogs.pickModelFolder = previous;
    await g.useLocalModel();
    await g.waitModelReady();
    await page.getByTestId('backend-catalog').check();
    await page.getByTestId('model-device').selectOption('cpu');
    const row = page.locator(`[data-testid="catalog-row"][data-id="${BUILD_REPO}"]`);
    await expect(row.getAttribute('data-state')).resolves.toBe('download');
    await expect(row.getByTestId('build-hint').textContent()).resolves.toBe('Published as safetensors only: Download fetches 74.0 MB and builds the ONNX model on this computer (minutes).');

    // The hub lacks the first shard: one line, nothing installed, the previous model still ready and answering.
    hub.fail(BUILD_REPO, shards[0]!, { kind: 'status', status: 404 });
    await row.getByTestId('btn-download').click();
    await page.getByTestId('catalog-error').getByText(new RegExp(`${BUILD_REPO} \\(q4f16\\): ${shards[0]}: HTTP 404 from 127\\.0\\.0\\.1:\\d+$`)).waitFor();
    await row.getByTestId('btn-download').waitFor();
    expect(await page.locator('[data-testid="model-status"][data-state="ready"]').count()).toBe(1);
    await page.getByTestId('btn-health').click();
    await page.getByTestId('health-result').getByText(/^OK/).waitFor();
    expect((await harness.handlers['model:getSettings']({})).model).toMatchObject({ backend: 'local', modelDir: previous });
    await mkdir(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/model-build-failed.png` });

    // The build of this tiny model can end between two looks at the page (its conversion runs in workers):
    // every state of the row while it builds is recorded in the page as it happens, and checked after.
    await page.evaluate(`(() => {
      window.__buildSeen = [];
      const take = () => {
        const el = document.querySelector('[data-testid="catalog-row"][data-id="${BUILD_REPO}"]');
        if (!el || !el.querySelector('[data-testid="download-progress"][data-phase="build"]')) return;
        const text = (id) => el.querySelector('[data-testid="' + id + '"]')?.textContent ?? null;
        window.__buildSeen.push({ state: text('catalog-state'), download: text('download-figures'), build: text('build-figures'), step: text('build-step'), bar: el.querySelector('[data-testid="download-bar"]')?.getAttribute('value') ?? null });
      };
      new MutationObserver(take).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    })()`);
    await row.getByTestId('btn-download').click();
    // Downloading: the first bar moves with rate and ETA; the build bar waits.
    await row.locator('[data-testid="download-figures"]', { hasText: /^\d+% · .* MB\/s · ETA \d+:\d\d$/ }).waitFor();
    await expect(row.getByTestId('build-figures').textContent()).resolves.toBe('After the download');
    await page.screenshot({ path: `${SHOTS}/model-build-downloading.png` });

    // Built and installed: in use, and it loads.
    await page.locator(`[data-testid="catalog-row"][data-id="${BUILD_REPO}"][data-state="installed"]`).waitFor({ timeout: 120_000 });
    // While it was building: the first bar full, the second one moving, with what is being built.
    const building = (await page.evaluate('window.__buildSeen')) as Record<string, string | null>[];
    expect(building.length, 'the build bar was shown').toBeGreaterThan(0);
    for (const look of building) {
      expect(look.state).toBe('building…');
      expect(look.download).toMatch(/^Downloaded · \d+(\.\d+)? MB$/);
      expect(Number(look.bar)).toBe(1);
    }
    expect(building.some((look) => /^\d+% · .* \/ .* · .*\/s · ETA /.test(look.build ?? '')), JSON.stringify(building.map((l) => l.build))).toBe(true);
    expect(building.some((look) => /^building \w+ \(q4f16\)$/.test(look.step ?? '')), JSON.stringify(building.map((l) => l.step))).toBe(true);
    await expect(row.getByTestId('catalog-state').textContent()).resolves.toBe('in use');
    await g.waitModelReady();
    const settings = await harness.handlers['model:getSettings']({});
    expect(settings.model).toEqual({ backend: 'local', modelDir: join(dir, 'models', 'test-org--tiny-egm'), device: 'cpu', dtype: 'q4f16' });
    expect(harness.errors).toEqual([]);
  }, 240_000);
});
