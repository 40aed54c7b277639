// Launches the BUILT app in real Electron (Playwright's _electron) and checks
// the wiring the Chromium harness cannot: preload, custom protocols, the
// sandbox/contextIsolation settings, the sample project on first launch.
// Runs only where the Electron binary exists and a display is available; else
// it skips itself and prints why. The binary's presence is checked through the
// electron package's path.txt, never by loading the electron module, which would try to
// download it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EgmApi } from '@ipc/contract';

declare const window: { egm: EgmApi; require?: unknown; process?: unknown; open(url: string): unknown };
declare const document: unknown;

const REPO = resolve(import.meta.dirname, '..', '..');

function electronBinary(): { path?: string; reason?: string } {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(join(REPO, 'package.json')).resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return { reason: `the Electron binary was never downloaded (${pathFile} is missing; \`node node_modules/electron/install.js\` needs internet)` };
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { reason: `the Electron binary ${binary} is missing` };
  return { path: binary };
}

function skipReason(): string | undefined {
  const binary = electronBinary();
  if (binary.reason) return binary.reason;
  if (!existsSync(join(REPO, 'dist', 'main', 'main.mjs'))) return 'the app is not built (run `npm run build`)';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display on this Linux machine (run under xvfb-run)';
  return undefined;
}

const reason = skipReason();
if (reason) console.warn(`electron-launch.test.ts: skipped: ${reason}`);

describe.skipIf(Boolean(reason))('the built Electron app', () => {
  let app: ElectronApplication;
  let page: Page;
  let userData: string;

  beforeAll(async () => {
    // Same preparation as `npm start`: a better-sqlite3 build for Electron's ABI.
    const prepared = spawnSync(process.execPath, [join(REPO, 'scripts', 'start.mjs'), '--prepare-only'], { cwd: REPO, encoding: 'utf8' });
    if (prepared.status !== 0) throw new Error(`start.mjs --prepare-only failed: ${prepared.stderr.trim().split('\n').at(-1)}`);
    const { electronBinary: executablePath, sqliteBinding } = JSON.parse(prepared.stdout.trim().split('\n').at(-1)!) as { electronBinary: string; sqliteBinding: string };
    userData = await mkdtemp(join(tmpdir(), 'egm-electron-userdata-'));
    app = await electron.launch({
      executablePath,
      args: ['.'],
      cwd: REPO,
      env: { ...process.env, EGM_SQLITE_BINDING: sqliteBinding, EGM_USER_DATA_DIR: userData } as Record<string, string>,
    });
    page = await app.firstWindow();
    await page.waitForFunction(() => typeof window.egm === 'object');
  });

  afterAll(async () => {
    await app?.close();
    if (userData) await rm(userData, { recursive: true, force: true });
  });

  it('loads the renderer from the app protocol with the preload API and no Node', async () => {
    expect(page.url()).toBe('egm-app://app/index.html');
    const surface = await page.evaluate(() => ({
      methods: Object.keys(window.egm).length,
      require: typeof window.require,
      process: typeof window.process,
    }));
    expect(surface).toEqual({ methods: expect.any(Number), require: 'undefined', process: 'undefined' });
    expect(surface.methods).toBeGreaterThan(20);
  });

  it('opens the sample project on first launch and serves its images by id', async () => {
    const result = await page.evaluate(async () => {
      const info = await window.egm['project:info']({});
      const images = await window.egm['images:list']({});
      const response = await fetch(window.egm.imageUrl(info!.token, images[0]!.id));
      const missing = await fetch(window.egm.imageUrl(info!.token, 99999));
      return { imageCount: info?.imageCount, status: response.status, type: response.headers.get('content-type'), missing: missing.status };
    });
    expect(result).toMatchObject({ imageCount: 9, status: 200, missing: 404 });
    expect(result.type).toMatch(/^image\//);
  });

  it('denies new windows and navigation away from the app', async () => {
    expect(await page.evaluate(() => window.open('https://example.com') === null)).toBe(true);
    await page.evaluate(() => {
      (document as unknown as { location: { href: string } }).location.href = 'https://example.com/';
    });
    // A navigation that went ahead would destroy this context and fail the evaluate.
    expect(await page.evaluate(() => (document as unknown as { location: { href: string } }).location.href)).toBe('egm-app://app/index.html');
    expect(app.windows().length).toBe(1);
  });

  it('rejects invalid payloads in the main process with a one-line message', async () => {
    const message = await page.evaluate(() => window.egm['images:setStatus']({ id: 0, status: 'done' }).then(() => 'resolved', (err: Error) => err.message));
    expect(message).toMatch(/^images:setStatus: invalid request: id: /);
  });
});
