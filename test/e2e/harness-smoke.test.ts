// Proves the e2e harness end to end: the page's window.egm reaches the real
// handler table, events come back, images load over /image/<token>/<id>, and errors
// arrive in the page as Errors with main's one-line message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EgmApi } from '@ipc/contract';
import { startHarness, type Harness } from './harness';

// Page globals used inside page.evaluate, declared here because the Node-side
// tsconfig has no DOM lib (module-scoped, so nothing leaks into other files).
declare const window: { egm: EgmApi };
declare class Image {
  onload: (() => void) | null;
  onerror: (() => void) | null;
  src: string;
  naturalWidth: number;
  naturalHeight: number;
}

let harness: Harness;
beforeAll(async () => {
  // No startup project (the default), so the page itself creates the sample project.
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

describe('e2e harness', () => {
  it('opens the sample project from the page through window.egm', async () => {
    const result = await harness.page.evaluate(async () => {
      const changed: number[] = [];
      let arrived: () => void = () => {};
      const firstChange = new Promise<void>((done) => (arrived = done));
      const off = window.egm.on('project:changed', (info) => (changed.push(info.imageCount), arrived()));
      const info = await window.egm['project:sample']({});
      const images = await window.egm['images:list']({});
      // Events are delivered asynchronously; wait for the one this call caused.
      await firstChange;
      off();
      return { imageCount: info.imageCount, listed: images.length, changed, firstId: images[0]!.id, token: info.token, url: window.egm.imageUrl(info.token, images[0]!.id, 3) };
    });
    expect(result).toMatchObject({ imageCount: 9, listed: 9, changed: [9] });
    expect(result.url).toBe(`/image/${result.token}/${result.firstId}?v=3`);
    expect(harness.events.some((e) => e.event === 'images:progress')).toBe(true);
  });

  it('serves project images to <img> by id, and 404 for unknown ids', async () => {
    const sizes = await harness.page.evaluate(async () => {
      const images = await window.egm['images:list']({});
      const token = (await window.egm['project:info']({}))!.token;
      const load = (src: string) =>
        new Promise<[number, number] | string>((done) => {
          const img = new Image();
          img.onload = () => done([img.naturalWidth, img.naturalHeight]);
          img.onerror = () => done('error');
          img.src = src;
        });
      const loaded = await Promise.all(images.map((image) => load(window.egm.imageUrl(token, image.id))));
      return { loaded, expected: images.map((image) => [image.width, image.height]), missing: await load(window.egm.imageUrl(token, 99999)) };
    });
    expect(sizes.loaded).toEqual(sizes.expected);
    expect(sizes.missing).toBe('error');
  });

  it('rejects with main’s message on an invalid request', async () => {
    const message = await harness.page.evaluate(() =>
      window.egm['images:setStatus']({ id: -1, status: 'done' }).then(
        () => 'resolved',
        (err: Error) => err.message,
      ),
    );
    expect(message).toMatch(/^images:setStatus: invalid request: id: /);
    expect(harness.errors).toEqual([]);
  });
});

describe('e2e harness startup', () => {
  it('starts like the app: the sample on first launch, the last project afterwards', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const userDataDir = await mkdtemp(join(tmpdir(), 'egm-smoke-'));
    try {
      const first = await startHarness({ userDataDir, startup: true });
      const sample = await first.page.evaluate(() => window.egm['project:info']({}));
      const other = join(userDataDir, 'other.egm');
      // Called directly, not through the New… dialog, so the path is granted as that dialog's answer would be.
      first.grants.grantFile('project', other);
      await first.page.evaluate((path) => window.egm['project:create']({ path }), other);
      await first.close();
      expect(sample).toMatchObject({ name: expect.any(String), imageCount: 9 });

      const second = await startHarness({ userDataDir, startup: true });
      const reopened = await second.page.evaluate(() => window.egm['project:info']({}));
      await second.close();
      expect(reopened?.path).toBe(other);
      expect([...first.errors, ...second.errors]).toEqual([]);
    } finally {
      await rm(userDataDir, { recursive: true, force: true });
    }
  });
});
