// The local engine's image → pixel_values path. The reference for pixels is
// Hugging Face's own processor (Pillow), checked in vision-input-pillow.test.ts
// with the Python venv. transformers.js' Qwen2VLImageProcessor is NOT the
// reference (it resizes with its own bicubic), but on an image that needs no
// resize it must agree exactly, which checks patch order and normalisation
// here without Python.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { AutoProcessor, RawImage } from '@huggingface/transformers';
import { effectiveMaxPixels, loadVisionInput, patchify, smartResize, visionConfigFrom } from '../../electron/engine/local/vision-input';
import { configureTransformers } from '../../electron/engine/local/transformers-env';
import { REPO_ROOT, tinyModelDir } from '../helpers/tiny-model';

describe('vision input', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'egm-vision-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('agrees with transformers.js on patch order and normalisation where nothing is resized', async () => {
    configureTransformers();
    const processor = await AutoProcessor.from_pretrained(await tinyModelDir(), { local_files_only: true });
    // Already a multiple of 32 and inside the pixel range, so neither path resizes.
    const png = join(work, 'messi-640x384.png');
    await sharp(resolve(REPO_ROOT, 'assets/samples/messi5.jpg')).resize(640, 384, { fit: 'fill' }).png().toFile(png);
    const reference = await processor.image_processor!(await RawImage.read(png));
    const cfg = visionConfigFrom((processor.image_processor as unknown as { config: Record<string, unknown> }).config);
    const ours = await loadVisionInput(png, cfg, 10_000_000);
    expect(ours.imageGridThw.tolist()).toEqual(reference.image_grid_thw.tolist());
    expect(ours.pixelValues.dims).toEqual(reference.pixel_values.dims);
    expect(ours.visualTokens).toBe((24 * 40) / 4);
    const a = ours.pixelValues.data as Float32Array;
    const b = reference.pixel_values.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
    expect(worst).toBeLessThan(1e-5);
    expect(Math.min(...a.slice(0, 5000))).toBeGreaterThanOrEqual(-1);
  });

  it('resizes a large photo to a multiple of 32 under the pixel cap, keeping the upright size', async () => {
    const big = join(work, 'big.jpg');
    await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#336699' } }).jpeg().withMetadata({ orientation: 6 }).toFile(big);
    const cfg = visionConfigFrom({ patch_size: 16, merge_size: 2, temporal_patch_size: 2, do_normalize: true, image_mean: [0.5, 0.5, 0.5], image_std: [0.5, 0.5, 0.5] });
    const input = await loadVisionInput(big, cfg, 1_003_520);
    expect([input.originalWidth, input.originalHeight]).toEqual([2000, 3000]);
    expect(input.width % 32).toBe(0);
    expect(input.height % 32).toBe(0);
    expect(input.width * input.height).toBeLessThanOrEqual(1_003_520);
    expect(input.height).toBeGreaterThan(input.width);
    expect(input.visualTokens).toBe((input.width / 32) * (input.height / 32));
  });

  it("smart_resize follows transformers': Python rounding (half to even), max and min pixel caps", () => {
    expect(smartResize(1080, 1920, 32, 65536, 16777216)).toEqual({ height: 1088, width: 1920 });
    expect(smartResize(3000, 4000, 32, 65536, 1_003_520)).toEqual({ height: 864, width: 1152 });
    expect(smartResize(10, 10, 32, 65536, 16777216)).toEqual({ height: 256, width: 256 });
    // 400/32 = 12.5 -> 12 (even), 600/32 = 18.75 -> 19; half-up would give 416.
    expect(smartResize(400, 600, 32, 65536, 16777216)).toEqual({ height: 384, width: 608 });
    // 464/32 = 14.5 -> 14, 624/32 = 19.5 -> 20.
    expect(smartResize(464, 624, 32, 65536, 16777216)).toEqual({ height: 448, width: 640 });
    expect(smartResize(60, 3000, 32, 65536, 1_003_520)).toEqual({ height: 64, width: 3008 });
    expect(smartResize(17, 23, 32, 65536, 1_003_520)).toEqual({ height: 224, width: 320 });
    expect(() => smartResize(20, 4020, 32, 65536, 1_003_520)).toThrow(/aspect ratio/);
  });

  it('reads the pixel bounds as transformers does: min_pixels/max_pixels over size, then the class defaults', () => {
    expect(visionConfigFrom({ size: { shortest_edge: 1000, longest_edge: 2_000_000 }, min_pixels: 5000, max_pixels: 300_000 })).toMatchObject({ minPixels: 5000, maxPixels: 300_000 });
    expect(visionConfigFrom({ size: { shortest_edge: 1000, longest_edge: 2_000_000 }, max_pixels: 300_000 })).toMatchObject({ minPixels: 1000, maxPixels: 300_000 });
    expect(visionConfigFrom({ size: { shortest_edge: 65536, longest_edge: 16777216 } })).toMatchObject({ minPixels: 65536, maxPixels: 16777216 });
    expect(visionConfigFrom({})).toMatchObject({ minPixels: 3136, maxPixels: 1_003_520 });
    // The app's cap applies on top of the model's: the smaller wins.
    const cfg = visionConfigFrom({ size: { shortest_edge: 65536, longest_edge: 16777216 } });
    expect(effectiveMaxPixels(cfg, 1_003_520)).toBe(1_003_520);
    expect(effectiveMaxPixels({ ...cfg, maxPixels: 500_000 }, 1_003_520)).toBe(500_000);
  });

  it('patchify writes every temporal frame as the same picture, for any temporal_patch_size', () => {
    const rgb = Uint8Array.from({ length: 64 * 32 * 3 }, (_, i) => (i * 37) & 255);
    const cfg = visionConfigFrom({ patch_size: 16, merge_size: 2, do_normalize: true, image_mean: [0.5, 0.5, 0.5], image_std: [0.5, 0.5, 0.5] });
    const one = patchify(rgb, 64, 32, { ...cfg, temporalPatchSize: 1 }).data;
    for (const T of [2, 3]) {
      const many = patchify(rgb, 64, 32, { ...cfg, temporalPatchSize: T }).data;
      expect(many.length).toBe(one.length * T);
      // Row layout [channel][frame][16×16]: each frame equals the single-frame channel block.
      for (let i = 0; i < one.length; i += 256) {
        const patch = Math.floor(i / 768);
        const channel = (i / 256) % 3;
        for (let t = 0; t < T; t++) {
          const at = patch * 768 * T + (channel * T + t) * 256;
          expect(Array.from(many.subarray(at, at + 256))).toEqual(Array.from(one.subarray(i, i + 256)));
        }
      }
    }
  });

  it('patchify gives the same values from a buffer at any alignment (word-wise and byte-wise reads)', () => {
    const rgb = Uint8Array.from({ length: 64 * 96 * 3 }, (_, i) => (i * 37 + (i >> 7)) & 255);
    const shifted = new Uint8Array(rgb.length + 1).subarray(1);
    shifted.set(rgb);
    const cfg = visionConfigFrom({ patch_size: 16, merge_size: 2, do_normalize: true, image_mean: [0.48, 0.45, 0.4], image_std: [0.26, 0.26, 0.27] });
    const aligned = patchify(rgb, 64, 96, cfg).data;
    const unaligned = patchify(shifted, 64, 96, cfg).data;
    expect(Buffer.from(unaligned.buffer).equals(Buffer.from(aligned.buffer))).toBe(true);
    // A patch size that is not a multiple of 4 takes the byte path too; the first patch row is the first 14 pixels.
    const p14 = patchify(rgb.subarray(0, 56 * 28 * 3), 56, 28, { ...cfg, patchSize: 14 }).data;
    expect(p14[13]).toBeCloseTo((rgb[13 * 3]! / 255 - 0.48) / 0.26, 5);
    expect(p14[14 * 14 * 2]).toBeCloseTo((rgb[1]! / 255 - 0.45) / 0.26, 5);
  });
});
