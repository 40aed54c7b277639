// The server backend's encoded-image cache on real files (sharp decodes them).
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createImageCache } from '../../electron/engine/server/image-cache';

const samples = resolve(__dirname, '../../assets/samples');
const dir = mkdtempSync(join(tmpdir(), 'egm-image-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createImageCache', () => {
  it('encodes once per file and maxPixels, and shares an in-flight encode', async () => {
    const cache = createImageCache();
    const path = join(samples, 'messi5.jpg');
    const [a, b] = await Promise.all([cache.get(path, undefined), cache.get(path, undefined)]);
    expect(a.dataUrl).toMatch(/^data:image\/jpeg;base64,\/9j\//);
    expect(b.dataUrl).toBe(a.dataUrl);
    expect([a.cached, b.cached]).toEqual([false, true]);
    expect(a).toMatchObject({ width: 548, height: 342, originalWidth: 548, originalHeight: 342 });
    const small = await cache.get(path, 10_000);
    expect(small.cached).toBe(false);
    expect(small.width * small.height).toBeLessThanOrEqual(10_000);
    expect(small).toMatchObject({ originalWidth: 548, originalHeight: 342 });
    expect(cache.size).toBe(2);
  });

  it('re-reads a file whose content changed', async () => {
    const cache = createImageCache();
    const path = join(dir, 'changing.jpg');
    copyFileSync(join(samples, 'messi5.jpg'), path);
    const first = await cache.get(path, undefined);
    copyFileSync(join(samples, 'home.jpg'), path);
    utimesSync(path, new Date(), new Date(Date.now() + 5_000));
    const second = await cache.get(path, undefined);
    expect(second.cached).toBe(false);
    expect(second.dataUrl).not.toBe(first.dataUrl);
  });

  it('does not keep failures, and names the file', async () => {
    const cache = createImageCache();
    const path = join(dir, 'broken.jpg');
    writeFileSync(path, 'not an image');
    await expect(cache.get(path, undefined)).rejects.toThrow(/broken\.jpg: cannot decode image/);
    expect(cache.size).toBe(0);
    await expect(cache.get(join(dir, 'missing.jpg'), undefined)).rejects.toThrow(/missing\.jpg: file not found/);
  });

  it('evicts the least recently used entries beyond its limits', async () => {
    const cache = createImageCache({ maxEntries: 2 });
    for (const name of ['messi5.jpg', 'home.jpg', 'stuff.jpg']) await cache.get(join(samples, name), undefined);
    expect(cache.size).toBe(2);
    expect((await cache.get(join(samples, 'stuff.jpg'), undefined)).cached).toBe(true);
    expect((await cache.get(join(samples, 'messi5.jpg'), undefined)).cached).toBe(false);
    const tiny = createImageCache({ maxBytes: 1 });
    await tiny.get(join(samples, 'home.jpg'), undefined);
    expect(tiny.size).toBe(0);
  });
});
