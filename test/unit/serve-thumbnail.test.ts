// Thumbnails (issue 11): `?thumb=1` answers a small upright JPEG, longest side
// 160 px (never enlarged), from the same serve.ts for the app's protocol and
// the e2e harness's server; an unknown id is a one-line 404.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageServer, ServeError, THUMB_SIZE } from '../../electron/images/serve';
import { appThumbUrl } from '../../electron/handlers/events';
import { openProjectStore } from '../../electron/store/project-store';
import type { ProjectStore } from '../../electron/store/api';
import { startServer, type HarnessServer } from '../e2e/harness/server';

// Upright picture 640×320: left half red, right half blue.
const W = 640;
const H = 320;
const upright = (x: number): [number, number, number] => (x < W / 2 ? [220, 20, 20] : [20, 20, 220]);

/** The picture stored turned (EXIF orientation 6: stored H×W, shown rotated 90° clockwise). */
async function writeRotated(file: string): Promise<void> {
  const sw = H;
  const sh = W;
  const raw = Buffer.alloc(sw * sh * 3);
  for (let sy = 0; sy < sh; sy++) for (let sx = 0; sx < sw; sx++) raw.set(upright(W - 1 - sy), (sy * sw + sx) * 3);
  await sharp(raw, { raw: { width: sw, height: sh, channels: 3 } }).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toFile(file);
}

let dir: string;
let store: ProjectStore;
const id: Record<string, number> = {};
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egm-thumb-'));
  store = openProjectStore(join(dir, 'p.egm'), { create: true });
  await writeRotated(join(dir, 'turned.jpg'));
  await sharp({ create: { width: 48, height: 32, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toFile(join(dir, 'small.png'));
  await writeFile(join(dir, 'fake.jpg'), 'not an image');
  const added = store.addImages([
    { absolutePath: join(dir, 'turned.jpg'), width: W, height: H, orientation: 6 },
    { absolutePath: join(dir, 'small.png'), width: 48, height: 32, orientation: 1 },
    { absolutePath: join(dir, 'fake.jpg'), width: 1, height: 1, orientation: 1 },
  ]).added;
  for (const image of added) id[image.fileName] = image.id;
});
afterAll(async () => {
  store.close();
  await rm(dir, { recursive: true, force: true });
});

async function pixelAt(jpeg: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + 3)];
}

describe('ImageServer.thumbnail', () => {
  it('is a JPEG, longest side 160 px, upright (EXIF orientation applied)', async () => {
    const thumb = await new ImageServer().thumbnail(store, id['turned.jpg']!);
    expect(thumb.mimeType).toBe('image/jpeg');
    const meta = await sharp(thumb.bytes).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: THUMB_SIZE, height: THUMB_SIZE / 2 });
    expect(meta.orientation ?? 1).toBe(1);
    // Left red, right blue, as the picture is shown (stored turned, it would be top/bottom).
    const [lr, , lb] = await pixelAt(thumb.bytes, 20, 40);
    const [rr, , rb] = await pixelAt(thumb.bytes, 140, 40);
    expect(lr! > 150 && lb! < 90).toBe(true);
    expect(rb! > 150 && rr! < 90).toBe(true);
  });

  it('keeps a small image its size (never enlarged), transparent parts white', async () => {
    const thumb = await new ImageServer().thumbnail(store, id['small.png']!);
    expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: 'jpeg', width: 48, height: 32 });
    expect((await pixelAt(thumb.bytes, 5, 5)).every((v) => v > 240)).toBe(true);
  });

  it('makes each thumbnail once (cached by file identity)', async () => {
    const server = new ImageServer();
    const first = await server.thumbnail(store, id['turned.jpg']!);
    const again = await server.thumbnail(store, id['turned.jpg']!);
    expect(again).toBe(first);
    expect(server.thumbnails).toBe(1);
  });

  it('answers a one-line 404 for an unknown id and a 415 for a file that is no image', async () => {
    const failure = async (p: Promise<unknown>) => p.then(() => null, (err: ServeError) => ({ status: err.status, message: err.message }));
    expect(await failure(new ImageServer().thumbnail(store, 9999))).toEqual({ status: 404, message: 'image 9999 is not in this project' });
    const fake = await failure(new ImageServer().thumbnail(store, id['fake.jpg']!));
    expect(fake).toMatchObject({ status: 415, message: expect.stringContaining('is not a readable image') });
    expect(fake!.message).not.toContain('\n');
  });

  it('is what ?thumb=1 asks for; any other query is the whole image', () => {
    expect(ImageServer.parseRequest('tok/12', new URLSearchParams('thumb=1'))).toEqual({ project: 'tok', id: 12, thumb: true });
    expect(ImageServer.parseRequest('tok/12', new URLSearchParams('v=3'))).toEqual({ project: 'tok', id: 12, thumb: false });
    expect(new URL(appThumbUrl('egm-image', 'tok', 12)).searchParams.get('thumb')).toBe('1');
  });

  it('names the project opening (issue 16): an id alone, or another opening’s token, is a 404', async () => {
    expect(() => ImageServer.parseRequest('12', new URLSearchParams())).toThrow(ServeError);
    expect(() => ImageServer.parseRequest('a b/12', new URLSearchParams())).toThrow(ServeError);
    const request = ImageServer.parseRequest(`not-${store.token}/${id['turned.jpg']}`, new URLSearchParams('thumb=1'));
    await expect(new ImageServer().serveRequest(store, request)).rejects.toMatchObject({ status: 404, message: `image ${id['turned.jpg']}: asked for a project that is no longer open` });
  });
});

describe('the harness server route', () => {
  let server: HarnessServer;
  const errors: string[] = [];
  beforeAll(async () => {
    server = await startServer(join(dir, 'no-renderer'), () => store, errors);
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves /image/<token>/<id>?thumb=1 as a thumbnail and the plain URL as the image', async () => {
    const thumb = await fetch(`${server.origin}/image/${store.token}/${id['turned.jpg']}?thumb=1`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    expect(await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).toMatchObject({ width: 160, height: 80 });
    const whole = await fetch(`${server.origin}/image/${store.token}/${id['turned.jpg']}`);
    expect(await sharp(Buffer.from(await whole.arrayBuffer())).metadata()).toMatchObject({ width: W, height: H });
    const missing = await fetch(`${server.origin}/image/${store.token}/9999?thumb=1`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('image 9999 is not in this project');
    expect(errors).toEqual([]);
  });
});
