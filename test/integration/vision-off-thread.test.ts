// The local engine prepares images in a worker_thread (vision-off-thread.ts,
// vision-worker.ts): the decode (sharp loaded in the worker), the RGB
// conversion, Pillow's resize and patching run there; where the worker
// cannot load sharp, the decode runs from the model's thread and the rest in
// the worker (the fallback, forced here with decodeInWorker: false). Either
// way the model sees exactly what loadVisionInput gives on the model's
// thread, for every image made to break preprocessing (EXIF, CMYK, 16-bit
// grey, alpha, BMP, both resize directions), and the vision cache's recycled
// buffers go through the worker and back.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VisionOffThread } from '../../electron/engine/local/vision-off-thread';
import { VisionInputCache } from '../../electron/engine/local/vision-cache';
import { loadVisionInput, visionConfigFrom, type VisionInput } from '../../electron/engine/local/vision-input';
import { DEFAULT_MAX_PIXELS } from '../../electron/images/model-input';
import { writeParityImages, type ParityImage } from '../helpers/parity-images';

const cfg = visionConfigFrom({ do_normalize: true, patch_size: 16, merge_size: 2, temporal_patch_size: 2, size: { shortest_edge: 65536, longest_edge: 16777216 } });
const values = (input: VisionInput) => input.pixelValues.data as Float32Array;

describe.each([
  { mode: 'decoded in the worker', decodeInWorker: true },
  { mode: 'decoded on the model thread (fallback)', decodeInWorker: false },
])('vision input off the model thread, $mode', ({ decodeInWorker }) => {
  let dir: string;
  let images: ParityImage[];
  let decoder: VisionOffThread;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'egm-vision-off-thread-'));
    images = await writeParityImages(join(dir, 'images'));
    decoder = new VisionOffThread({ decodeInWorker });
    // The worker says once it has loaded sharp (here it always can); until then loads decode on this side.
    await vi.waitFor(() => expect(decoder.workerDecodes).toBe(true), { timeout: 60_000, interval: 20 });
  }, 120_000);
  afterAll(async () => {
    await decoder?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives every image the pixel_values, grid and sizes loadVisionInput gives on this thread', async () => {
    for (const image of images) {
      for (const maxPixels of [DEFAULT_MAX_PIXELS, 50_000]) {
        const here = await loadVisionInput(image.file, cfg, maxPixels);
        const there = await decoder.load(image.file, cfg, maxPixels);
        expect([there.width, there.height, there.originalWidth, there.originalHeight, there.visualTokens], image.name).toEqual([here.width, here.height, here.originalWidth, here.originalHeight, here.visualTokens]);
        expect(Array.from(there.imageGridThw.data as BigInt64Array), image.name).toEqual(Array.from(here.imageGridThw.data as BigInt64Array));
        expect(there.pixelValues.dims, image.name).toEqual(here.pixelValues.dims);
        expect(Buffer.from(values(there).buffer).equals(Buffer.from(values(here).buffer)), `${image.name}: pixel_values differ`).toBe(true);
      }
    }
    expect(decoder.loaded).toBe(images.length * 2);
    expect(decoder.decodedInWorker).toBe(decodeInWorker ? images.length * 2 : 0);
  });

  it('fails with the same one-line reason as on this thread', async () => {
    const bad = join(dir, 'not-an-image.jpg');
    await writeFile(bad, 'hello');
    const here = await loadVisionInput(bad, cfg, DEFAULT_MAX_PIXELS).catch((err: Error) => err);
    const there = await decoder.load(bad, cfg, DEFAULT_MAX_PIXELS).catch((err: Error) => err);
    expect((there as Error).message).toBe((here as Error).message);
    expect((there as Error).name).toBe('ImageProblem');
    expect((there as Error).message.split('\n')).toHaveLength(1);
  });

  it('patches into the vision cache\'s recycled buffer, handed to the worker and back', async () => {
    const cache = new VisionInputCache(cfg, undefined, decoder.load);
    const sameSize = images.filter((i) => i.name.startsWith('exif-orientation-')).slice(0, 4);
    for (const image of sameSize) {
      await cache.use(image.file, DEFAULT_MAX_PIXELS, async (input) => {
        const here = await loadVisionInput(image.file, cfg, DEFAULT_MAX_PIXELS);
        expect(Buffer.from(values(input).buffer).equals(Buffer.from(values(here).buffer)), image.name).toBe(true);
      });
    }
    // With two entries kept, the third image on takes the buffer of the one evicted.
    expect(cache.recycled).toBeGreaterThan(0);
  });
});
