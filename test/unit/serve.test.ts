// serve.ts against a real project file and real image files: every EXIF
// orientation comes back upright (checked against an independent pixel
// mapping, not sharp's own rotate), and nothing outside the project is served.
import { mkdtemp, rm, utimes, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageServer, ServeError } from '../../electron/images/serve';
import { openProjectStore } from '../../electron/store/project-store';
import type { ProjectStore } from '../../electron/store/api';
import { pngHeaderOnly } from '../helpers/make-images';

// Upright test picture: 3×2 blocks of 16 px, six colours far apart.
const W = 48;
const H = 32;
const BLOCK = 16;
const COLOURS: [number, number, number][] = [
  [230, 30, 30], [30, 200, 30], [30, 30, 230],
  [230, 230, 30], [30, 220, 220], [220, 30, 220],
];
const uprightAt = (x: number, y: number) => COLOURS[Math.floor(y / BLOCK) * 3 + Math.floor(x / BLOCK)]!;

/** Where display pixel (x, y) lies in a file stored with this EXIF orientation (EXIF 2.3 definitions). */
function storedCoords(o: number, x: number, y: number): { sx: number; sy: number; sw: number; sh: number } {
  switch (o) {
    case 1: return { sx: x, sy: y, sw: W, sh: H };
    case 2: return { sx: W - 1 - x, sy: y, sw: W, sh: H };
    case 3: return { sx: W - 1 - x, sy: H - 1 - y, sw: W, sh: H };
    case 4: return { sx: x, sy: H - 1 - y, sw: W, sh: H };
    case 5: return { sx: y, sy: x, sw: H, sh: W };
    case 6: return { sx: y, sy: W - 1 - x, sw: H, sh: W };
    case 7: return { sx: H - 1 - y, sy: W - 1 - x, sw: H, sh: W };
    default: return { sx: H - 1 - y, sy: x, sw: H, sh: W };
  }
}

async function writeOriented(file: string, o: number): Promise<void> {
  const { sw, sh } = storedCoords(o, 0, 0);
  const raw = Buffer.alloc(sw * sh * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const { sx, sy } = storedCoords(o, x, y);
      raw.set(uprightAt(x, y), (sy * sw + sx) * 3);
    }
  }
  await sharp(raw, { raw: { width: sw, height: sh, channels: 3 } })
    .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
    .withMetadata({ orientation: o })
    .toFile(file);
}

let dir: string;
let store: ProjectStore;
const ids = new Map<string, number>();

function add(name: string, absolutePath: string, width = W, height = H, orientation = 1): number {
  const { added } = store.addImages([{ absolutePath, width, height, orientation }]);
  const id = added[0]?.id;
  if (!id) throw new Error(`test setup: ${name} not added`);
  ids.set(name, id);
  return id;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egm-serve-'));
  store = openProjectStore(join(dir, 'p.egm'), { create: true });
  for (let o = 1; o <= 8; o++) {
    await writeOriented(join(dir, `o${o}.jpg`), o);
    add(`o${o}`, join(dir, `o${o}.jpg`), W, H, o);
  }
  await sharp({ create: { width: 10, height: 6, channels: 3, background: '#336699' } }).tiff().toFile(join(dir, 'x.tiff'));
  add('tiff', join(dir, 'x.tiff'), 10, 6);
  await writeFile(join(dir, 'fake.jpg'), 'this is not an image');
  add('fake', join(dir, 'fake.jpg'), 1, 1);
  // Added while small, then replaced by a file declaring 12,000 × 10,000 px.
  await writeFile(join(dir, 'grew.png'), pngHeaderOnly(12_000, 10_000));
  add('grew', join(dir, 'grew.png'), 1, 1);
  await mkdir(join(dir, 'folder.jpg'));
  add('folder', join(dir, 'folder.jpg'), 1, 1);
  await writeOriented(join(dir, 'gone.jpg'), 1);
  add('gone', join(dir, 'gone.jpg'));
  await rm(join(dir, 'gone.jpg'));
});

afterAll(async () => {
  store?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('ImageServer orientation', () => {
  for (let o = 1; o <= 8; o++) {
    it(`serves orientation ${o} upright as ${W}×${H}`, async () => {
      const served = await new ImageServer().serve(store, ids.get(`o${o}`)!);
      expect(served.mimeType).toBe('image/jpeg');
      const meta = await sharp(served.bytes).metadata();
      // A served file must not ask the browser to rotate it again.
      if (o === 1) expect(meta.orientation).toBe(1);
      else expect(meta.orientation).toBeUndefined();
      const { data, info } = await sharp(served.bytes).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([W, H]);
      for (let by = 0; by < 2; by++) {
        for (let bx = 0; bx < 3; bx++) {
          const x = bx * BLOCK + 8;
          const y = by * BLOCK + 8;
          const at = (y * info.width + x) * info.channels;
          const got = [data[at]!, data[at + 1]!, data[at + 2]!];
          const want = uprightAt(x, y);
          got.forEach((value, c) => expect(Math.abs(value - want[c]!), `block ${bx},${by} channel ${c}`).toBeLessThan(12));
        }
      }
    });
  }

  it('passes an upright JPEG through byte for byte', async () => {
    const { readFile } = await import('node:fs/promises');
    const served = await new ImageServer().serve(store, ids.get('o1')!);
    expect(served.bytes.equals(await readFile(join(dir, 'o1.jpg')))).toBe(true);
  });

  it('re-encodes TIFF (which browsers do not show) as PNG', async () => {
    const served = await new ImageServer().serve(store, ids.get('tiff')!);
    expect(served.mimeType).toBe('image/png');
    expect((await sharp(served.bytes).metadata()).format).toBe('png');
  });

  it('caches re-encodes and notices a changed file', async () => {
    const server = new ImageServer();
    const id = ids.get('o6')!;
    const first = await server.serve(store, id);
    await server.serve(store, id);
    expect(server.reencodes).toBe(1);
    await writeOriented(join(dir, 'o6.jpg'), 6);
    const later = new Date(Date.now() + 5000);
    await utimes(join(dir, 'o6.jpg'), later, later);
    const again = await server.serve(store, id);
    expect(server.reencodes).toBe(2);
    expect(again.bytes.length).toBeGreaterThan(0);
    expect(first.mimeType).toBe(again.mimeType);
  });

  it('keeps the cache within its entry limit', async () => {
    const server = new ImageServer({ cacheEntries: 2 });
    for (const o of [2, 3, 4]) await server.serve(store, ids.get(`o${o}`)!);
    await server.serve(store, ids.get('o2')!); // evicted by o4, so re-encoded again
    expect(server.reencodes).toBe(4);
  });
});

describe('ImageServer confinement', () => {
  const status = async (promise: Promise<unknown>) => {
    const err = await promise.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ServeError);
    return { status: (err as ServeError).status, message: (err as ServeError).message };
  };

  it('answers 404 for an id the project does not have', async () => {
    expect(await status(new ImageServer().serve(store, 9999))).toMatchObject({ status: 404, message: 'image 9999 is not in this project' });
  });

  it('answers 404 when no project is open', async () => {
    expect((await status(new ImageServer().serve(null, 1))).status).toBe(404);
  });

  it('accepts only plain positive integers as ids', () => {
    expect(ImageServer.parseId('12')).toBe(12);
    expect(ImageServer.parseId('12/')).toBe(12);
    for (const bad of ['../../etc/passwd', '%2e%2e', '0', '-1', '01', '1.5', '1e3', '', 'abc', '99999999999999999999']) {
      expect(() => ImageServer.parseId(bad), bad).toThrow(ServeError);
    }
  });

  it('answers 404 for a recorded file that is gone or is not a file', async () => {
    expect(await status(new ImageServer().serve(store, ids.get('gone')!))).toMatchObject({ status: 404 });
    expect((await status(new ImageServer().serve(store, ids.get('folder')!))).message).toContain('not a regular file');
  });

  it('answers 415 for a file that is not an image', async () => {
    expect((await status(new ImageServer().serve(store, ids.get('fake')!))).status).toBe(415);
  });

  it('answers 415 for a file replaced by one over the 100 MP limit, without decoding it', async () => {
    const answer = await status(new ImageServer().serve(store, ids.get('grew')!));
    expect(answer).toMatchObject({ status: 415 });
    expect(answer.message).toContain('over the 100 MP limit');
  });
});
