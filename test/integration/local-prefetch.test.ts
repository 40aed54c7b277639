// Interactive prefetch (the user selects an image; the query they type next
// finds it decoded): through the real model host process (host-entry.ts via
// tsx, the tiny model loaded), and from the grounding service's side, which
// starts nothing unless a model is ready and never throws.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { probeImage } from '../../electron/images/probe';
import { toPixelBox } from '@core/egm/coordinates';
import type { ModelStatus } from '@core/types';
import { createHostClient, type HostClient } from '../../electron/engine/host/host-client';
import { nodeSpawn } from '../../electron/engine/host/node-spawn';
import type { HostPort } from '../../electron/engine/host/protocol';
import { loadLocalBackend, type LocalBackend } from '../../electron/engine/local/local-backend';
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
