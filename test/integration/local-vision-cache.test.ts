// The two-image cache in front of loadVisionInput, on real JPEG files: a
// repeat query reuses pixel_values; an edited file, another pixel cap or an
// evicted image decodes again; oversized inputs and failures are not kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadVisionInput, visionConfigFrom } from '../../electron/engine/local/vision-input';
import { VisionInputCache } from '../../electron/engine/local/vision-cache';

/** Byte equality (toEqual walks half a million floats one by one). */
const bytes = (values: unknown) => Buffer.from((values as Float32Array).buffer, (values as Float32Array).byteOffset, (values as Float32Array).byteLength);

const cfg = visionConfigFrom({ patch_size: 16, merge_size: 2, temporal_patch_size: 2, do_normalize: true, image_mean: [0.5, 0.5, 0.5], image_std: [0.5, 0.5, 0.5] });

describe('vision input cache', () => {
  let work: string;
  let a: string;
  let b: string;
  let c: string;
  let loads: string[];
  const counting: typeof loadVisionInput = (path, c, maxPixels) => {
    loads.push(`${path}@${maxPixels}`);
    return loadVisionInput(path, c, maxPixels);
  };
  const jpeg = (path: string, color: string, width = 320) =>
    sharp({ create: { width, height: 240, channels: 3, background: color } }).jpeg().toFile(path);

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'egm-vision-cache-'));
    a = join(work, 'a.jpg');
    b = join(work, 'b.jpg');
    c = join(work, 'c.jpg');
    await Promise.all([jpeg(a, '#336699'), jpeg(b, '#996633'), jpeg(c, '#669933')]);
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('reuses the last two images, and decodes again for another pixel cap or a third image', async () => {
    loads = [];
    const cache = new VisionInputCache(cfg, undefined, counting);
    const first = await cache.get(a, 100_000);
    expect(await cache.get(a, 100_000)).toBe(first);
    expect(cache.hits).toBe(1);
    await cache.get(a, 50_000); // another cap: decoded again, replacing a@100000
    await cache.get(b, 50_000);
    await cache.get(a, 50_000); // still held: two entries
    expect(cache.hits).toBe(2);
    await cache.get(c, 50_000); // evicts b, the least recently used
    await cache.get(b, 50_000);
    await cache.get(a, 100_000);
    expect(loads).toEqual([`${a}@100000`, `${a}@50000`, `${b}@50000`, `${c}@50000`, `${b}@50000`, `${a}@100000`]);
  });

  it('decodes again when the file changes on disk', async () => {
    loads = [];
    const cache = new VisionInputCache(cfg, undefined, counting);
    const before = await cache.get(b, 100_000);
    await jpeg(b, '#ffffff', 480);
    await utimes(b, new Date(), new Date(Date.now() + 5000));
    const after = await cache.get(b, 100_000);
    expect(loads).toHaveLength(2);
    expect(after.originalWidth).toBe(480);
    expect(before.originalWidth).toBe(320);
  });

  it('keeps nothing over its byte limit, and nothing for a failed load', async () => {
    loads = [];
    const small = new VisionInputCache(cfg, 1024, counting);
    await small.get(a, 100_000);
    await small.get(a, 100_000);
    expect(loads).toHaveLength(2);
    const cache = new VisionInputCache(cfg, undefined, counting);
    await expect(cache.get(join(work, 'missing.jpg'), 100_000)).rejects.toThrow(/missing\.jpg: cannot decode image/);
    await expect(cache.get(join(work, 'missing.jpg'), 100_000)).rejects.toThrow(/missing\.jpg/);
    expect(cache.hits).toBe(0);
  });

  it('a prefetch is shared by the query that asks next; a failed one is reported by that query', async () => {
    loads = [];
    const cache = new VisionInputCache(cfg, undefined, counting);
    void cache.prefetch(a, 80_000); // never rejects: a failure is kept for the query that asks next
    const input = await cache.get(a, 80_000);
    expect(loads).toEqual([`${a}@80000`]);
    expect(cache.hits).toBe(1);
    expect(input.visualTokens).toBeGreaterThan(0);
    const missing = join(work, 'gone.jpg');
    void cache.prefetch(missing, 80_000);
    await expect(cache.get(missing, 80_000)).rejects.toThrow(/gone\.jpg: cannot decode image/);
  });

  it('recycles an evicted buffer only after its lease ends, never one handed out by get(), and the reused buffer holds the new image', async () => {
    const d = join(work, 'd.jpg');
    const e = join(work, 'e.jpg');
    await Promise.all([jpeg(d, '#123456'), jpeg(e, '#abcdef')]);
    const cache = new VisionInputCache(cfg);
    await cache.use(a, 100_000, async (held) => {
      const before = Float32Array.from(held.pixelValues.data as Float32Array);
      // Two more images evict `a` while its query still reads it.
      await cache.prefetch(d, 100_000);
      await cache.prefetch(e, 100_000);
      expect(cache.recycled).toBe(0);
      expect(bytes(held.pixelValues.data).equals(bytes(before))).toBe(true);
    });
    await new Promise((r) => setImmediate(r));
    // The lease has ended: the next image of the same grid is patched into a's old buffer.
    const reused = await cache.use(c, 100_000, async (input) => Float32Array.from(input.pixelValues.data as Float32Array));
    expect(cache.recycled).toBe(1);
    expect(bytes(reused).equals(bytes((await loadVisionInput(c, cfg, 100_000)).pixelValues.data))).toBe(true);

    const kept = new VisionInputCache(cfg);
    const escaped = await kept.get(a, 100_000);
    const copy = Float32Array.from(escaped.pixelValues.data as Float32Array);
    await kept.get(d, 100_000);
    await kept.get(e, 100_000);
    await new Promise((r) => setImmediate(r));
    await kept.get(b, 100_000);
    expect(kept.recycled).toBe(0);
    expect(bytes(escaped.pixelValues.data).equals(bytes(copy))).toBe(true);
  });
});
