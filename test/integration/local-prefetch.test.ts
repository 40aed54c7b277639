// Interactive prefetch (the user selects an image; the query they type next
// finds it decoded): through the real model host process (host-entry.ts via
// tsx, the tiny model loaded), and from the grounding service's side, which
// starts nothing unless a model is ready and never throws.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { probeImage } from '../../electron/images/probe';
import { toPixelBox } from '../../electron/core/egm/coordinates';
import { createHostClient, type HostClient } from '../../electron/engine/host/host-client';
import { nodeSpawn } from '../../electron/engine/host/node-spawn';
import type { HostPort } from '../../electron/engine/host/protocol';
import { loadLocalBackend, type LocalBackend } from '../../electron/engine/local/local-backend';
import { REPO_ROOT, SCRIPTED_BOX, tinyModelDir } from '../helpers/tiny-model';

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
