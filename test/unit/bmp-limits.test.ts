// BMP limits (issue 16, security second round): a BMP was decoded whole — 34 s
// and 2.9 GB — before the 100 MP check, on Electron's main thread (the image
// protocol). Now its header is checked before the file is read, and a large
// one is decoded in a worker_thread. Every readFile and every worker started
// is recorded.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeLikePillow } from '../../electron/images/pil-decode';
import { ImageServer, ServeError } from '../../electron/images/serve';
import { openProjectStore } from '../../electron/store/project-store';
import type { ProjectStore } from '../../electron/store/api';
import { tempDir } from '../helpers/store-temp';

const { readWhole, workers } = vi.hoisted(() => ({ readWhole: [] as string[], workers: [] as unknown[] }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const readFile = ((...args: Parameters<typeof fs.readFile>) => {
    if (typeof args[0] === 'string') readWhole.push(args[0]);
    return fs.readFile(...args);
  }) as typeof fs.readFile;
  return { ...fs, readFile, default: { ...fs, readFile } };
});
vi.mock('node:worker_threads', async (importOriginal) =>
  (await import('../helpers/recorded-workers')).recordedWorkers(await importOriginal(), (data) => workers.push(data?.path)),
);

/** An uncompressed bottom-up BMP header (INFO form) for width × height at `bpp` bits, with its pixel bytes (zeros, or `fill`). */
function bmp(width: number, height: number, bpp: 1 | 24, fill?: (x: number, y: number) => [number, number, number]): Buffer {
  const palette = bpp === 1 ? 8 : 0;
  const stride = Math.ceil((width * bpp) / 32) * 4;
  const offset = 54 + palette;
  const file = Buffer.alloc(offset + stride * height);
  file.write('BM', 0, 'latin1');
  file.writeUInt32LE(file.length, 2);
  file.writeUInt32LE(offset, 10);
  file.writeUInt32LE(40, 14);
  file.writeInt32LE(width, 18);
  file.writeInt32LE(height, 22);
  file.writeUInt16LE(1, 26);
  file.writeUInt16LE(bpp, 28);
  if (bpp === 1) file.writeUInt32LE(0x00ffffff, 58); // palette: black, white
  if (fill) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const [r, g, b] = fill(x, y);
        file.set([b, g, r], offset + (height - 1 - y) * stride + x * 3);
      }
    }
  }
  return file;
}

let tmp: ReturnType<typeof tempDir>;
let store: ProjectStore;
beforeAll(() => {
  tmp = tempDir('egm-bmp-limits-');
  store = openProjectStore(join(tmp.dir, 'p.egm'), { create: true });
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

function add(name: string, bytes: Buffer, width: number, height: number): { id: number; path: string } {
  const path = join(tmp.dir, name);
  writeFileSync(path, bytes);
  // As a project made elsewhere would hold it (adding probes, and the probe refuses it).
  return { id: store.addImages([{ absolutePath: path, width, height, orientation: 1 }]).added[0]!.id, path };
}

describe('BMP limits', () => {
  it('a BMP over 100 MP is refused from its header, before its file is read or a pixel decoded', async () => {
    const { id, path } = add('huge.bmp', bmp(12_000, 9_000, 1), 12_000, 9_000); // 108 MP, 13.5 MB of 1-bit rows
    readWhole.length = 0;
    const server = new ImageServer();
    // One at a time: a second request made beside the first could reject before its catch is attached (an unhandled rejection under load).
    for (const request of [() => server.serve(store, id), () => server.thumbnail(store, id)]) {
      const err = await request().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ServeError);
      expect((err as ServeError).status).toBe(415);
      expect((err as Error).message).toMatch(/huge\.bmp is not a readable image \(image is 108\.0 megapixels, over the 100 MP limit\)$/);
    }
    await expect(decodeLikePillow(path)).rejects.toThrow(/huge\.bmp: cannot decode image \(image is 108\.0 megapixels, over the 100 MP limit\)$/);
    expect(readWhole.filter((p) => p === path)).toEqual([]);
    expect(workers).toEqual([]);
  });

  it('a large BMP is decoded in a worker thread, not on the thread that serves images', async () => {
    const colour = (x: number, y: number): [number, number, number] => [x % 256, y % 256, (x + y) % 256];
    const { id, path } = add('large.bmp', bmp(2_000, 1_200, 24, colour), 2_000, 1_200); // 2.4 MP
    workers.length = 0;
    const served = await new ImageServer().serve(store, id);
    expect(workers).toEqual([path]);
    expect(served.mimeType).toBe('image/png');
    const { data, info } = await sharp(served.bytes).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([2_000, 1_200]);
    for (const [x, y] of [[0, 0], [1_999, 0], [1_234, 567], [1_999, 1_199]] as const) {
      expect([...data.subarray((y * 2_000 + x) * 3, (y * 2_000 + x) * 3 + 3)]).toEqual(colour(x, y));
    }
    // A small one is decoded at once, without a worker.
    const small = add('small.bmp', bmp(40, 30, 24, colour), 40, 30);
    workers.length = 0;
    await new ImageServer().serve(store, small.id);
    expect(workers).toEqual([]);
  });
});
