// Adding images from disk: fixtures generated with sharp at test time, probed
// for real, stored in a real project file.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addImagesToStore, collectImageFiles } from '../../electron/images/collect';
import { openProjectStore } from '../../electron/store/project-store';
import { makeImageFixtures, solidJpeg, type ImageFixtures } from '../helpers/make-images';
import { tempDir } from '../helpers/store-temp';

let tmp: ReturnType<typeof tempDir>;
let fx: ImageFixtures;

beforeAll(async () => {
  tmp = tempDir('egm-images-');
  fx = await makeImageFixtures(join(tmp.dir, 'images'));
});
afterAll(() => tmp.cleanup());

describe('collectImageFiles', () => {
  it('walks folders recursively in a stable natural order, skipping hidden and non-image files', async () => {
    const dir = join(tmp.dir, 'collect');
    mkdirSync(join(dir, 'b', 'deep'), { recursive: true });
    mkdirSync(join(dir, '.cache'), { recursive: true });
    for (const name of ['img10.jpg', 'img2.JPG', 'img1.png', 'readme.txt', '.DS_Store', '._img1.png', 'b/deep/z.webp', '.cache/c.jpg']) {
      writeFileSync(join(dir, name), 'x');
    }
    symlinkSync(dir, join(dir, 'b', 'loop')); // a link back up must not loop forever
    const expected = ['b/deep/z.webp', 'img1.png', 'img2.JPG', 'img10.jpg'].map((name) => join(dir, name));
    expect(await collectImageFiles([dir])).toEqual(expected);
    // Same result whatever the argument order, duplicates removed; explicit files kept whatever their name.
    const explicit = join(dir, 'readme.txt');
    expect(await collectImageFiles([explicit, dir, join(dir, 'img1.png')])).toEqual([...expected, explicit].sort((a, b) => new Intl.Collator('en', { numeric: true }).compare(a, b)));
    expect(await collectImageFiles([join(dir, 'absent.jpg')])).toEqual([join(dir, 'absent.jpg')]);
  });
});

describe('addImagesToStore', () => {
  it('adds good images with their displayed size and skips each bad file with a one-line reason', async () => {
    const store = openProjectStore(join(tmp.dir, 'all.egm'), { create: true });
    const progress: number[] = [];
    const absent = join(fx.dir, 'gone.jpg');
    const { added, skipped } = await addImagesToStore(store, [fx.dir, absent], { concurrency: 3, onProgress: (p) => progress.push(p.done) });

    const byName = new Map(added.map((image) => [image.fileName, image]));
    for (const o of fx.oriented) {
      expect(byName.get(`orient-${o.orientation}.jpg`), `orientation ${o.orientation}`).toMatchObject({ orientation: o.orientation, width: o.width, height: o.height });
    }
    expect(byName.get('my photo 2.png')).toMatchObject({ width: 40, height: 50, path: 'images/sub folder/my photo 2.png' });
    expect(byName.get('фото 日本 é.jpg')).toMatchObject({ width: 33, height: 44, path: 'images/sub folder/фото 日本 é.jpg' });
    expect(added).toHaveLength(10);

    const reasons = Object.fromEntries(skipped.map((s) => [s.path, s.reason]));
    expect(reasons).toEqual({
      [fx.zeroByte]: 'empty file (0 bytes)',
      [fx.textAsJpg]: expect.stringMatching(/^not a readable image/),
      [fx.truncatedJpeg]: 'truncated JPEG file (no end marker)',
      [fx.hugePng]: 'image is 120.0 megapixels, over the 100 MP limit',
      [absent]: 'file not found',
    });
    expect(skipped.every((s) => !s.reason.includes('\n'))).toBe(true);
    // Nothing lost: every collected file is either added or skipped.
    expect(added.length + skipped.length).toBe(15);
    expect(progress).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    // Stored in sorted (collected) order, not in probe completion order.
    expect(store.listImages().map((image) => image.fileName)).toEqual(added.map((image) => image.fileName));

    const again = await addImagesToStore(store, [fx.dir]);
    expect(again.added).toEqual([]);
    expect(again.skipped.filter((s) => s.reason === 'already in the project')).toHaveLength(10);
    expect(store.info().imageCount).toBe(10);
    store.close();
  });

  it('works with concurrency 1 and an empty input', async () => {
    const dir = join(tmp.dir, 'few');
    mkdirSync(dir);
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, `${i}.jpg`), await solidJpeg(8 + i, 8));
    const store = openProjectStore(join(tmp.dir, 'few.egm'), { create: true });
    expect(await addImagesToStore(store, [])).toEqual({ added: [], skipped: [] });
    const { added } = await addImagesToStore(store, [dir], { concurrency: 1 });
    expect(added.map((image) => image.width)).toEqual([8, 9, 10, 11, 12]);
    store.close();
  });
});
