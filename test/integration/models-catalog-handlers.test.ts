// model:catalog / model:download / model:cancelDownload through the real
// handler table (invokeHandler, zod validation, one-line errors), with the
// environment the app reads (HF_ENDPOINT, EGM_MODELS_DIR, EGM_CATALOG) pointing
// at a fake hub over real HTTP that serves the tiny generated EGM model. The
// downloaded folder becomes the local model and really loads in the model host.
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogModelInfo, ModelDownloadProgress, ModelStatus } from '@core/types';
import { createHandlers, disposeHandlers, invokeHandler } from '../../electron/handlers';
import type { EventMap, IpcEvent, IpcHandlers, IpcResponse } from '@ipc/contract';
import { FakeHub } from '../helpers/fake-hub-server';
import { tinyModelDir } from '../helpers/tiny-model';

const REPO = 'test-org/tiny-egm-onnx';
const NEEDS_EXPORT = 'nvidia/EGM-8B';
const EXPORT_COMMAND = 'npx egm model build <EGM-8B checkpoint> --out <dir> --dtype fp16';

let root: string;
let files: Record<string, Buffer>;
let catalogPath: string;

/** Every file of the tiny model folder, by its path inside the folder. */
async function readTree(dir: string): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    out[relative(dir, full).split('\\').join('/')] = await readFile(full);
  }
  return out;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'egm-catalog-handlers-'));
  files = await readTree(await tinyModelDir());
  catalogPath = join(root, 'catalog.json');
  await writeFile(
    catalogPath,
    JSON.stringify({
      version: 1,
      models: [
        {
          id: REPO,
          name: 'Tiny EGM (test)',
          status: 'ready',
          source: { repo: REPO, revision: 'main' },
          license: 'Apache-2.0',
          egmTuned: true,
          description: 'the tiny generated EGM model',
          defaultDtype: 'fp32',
          dtypes: { fp32: { files: Object.entries(files).map(([path, b]) => ({ path, approxSize: b.length })) } },
        },
        { id: NEEDS_EXPORT, name: 'EGM-8B', status: 'needs export', source: { repo: NEEDS_EXPORT, revision: 'main' }, license: 'Apache-2.0', egmTuned: true, description: 'safetensors only', exportCommand: EXPORT_COMMAND, approxSourceSize: 17_500_000_000 },
      ],
    }),
  );
}, 120_000);
afterAll(() => rm(root, { recursive: true, force: true }));

interface Table {
  handlers: IpcHandlers;
  events: { event: IpcEvent; payload: EventMap[IpcEvent] }[];
  /** Called after each emitted event (waitFor re-checks on them). */
  onEvent: Set<() => void>;
  modelsDir: string;
  call(method: string, request?: unknown): ReturnType<typeof invokeHandler>;
  ok<T>(method: string, request?: unknown): Promise<T>;
}

const tables: IpcHandlers[] = [];
afterEach(async () => {
  for (const handlers of tables.splice(0)) await disposeHandlers(handlers); // ends the model host, closes the project
});

function makeTable(hub: FakeHub, name: string): Table {
  const dir = join(root, name);
  const modelsDir = join(dir, 'models');
  const events: Table['events'] = [];
  const onEvent = new Set<() => void>();
  const handlers = createHandlers({
    dialogs: { openProject: async () => null, createProject: async () => null, pickImages: async () => [], saveCoco: async () => null, openCoco: async () => null },
    emit: (event, payload) => {
      events.push({ event, payload });
      for (const recheck of [...onEvent]) recheck();
    },
    samplesDir: join(dir, 'samples'),
    userDataDir: join(dir, 'userData'),
    env: { HF_ENDPOINT: hub.url, EGM_MODELS_DIR: modelsDir, EGM_CATALOG: catalogPath },
  });
  tables.push(handlers);
  const call = (method: string, request?: unknown) => invokeHandler(handlers, method, request);
  return {
    handlers,
    events,
    onEvent,
    modelsDir,
    call,
    ok: async <T,>(method: string, request?: unknown) => {
      const r = await call(method, request);
      if (!r.ok) throw new Error(`expected ${method} to succeed: ${r.error}`);
      return r.value as T;
    },
  };
}

/** Resolves with check's first non-null value over the events emitted so far, re-checked at each new event; fails naming `what` after timeoutMs. */
function waitFor<T>(t: Table, what: string, check: (events: Table['events']) => T | null, timeoutMs = 90_000): Promise<T> {
  return new Promise<T>((done, fail) => {
    const stop = () => (clearTimeout(timer), t.onEvent.delete(recheck));
    const recheck = () => {
      try {
        const value = check(t.events);
        if (value === null) return;
        stop();
        done(value);
      } catch (err) {
        stop();
        fail(err as Error);
      }
    };
    const timer = setTimeout(() => (stop(), fail(new Error(`timed out waiting for ${what}`))), timeoutMs);
    t.onEvent.add(recheck);
    recheck();
  });
}

describe('model catalog handlers against a fake hub', () => {
  it('lists the catalog, downloads with progress events, makes it the local model and loads it', async () => {
    const hub = await FakeHub.start({ repos: { [REPO]: files } });
    try {
      const t = makeTable(hub, 'download');
      const before = await t.ok<IpcResponse<'model:catalog'>>('model:catalog');
      expect(before.modelsDir).toBe(t.modelsDir);
      const tiny = before.models.find((m) => m.id === REPO)!;
      const totalBytes = Object.values(files).reduce((a, b) => a + b.length, 0);
      expect(tiny).toMatchObject({ status: 'ready', installed: null, runnable: true, exportHint: null, downloading: false, dtypes: ['fp32'], defaultDtype: 'fp32', bytes: totalBytes });
      expect(before.models.find((m) => m.id === NEEDS_EXPORT)).toMatchObject<Partial<CatalogModelInfo>>({ runnable: false, exportHint: EXPORT_COMMAND, bytes: 17_500_000_000, installed: null });

      const done = await t.ok<IpcResponse<'model:download'>>('model:download', { id: REPO, device: 'cpu' });
      expect(done).toMatchObject({ id: REPO, dtype: 'fp32', dir: join(t.modelsDir, 'test-org--tiny-egm-onnx'), alreadyInstalled: false, fetchedBytes: totalBytes });
      expect(done.status.backend).toBe('local');
      expect(await readFile(join(done.dir, 'onnx/decoder_model_merged.onnx'))).toEqual(files['onnx/decoder_model_merged.onnx']);

      const progress = t.events.filter((e) => e.event === 'model:download').map((e) => e.payload as ModelDownloadProgress);
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.every((p) => p.id === REPO && p.doneBytes <= p.totalBytes)).toBe(true);
      expect(progress.at(-1)).toMatchObject({ doneBytes: totalBytes, totalBytes });
      expect(progress.map((p) => p.doneBytes)).toEqual([...progress.map((p) => p.doneBytes)].sort((a, b) => a - b));

      expect((await t.ok<IpcResponse<'model:getSettings'>>('model:getSettings')).model).toEqual({ backend: 'local', modelDir: done.dir, device: 'cpu', dtype: 'fp32' });
      // The last model:status event says where the load stands.
      const ready = await waitFor(t, 'the downloaded model to load', (events) => {
        const s = events.filter((e) => e.event === 'model:status').at(-1)?.payload as ModelStatus | undefined;
        if (s?.state === 'error') throw new Error(`model failed to load: ${s.message}`);
        return s?.state === 'ready' ? s : null;
      });
      expect(ready).toMatchObject({ backend: 'local', device: 'cpu' });

      const after = await t.ok<IpcResponse<'model:catalog'>>('model:catalog');
      expect(after.models.find((m) => m.id === REPO)!.installed).toEqual({ dir: done.dir, dtypes: ['fp32'], bytes: totalBytes });

      // Again: nothing fetched, same folder.
      const requests = hub.requests.length;
      expect(await t.ok('model:download', { id: REPO })).toMatchObject({ alreadyInstalled: true, fetchedBytes: 0, dir: done.dir });
      expect(hub.requests.length).toBe(requests);
    } finally {
      await hub.close();
    }
  });

  it('runs one download at a time, cancels it (partial kept), resumes it, and fails in one line', async () => {
    // ~11 MB at 4 MB/s: long enough to see it running and cancel it.
    const hub = await FakeHub.start({ repos: { [REPO]: files }, bytesPerSecond: 4_000_000 });
    try {
      const t = makeTable(hub, 'cancel');
      const first = t.call('model:download', { id: REPO, device: 'cpu' });
      await waitFor(t, 'a progress event', (events) => (events.some((e) => e.event === 'model:download' && (e.payload as ModelDownloadProgress).doneBytes > 100_000) ? true : null));
      expect((await t.ok<IpcResponse<'model:catalog'>>('model:catalog')).models.find((m) => m.id === REPO)!.downloading).toBe(true);
      expect(await t.call('model:download', { id: REPO })).toEqual({ ok: false, error: `model:download: '${REPO}' is already downloading; cancel it or wait for it to finish` });
      expect(await t.ok('model:cancelDownload', { id: NEEDS_EXPORT })).toEqual({ cancelled: false });
      expect(await t.ok('model:cancelDownload', { id: REPO })).toEqual({ cancelled: true });
      expect(await first).toEqual({ ok: false, error: `model:download: download of ${REPO} cancelled (partial files are kept; downloading again resumes)` });
      expect((await t.ok<IpcResponse<'model:catalog'>>('model:catalog')).models.find((m) => m.id === REPO)).toMatchObject({ installed: null, downloading: false });
      expect((await t.ok<IpcResponse<'model:getSettings'>>('model:getSettings')).model).toBeNull();

      const fetchedBefore = hub.requests.reduce((a, r) => a + r.bytesSent, 0);
      const resumed = await t.ok<IpcResponse<'model:download'>>('model:download', { id: REPO, device: 'cpu' });
      const totalBytes = Object.values(files).reduce((a, b) => a + b.length, 0);
      expect(resumed.fetchedBytes).toBeLessThan(totalBytes); // the partial file was resumed with a Range request
      expect(hub.requests.some((r) => r.range)).toBe(true);
      expect(fetchedBefore).toBeGreaterThan(0);

      expect(await t.call('model:download', { id: 'nobody/nothing' })).toEqual({ ok: false, error: `model:download: unknown model 'nobody/nothing' (known: ${REPO}, ${NEEDS_EXPORT})` });
      const exportNeeded = await t.call('model:download', { id: NEEDS_EXPORT });
      expect(exportNeeded).toEqual({ ok: false, error: `model:download: ${NEEDS_EXPORT} has no ONNX files to download (needs export); run: ${EXPORT_COMMAND}` });
      expect(await t.call('model:download', {})).toMatchObject({ ok: false, error: expect.stringMatching(/^model:download: invalid request: id: /) });
    } finally {
      await hub.close();
    }
  });

  it('reports an unreachable hub as one line naming the model and file', async () => {
    const hub = await FakeHub.start({ repos: { [REPO]: files } });
    const t = makeTable(hub, 'down');
    await hub.close();
    const r = await t.call('model:download', { id: REPO });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(new RegExp(`^model:download: ${REPO} \\(fp32\\): `));
      expect(r.error).not.toContain('\n');
    }
  });
});
