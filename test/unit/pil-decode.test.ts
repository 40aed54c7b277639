// decodeLikePillow on hand-made files whose Pillow reading is known (values
// read from Pillow 13 + transformers 5.24's load_image/convert_to_rgb); the
// full comparison with Hugging Face is test/integration/vision-input-pillow.test.ts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeLikePillow } from '../../electron/images/pil-decode';
import { pngBytes, pngChunk, u16be } from '../helpers/png-bytes';

const dir = mkdtempSync(join(tmpdir(), 'egm-pil-decode-'));
const file = (name: string, bytes: Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const reds = (rgb: Uint8Array) => Array.from(rgb.filter((_, i) => i % 3 === 0));

describe('decodeLikePillow', () => {
  it('clips 16-bit grey at 255 and keeps the high byte of 16-bit RGB', async () => {
    const values = [0, 127, 255, 256, 383, 65535];
    const grey = await decodeLikePillow(file('g16.png', pngBytes({ width: 6, height: 1, depth: 16, colourType: 0, rows: [u16be(values)] })));
    expect(reds(grey.rgb)).toEqual([0, 127, 255, 255, 255, 255]);
    const rgb = await decodeLikePillow(file('rgb16.png', pngBytes({ width: 6, height: 1, depth: 16, colourType: 2, rows: [u16be(values.flatMap((v) => [v, v, v]))] })));
    expect(reds(rgb.rgb)).toEqual([0, 0, 0, 1, 1, 255]);
  });

  it('drops alpha without compositing, and whitens a tRNS colour key', async () => {
    const rgba = await decodeLikePillow(file('rgba.png', pngBytes({ width: 3, height: 1, depth: 8, colourType: 6, rows: [Uint8Array.from([10, 20, 30, 0, 40, 50, 60, 128, 70, 80, 90, 255])] })));
    expect(Array.from(rgba.rgb)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
    const keyed = await decodeLikePillow(
      file('key.png', pngBytes({ width: 3, height: 1, depth: 8, colourType: 2, rows: [Uint8Array.from([1, 2, 3, 4, 5, 6, 1, 2, 3])], extra: [pngChunk('tRNS', u16be([1, 2, 3]))] })),
    );
    expect(Array.from(keyed.rgb)).toEqual([255, 255, 255, 4, 5, 6, 255, 255, 255]);
  });

  it('keeps pixels as stored and reports the EXIF orientation and upright size', async () => {
    const path = join(dir, 'o6.jpg');
    await sharp({ create: { width: 40, height: 20, channels: 3, background: '#808080' } }).jpeg().withMetadata({ orientation: 6 }).toFile(path);
    const image = await decodeLikePillow(path);
    expect([image.width, image.height, image.orientation, image.uprightWidth, image.uprightHeight]).toEqual([40, 20, 6, 20, 40]);
    expect(image.rgb.length).toBe(40 * 20 * 3);
  });

  it('ignores an embedded ICC profile (sharp alone would convert to sRGB)', async () => {
    const path = join(dir, 'p3.png');
    await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 30, b: 60 } } }).withIccProfile('p3').png().toFile(path);
    const stored = await sharp(path, { ignoreIcc: true }).raw().toBuffer();
    const converted = await sharp(path).raw().toBuffer();
    expect(stored.equals(converted)).toBe(false);
    expect(Buffer.from((await decodeLikePillow(path)).rgb).equals(stored)).toBe(true);
  });
});
