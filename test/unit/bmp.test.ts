// BMP (issue 9, item 6): decoded by bmp.ts, as sharp cannot; probed, served as
// PNG, and given to the model like Pillow's Image.open(...).convert('RGB').
// Pillow writes the BMPs (24-bit, 8-bit palette, 1-bit, 32-bit RGBA; a
// top-down one is made by hand) and its pixels are the reference; without
// the Python venv the hand-made files are still checked against their pixels.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bmpHeader, decodeBmp } from '../../electron/images/bmp';
import { decodeLikePillow } from '../../electron/images/pil-decode';
import { probeImage } from '../../electron/images/probe';
import { tempDir } from '../helpers/store-temp';
import sharp from 'sharp';
import { ImageServer } from '../../electron/images/serve';
import { openProjectStore } from '../../electron/store/project-store';

const PYTHON = join(process.cwd(), '.venv-parity', 'bin', 'python');
let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir('egm-bmp-');
});
afterAll(() => tmp.cleanup());

/** A 3×2 top-down 24-bit BMP: rows red green blue / white black grey. */
function topDown24(): Buffer {
  const stride = 12; // 3 px × 3 bytes, padded to 4
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(54 + stride * 2, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(3, 18);
  header.writeInt32LE(-2, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(24, 28);
  const bgr = (r: number, g: number, b: number) => [b, g, r];
  const rows = [
    [...bgr(255, 0, 0), ...bgr(0, 255, 0), ...bgr(0, 0, 255), 0, 0, 0],
    [...bgr(255, 255, 255), ...bgr(0, 0, 0), ...bgr(128, 128, 128), 0, 0, 0],
  ];
  return Buffer.concat([header, Buffer.from(rows.flat())]);
}

describe('BMP', () => {
  it('decodes a top-down 24-bit file and probes its size', async () => {
    const path = join(tmp.dir, 'top.bmp');
    writeFileSync(path, topDown24());
    expect([...decodeBmp(readFileSync(path), 100_000_000).rgb]).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 128, 128, 128]);
    expect(await probeImage(path)).toEqual({ width: 3, height: 2, orientation: 1, format: 'bmp' });
    expect((await decodeLikePillow(path)).rgb).toEqual(decodeBmp(readFileSync(path), 100_000_000).rgb);
    // Served to the renderer as a PNG with the same pixels.
    const store = openProjectStore(join(tmp.dir, 'p.egm'), { create: true });
    try {
      const id = store.addImages([{ absolutePath: path, width: 3, height: 2, orientation: 1 }]).added[0]!.id;
      const served = await new ImageServer().serve(store, id);
      expect(served.mimeType).toBe('image/png');
      const { data } = await sharp(served.bytes).raw().toBuffer({ resolveWithObject: true });
      expect([...data]).toEqual([...decodeBmp(readFileSync(path), 100_000_000).rgb]);
    } finally {
      store.close();
    }
  });

  it('refuses RLE and cut files with the reason', async () => {
    const rle = topDown24();
    rle.writeUInt32LE(1, 30);
    expect(bmpHeader(rle)).toEqual({ reason: 'BMP compression 1 (RLE, JPEG or PNG inside a BMP) is not supported; save it uncompressed or as PNG' });
    const cut = join(tmp.dir, 'cut.bmp');
    writeFileSync(cut, topDown24().subarray(0, 60));
    await expect(probeImage(cut)).rejects.toThrow('truncated BMP file (fewer pixel rows than its header says)');
  });

  it("gives Pillow's pixels for the BMPs Pillow writes", async (ctx) => {
    if (!existsSync(PYTHON)) {
      console.log(`skipped the Pillow comparison: no venv at ${PYTHON} (npm run setup:python)`);
      ctx.skip();
    }
    const script = [
      'import sys, numpy as np',
      'from PIL import Image',
      'out = sys.argv[1]',
      'rng = np.random.default_rng(7)',
      'rgb = Image.fromarray(rng.integers(0, 256, (13, 17, 3), dtype=np.uint8))',
      "rgb.save(out + '/rgb24.bmp')",
      "rgb.quantize(37).save(out + '/p8.bmp')",
      "rgb.convert('1').save(out + '/bw1.bmp')",
      "Image.fromarray(rng.integers(0, 256, (9, 11, 4), dtype=np.uint8), 'RGBA').save(out + '/rgba32.bmp')",
      "for name in ['rgb24', 'p8', 'bw1', 'rgba32']:",
      "    im = Image.open(out + '/' + name + '.bmp').convert('RGB')",
      "    open(out + '/' + name + '.rgb', 'wb').write(im.tobytes())",
    ].join('\n');
    const run = spawnSync(PYTHON, ['-c', script, tmp.dir], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    for (const name of ['rgb24', 'p8', 'bw1', 'rgba32']) {
      const path = join(tmp.dir, `${name}.bmp`);
      const decoded = await decodeLikePillow(path);
      expect(Buffer.from(decoded.rgb).equals(readFileSync(join(tmp.dir, `${name}.rgb`))), name).toBe(true);
      const probe = await probeImage(path);
      expect([probe.width, probe.height]).toEqual([decoded.width, decoded.height]);
    }
  });
});
