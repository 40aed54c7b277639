// The header fast path (issue 9, import at scale) must give sharp's answers:
// every file below is probed both ways (probeImage = sharp, probeMany = header
// first) and the results compared, including the refusals' reasons.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHeader, probeHeaderSync } from '../../electron/images/header-probe';
import { probeFailure, probeImage } from '../../electron/images/probe';
import { probeMany } from '../../electron/images/probe-many';
import { makeImageFixtures, type ImageFixtures } from '../helpers/make-images';
import { pngBytes, pngChunk } from '../helpers/png-bytes';
import { tempDir } from '../helpers/store-temp';

let tmp: ReturnType<typeof tempDir>;
let fx: ImageFixtures;
const extra: Record<string, string> = {};
beforeAll(async () => {
  tmp = tempDir('egm-header-probe-');
  fx = await makeImageFixtures(join(tmp.dir, 'fx'));
  const dir = join(tmp.dir, 'more');
  mkdirSync(dir);
  const base = sharp({ create: { width: 321, height: 123, channels: 3, background: '#468' } });
  const files: Record<string, Buffer> = {
    'progressive.jpg': await base.clone().jpeg({ progressive: true }).toBuffer(),
    'mozjpeg.jpg': await base.clone().jpeg({ mozjpeg: true }).toBuffer(),
    'cmyk.jpg': await base.clone().toColourspace('cmyk').jpeg().toBuffer(),
    'exif-6.jpg': await base.clone().withMetadata({ orientation: 6 }).jpeg().toBuffer(),
    'big-exif.jpg': await base.clone().withExif({ IFD0: { ImageDescription: 'x'.repeat(30_000) } }).withMetadata({ orientation: 8 }).jpeg().toBuffer(),
    // Over HEAD_BYTES, so the end marker is read separately.
    'noise.jpg': await sharp(Buffer.from(Array.from({ length: 300 * 300 * 3 }, (_, i) => (i * 7919) % 251)), { raw: { width: 300, height: 300, channels: 3 } }).jpeg({ quality: 100 }).toBuffer(),
    'rgba.png': await base.clone().ensureAlpha().png().toBuffer(),
    'grey16.png': await base.clone().toColourspace('grey16').png().toBuffer(),
    'interlaced.png': await base.clone().png({ progressive: true }).toBuffer(),
    'palette.png': await base.clone().png({ palette: true }).toBuffer(),
    'exif.png': pngBytes({ width: 2, height: 3, depth: 8, colourType: 0, rows: [new Uint8Array(2), new Uint8Array(2), new Uint8Array(2)], extra: [pngChunk('eXIf', [0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 1, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0])] }),
    'anim.gif': await base.clone().gif().toBuffer(),
    'photo.webp': await base.clone().webp().toBuffer(),
    'photo.tif': await base.clone().tiff().toBuffer(),
  };
  for (const [name, bytes] of Object.entries(files)) {
    extra[name] = join(dir, name);
    writeFileSync(extra[name], bytes);
  }
  extra['link.jpg'] = join(dir, 'link.jpg');
  symlinkSync(extra['exif-6.jpg']!, extra['link.jpg']);
  extra['missing.jpg'] = join(dir, 'missing.jpg');
});
afterAll(() => tmp.cleanup());

const allFiles = () => [
  ...fx.oriented.map((o) => o.path), fx.zeroByte, fx.textAsJpg, fx.truncatedJpeg, fx.hugePng, fx.withSpaces, fx.nonAscii, ...Object.values(extra),
];

async function viaSharp(path: string) {
  try {
    return await probeImage(path);
  } catch (err) {
    return { reason: probeFailure(err) };
  }
}

describe('probeMany (header first) against probeImage (sharp)', () => {
  it('gives the same size, orientation, format or reason for every file, in order', async () => {
    const files = allFiles();
    const fast = await probeMany(files);
    const slow = await Promise.all(files.map(viaSharp));
    expect(fast.map((outcome, i) => [files[i], outcome])).toEqual(slow.map((outcome, i) => [files[i], outcome]));
  });

  it('reports progress for every file, up to the total', async () => {
    const files = allFiles();
    const seen: number[] = [];
    await probeMany(files, { onProgress: ({ done, total }) => { expect(total).toBe(files.length); seen.push(done); } });
    expect(seen).toEqual(files.map((_, i) => i + 1));
  });
});

describe('the header parser', () => {
  it('reads JPEG and PNG headers itself, with EXIF orientation (also past a large EXIF block)', () => {
    expect(parseHeader(readFileSync(extra['exif-6.jpg']!))).toEqual({ format: 'jpeg', width: 321, height: 123, orientation: 6 });
    expect(parseHeader(readFileSync(extra['big-exif.jpg']!))).toEqual({ format: 'jpeg', width: 321, height: 123, orientation: 8 });
    expect(parseHeader(readFileSync(extra['interlaced.png']!))).toEqual({ format: 'png', width: 321, height: 123, orientation: 1 });
  });

  it('leaves other formats and PNGs with eXIf to sharp', () => {
    for (const name of ['exif.png', 'anim.gif', 'photo.webp', 'photo.tif']) expect(parseHeader(readFileSync(extra[name]!))).toBeNull();
  });

  it('refuses what probeImage refuses, with its words', () => {
    expect(() => probeHeaderSync(fx.truncatedJpeg)).toThrow('truncated JPEG file (no end marker)');
    expect(() => probeHeaderSync(fx.hugePng)).toThrow('over the 100 MP limit');
    expect(() => probeHeaderSync(fx.zeroByte)).toThrow('empty file (0 bytes)');
  });
});
