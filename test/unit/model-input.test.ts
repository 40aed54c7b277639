import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { fitToPixels, loadModelImage } from '../../electron/images/model-input';
import { pngBytes } from '../helpers/png-bytes';

describe('fitToPixels', () => {
  it('keeps small images as they are', () => {
    expect(fitToPixels(640, 480, 1_000_000)).toEqual({ width: 640, height: 480 });
  });
  it('scales big images under the cap, keeping the aspect ratio', () => {
    const { width, height } = fitToPixels(4000, 3000, 1_000_000);
    expect(width * height).toBeLessThanOrEqual(1_000_000);
    expect(width / height).toBeCloseTo(4 / 3, 2);
  });
});

describe('loadModelImage', () => {
  it('applies EXIF orientation before resizing and reports the upright original size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'egm-model-input-'));
    const path = join(dir, 'rotated.jpg');
    // Stored 400×200; orientation 6 means it displays as 200×400.
    const stored = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#808080' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    writeFileSync(path, stored);
    const image = await loadModelImage(path, { format: 'rgb', maxPixels: 20_000 });
    expect([image.originalWidth, image.originalHeight]).toEqual([200, 400]);
    expect(image.width).toBeLessThan(image.height);
    expect(image.width * image.height).toBeLessThanOrEqual(20_000);
    expect(image.data.length).toBe(image.width * image.height * 3);
  });
  it('fails with a one-line reason naming the file for a non-image', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'egm-model-input-'));
    const path = join(dir, 'not-an-image.jpg');
    writeFileSync(path, 'hello');
    await expect(loadModelImage(path, { format: 'jpeg' })).rejects.toThrow(/not-an-image\.jpg: cannot decode image/);
  });
  it('refuses an image over the 100 MP limit from its header, before decoding a pixel', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'egm-model-input-'));
    const path = join(dir, 'huge.png');
    // 20000×6000 in the header, no pixel data worth decoding.
    writeFileSync(path, pngBytes({ width: 20000, height: 6000, depth: 8, colourType: 0, rows: [] }));
    await expect(loadModelImage(path, { format: 'rgb' })).rejects.toThrow(/huge\.png: image is 120\.0 megapixels, over the 100 MP limit/);
  });
  it('still gives the server backend a JPEG under the pixel cap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'egm-model-input-'));
    const path = join(dir, 'photo.png');
    await sharp({ create: { width: 400, height: 300, channels: 3, background: '#336699' } }).png().toFile(path);
    const image = await loadModelImage(path, { format: 'jpeg', maxPixels: 30_000 });
    expect(image.data.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(image.width * image.height).toBeLessThanOrEqual(30_000);
    expect([image.originalWidth, image.originalHeight]).toEqual([400, 300]);
  });
});
