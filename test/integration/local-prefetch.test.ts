// Interactive prefetch (the user selects an image; the query they type next
// finds it decoded): through the real model host process (host-entry.ts via
// tsx, the tiny model loaded), and from the grounding service's side, which
// starts nothing unless a model is ready and never throws. A batch asks for
// each next image while the model runs the current one. Either way the model
// gets the same pixels and gives the same answers as without.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { probeImage } from '../../electron/images/probe';
import { toPixelBox } from '@core/egm/coordinates';
import type { ModelStatus } from '@core/types';
import { createHostClient, type HostClient } from '../../electron/engine/host/host-client';
import { nodeSpawn } from '../../electron/engine/host/node-spawn';
import type { HostPort } from '../../electron/engine/host/protocol';
import { loadLocalBackend, type LocalBackend, type QueryTrace } from '../../electron/engine/local/local-backend';
import type { GroundingBackend } from '../../electron/engine/backend';
import { BatchRun } from '../../electron/grounding/batch-runner';
import { DEFAULT_GROUNDING } from '../../electron/grounding/settings';
import { listProposals } from '../../electron/store/proposals';
import { GroundingService } from '../../electron/grounding/service';
import { envSecretStore } from '../../electron/grounding/secrets';
import { openProjectStore } from '../../electron/store/project-store';
import type { ProjectStore } from '../../electron/store/api';
import { REPO_ROOT, SCRIPTED_BOX, tinyModelDir } from '../helpers/tiny-model';
import { tempDir } from '../helpers/store-temp';

const sample = (name: string) => resolve(REPO_ROOT, 'assets/samples', name);

describe('image prefetch in the local backend', () => {
  let backend: LocalBackend;
  beforeAll(async () => {
    backend = await loadLocalBackend({ modelDir: await tinyModelDir(), device: 'cpu' });
  });
  afterAll(async () => {
    await backend?.dispose();
  });

  it('a query after a prefetch of its image finds it in the cache and answers as usual', async () => {
    const image = sample('rocket.jpg');
    await backend.prefetch(image);
    const hits = backend.images.hits;
    const result = await backend.ground({ imagePath: image, phrase: 'the rocket', kind: 'visible', maxNewTokens: 512 });
    const { width, height } = await probeImage(image);
    expect(result.box).toEqual(toPixelBox(SCRIPTED_BOX, width, height));
    expect(backend.images.hits).toBe(hits + 1);
  });

  it('a prefetch beside a running query does not disturb it, and one of an unreadable file rejects in one line', async () => {
    const running = backend.ground({ imagePath: sample('messi5.jpg'), phrase: 'the man', kind: 'visible', maxNewTokens: 512 });
    await backend.prefetch(sample('fruits.jpg'));
    expect((await running).box).not.toBeNull();
    await expect(backend.prefetch(resolve(REPO_ROOT, 'package.json'))).rejects.toThrow(/^[^\n]*package\.json: cannot decode image[^\n]*$/);
  });

  it('a prefetched query (image prepared in the worker) feeds the model what a cold query on the model\'s thread does, and answers the same', async () => {
    const here = await loadLocalBackend({ modelDir: await tinyModelDir(), device: 'cpu', offThread: false });
    try {
      const image = sample('home.jpg');
      const request = { imagePath: image, phrase: 'the window', kind: 'amodal' as const, maxNewTokens: 512 };
      const pixels: Float32Array[] = [];
      const trace = { onTrace: (t: QueryTrace) => void pixels.push((t.image.pixelValues.data as Float32Array).slice()) };
      await backend.prefetch(image);
      const hits = backend.images.hits;
      const prefetched = await backend.ground(request, trace);
      expect(backend.images.hits).toBe(hits + 1);
      const cold = await here.ground(request, trace);
      expect(here.images.hits).toBe(0);
      expect({ ...prefetched, timings: null }).toEqual({ ...cold, timings: null });
      expect(Buffer.from(pixels[0]!.buffer).equals(Buffer.from(pixels[1]!.buffer))).toBe(true);
    } finally {
      await here.dispose();
    }
  });
});

describe('a batch on the local engine', () => {
  let backend: LocalBackend;
  let cleanup: () => void;
  let dir: string;
  beforeAll(async () => {
    backend = await loadLocalBackend({ modelDir: await tinyModelDir(), device: 'cpu' });
    ({ dir, cleanup } = tempDir('egm-prefetch-batch-'));
  });
  afterAll(async () => {
    await backend?.dispose();
    cleanup?.();
  });

  /** A project of three images (copies: each a file of its own) and a batch of one phrase, both kinds, run to the end. */
  async function runBatch(name: string, withPrefetch: boolean) {
    const store = openProjectStore(join(dir, `${name}.egm`), { create: true });
    const files = ['messi5.jpg', 'fruits.jpg', 'stuff.jpg'].map((f) => join(dir, `${name}-${f}`));
    await Promise.all(files.map((file, i) => copyFile(sample(['messi5.jpg', 'fruits.jpg', 'stuff.jpg'][i]!), file)));
    store.addImages(await Promise.all(files.map(async (file) => ({ absolutePath: file, ...(await probeImage(file)) }))));
    const prefetched: string[] = [];
    // The real backend; only the prefetch calls are listed (and left out for the run without).
    const seen: GroundingBackend = {
      concurrency: backend.concurrency,
      info: () => backend.info(),
      ground: (request, options) => backend.ground(request, options),
      dispose: async () => undefined,
      ...(withPrefetch ? { prefetch: (path: string, maxPixels?: number) => (prefetched.push(path), backend.prefetch(path, maxPixels)) } : {}),
    };
    const hits = backend.images.hits;
    const run = BatchRun.start({ store, backend: seen, settings: { ...DEFAULT_GROUNDING, kinds: 'both', maxNewTokens: 512 } }, { phrases: ['the thing'], imageIds: null, concurrency: 4 });
    const status = await run.finished;
    const proposals = listProposals(store).map((p) => ({ image: store.imageFilePath(p.imageId)!.slice(dir.length + name.length + 2), visible: p.visible, amodal: p.amodal }));
    store.close();
    return { status, files, prefetched, hits: backend.images.hits - hits, proposals };
  }

  it('prepares the next image while the model runs the current one, with the same answers as without', async () => {
    const ahead = await runBatch('ahead', true);
    expect(ahead.status.state).toBe('done');
    // Each next image asked for as its predecessor's queries start; every query but the first then finds its image ready.
    expect(ahead.prefetched).toEqual(ahead.files.slice(1));
    expect(ahead.hits).toBe(2 * 3 - 1);
    const plain = await runBatch('plain', false);
    expect(plain.prefetched).toEqual([]);
    expect(ahead.proposals).toEqual(plain.proposals);
    expect(ahead.proposals).toHaveLength(3);
  });
});

describe('image prefetch through the model host', () => {
  let client: HostClient;
  const ports: HostPort[] = [];
  const base = nodeSpawn();
  beforeAll(() => {
    client = createHostClient({
      spawn: () => {
        const port = base();
        ports.push(port);
        return port;
      },
    });
  });
  afterAll(async () => {
    await client?.dispose();
  });

  it('does nothing (starts no host) before a model is loaded', async () => {
    await client.prefetch(sample('messi5.jpg'));
    expect(ports).toHaveLength(0);
  });

  it('prefetches in the host once loaded; a bad file rejects with the host\'s one-line reason; queries still answer', async () => {
    await client.load({ modelDir: await tinyModelDir(), device: 'cpu' });
    await client.prefetch(sample('messi5.jpg'));
    await expect(client.prefetch(resolve(REPO_ROOT, 'package.json'))).rejects.toThrow(/package\.json: cannot decode image/);
    const result = await client.ground({ imagePath: sample('messi5.jpg'), phrase: 'the man', kind: 'visible', maxNewTokens: 512 });
    const { width, height } = await probeImage(sample('messi5.jpg'));
    expect(result.box).toEqual(toPixelBox(SCRIPTED_BOX, width, height));
    expect(ports).toHaveLength(1);
  });
});

describe('ground:prefetch in the grounding service', () => {
  let cleanup: () => void;
  let store: ProjectStore;
  let service: GroundingService;
  const logs: string[] = [];
  // The service's own model-status events and log calls, as promises the test awaits (no polling).
  let statusWaiters: Array<{ until: (s: ModelStatus) => boolean; wake: () => void }> = [];
  const onModelStatus = (s: ModelStatus) => {
    const reached = statusWaiters.filter((w) => w.until(s));
    statusWaiters = statusWaiters.filter((w) => !w.until(s));
    for (const w of reached) w.wake();
  };
  const whenStatus = (until: (s: ModelStatus) => boolean) =>
    until(service.modelStatus()) ? Promise.resolve() : new Promise<void>((wake) => statusWaiters.push({ until, wake }));
  let logged: () => void = () => {};
  const firstLog = new Promise<void>((wake) => (logged = wake));
  let good: number;
  let broken: number;

  beforeAll(async () => {
    const temp = tempDir('egm-prefetch-service-');
    cleanup = temp.cleanup;
    // A file named like a photo that is not one: its decode fails in the host.
    const fake = join(temp.dir, 'not-a-photo.jpg');
    await copyFile(resolve(REPO_ROOT, 'package.json'), fake);
    store = openProjectStore(join(temp.dir, 'p.egm'), { create: true });
    [good, broken] = store
      .addImages([
        { absolutePath: sample('messi5.jpg'), width: 548, height: 342, orientation: 1 },
        { absolutePath: fake, width: 100, height: 100, orientation: 1 },
      ])
      .added.map((i) => i.id) as [number, number];
    service = await GroundingService.create({ userDataDir: join(temp.dir, 'user'), secrets: envSecretStore({}, 'NONE'), getStore: () => store, events: { modelStatus: onModelStatus }, log: (m) => (logs.push(m), logged()) });
  });
  afterAll(async () => {
    await service?.dispose();
    store?.close();
    cleanup?.();
  });

  it('starts nothing without a ready local model; once loaded it prefetches, logs a failure once, and queries still answer', async () => {
    expect(service.prefetch(good)).toBe(false); // no model set up
    await service.setSettings({ model: { backend: 'local', modelDir: await tinyModelDir(), device: 'cpu' }, grounding: { kinds: 'visible', maxNewTokens: 1000 } });
    expect(service.prefetch(good)).toBe(false); // still loading: never waits for it
    await whenStatus((s) => s.state !== 'loading');
    expect(service.modelStatus().state).toBe('ready');
    expect(service.prefetch(good)).toBe(true);
    expect(service.prefetch(9999)).toBe(false); // no such image: nothing to do, no throw

    expect(service.prefetch(broken)).toBe(true);
    await firstLog;
    expect(logs[0]).toMatch(/^image prefetch failed .*not-a-photo\.jpg: cannot decode image/);
    expect(service.prefetch(broken)).toBe(true);
    const answer = await service.queries.ground({ queryId: 'after-prefetch', imageId: good, phrase: 'the man' });
    expect('proposal' in answer && answer.proposal.visible).toEqual(toPixelBox(SCRIPTED_BOX, 548, 342));
    expect(logs).toHaveLength(1); // the same reason again is not logged twice
  }, 120_000);
});
