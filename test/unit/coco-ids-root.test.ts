// Issue 9, item 1: a COCO import keeps the file's image, category and
// annotation ids (new ones take the next free id), the project remembers the
// images root it was imported from as export's default file_name base, and a
// second import of the same file adds nothing (its boxes are reported as
// duplicates).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportCocoFile } from '../../electron/coco/export';
import { importCocoFile } from '../../electron/coco/import';
import { addImagesToStore } from '../../electron/images/collect';
import type { ProjectStore } from '../../electron/store/api';
import { openProjectStore } from '../../electron/store/project-store';
import { solidJpeg } from '../helpers/make-images';
import { annotationInput, tempDir } from '../helpers/store-temp';

let tmp: ReturnType<typeof tempDir>;
let images: string;
let store: ProjectStore;
beforeEach(async () => {
  tmp = tempDir('egm-coco-ids-');
  images = join(tmp.dir, 'data', 'images');
  mkdirSync(images, { recursive: true });
  const jpeg = await solidJpeg(40, 30);
  for (const name of ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg']) writeFileSync(join(images, name), jpeg);
  store = openProjectStore(join(tmp.dir, 'p.egm'), { create: true });
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

/** A COCO file in data/annotations/ (not beside the images) with the ids: images 11-13, categories 3/7/12/20, annotations 101-105. */
function cocoFile(): string {
  const doc = {
    images: ['a.jpg', 'b.jpg', 'c.jpg'].map((file_name, i) => ({ id: 11 + i, file_name, width: 40, height: 30 })),
    categories: [3, 7, 12, 20].map((id) => ({ id, name: `cat${id}` })),
    annotations: [101, 102, 103, 104, 105].map((id, i) => ({
      id,
      image_id: 11 + (i % 3),
      category_id: [3, 7, 12, 20, 3][i],
      bbox: [1 + i, 2, 10, 12.5],
      area: 125,
      iscrowd: 0,
      phrase: `thing ${id}`,
    })),
  };
  mkdirSync(join(tmp.dir, 'data', 'annotations'), { recursive: true });
  const path = join(tmp.dir, 'data', 'annotations', 'in.json');
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as {
  images: { id: number; file_name: string }[];
  categories: { id: number; name: string }[];
  annotations: { id: number; image_id: number; category_id: number }[];
};

describe('COCO ids kept', () => {
  it('exports the imported ids, and the next free id for new ones', async () => {
    await importCocoFile(store, cocoFile(), { imagesDir: images });
    const [added] = (await addImagesToStore(store, [join(images, 'd.jpg')])).added;
    const fresh = store.createAnnotation(annotationInput(added!.id, { categoryId: store.ensureCategory('new').id }));
    const out = join(tmp.dir, 'out', 'export.json');
    mkdirSync(dirname(out), { recursive: true });
    await exportCocoFile(store, out);
    const doc = readJson(out);
    expect(doc.images.map((i) => i.id)).toEqual([11, 12, 13, 14]);
    expect(doc.categories.map((c) => c.id)).toEqual([3, 7, 12, 20, 21]);
    expect(doc.annotations.map((a) => [a.id, a.image_id, a.category_id])).toEqual([
      [101, 11, 3], [104, 11, 20], [102, 12, 7], [105, 12, 3], [103, 13, 12], [106, 14, 21],
    ]);
    expect(fresh.id).toBe(106);
  });

  it('gives an id already taken in the project the next free one', async () => {
    await addImagesToStore(store, [join(images, 'd.jpg')]); // project image 1
    const doc = JSON.parse(readFileSync(cocoFile(), 'utf8'));
    doc.images[0].id = 1; // a.jpg wants id 1, taken by d.jpg
    doc.annotations.forEach((a: { image_id: number }) => { if (a.image_id === 11) a.image_id = 1; });
    const path = join(tmp.dir, 'data', 'annotations', 'clash.json');
    writeFileSync(path, JSON.stringify(doc));
    await importCocoFile(store, path, { imagesDir: images });
    const byName = new Map(store.listImages().map((i) => [i.fileName, i.id]));
    expect(byName.get('d.jpg')).toBe(1);
    expect(byName.get('a.jpg')).toBe(13 + 1);
    expect(store.listAnnotations(byName.get('a.jpg')!).map((a) => a.id)).toEqual([101, 104]);
  });
});

describe('images root', () => {
  it('is remembered from the import and is the default base of file_name', async () => {
    expect(store.imagesRoot()).toBeNull();
    await importCocoFile(store, cocoFile(), { imagesDir: images });
    expect(store.imagesRoot()).toBe(images);
    // Saved elsewhere, the export's names stay relative to the images folder (no '../../' names).
    const out = join(tmp.dir, 'elsewhere', 'deep', 'x.json');
    mkdirSync(dirname(out), { recursive: true });
    await exportCocoFile(store, out);
    expect(readJson(out).images.map((i) => i.file_name)).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);
    // An explicit folder still wins.
    await exportCocoFile(store, out, { imagesDir: join(tmp.dir, 'data') });
    expect(readJson(out).images[0]!.file_name).toBe('images/a.jpg');
  });

  it('round-trips import → export → import into another project with the same images folder', async () => {
    await importCocoFile(store, cocoFile(), { imagesDir: images });
    const out = join(tmp.dir, 'exports', 'x.json');
    mkdirSync(dirname(out), { recursive: true });
    await exportCocoFile(store, out);
    const other = openProjectStore(join(tmp.dir, 'q.egm'), { create: true });
    try {
      const report = await importCocoFile(other, out, { imagesDir: images });
      expect(report.skipped).toEqual([]);
      expect(report.annotations).toBe(5);
      const again = join(tmp.dir, 'exports', 'y.json');
      await exportCocoFile(other, again);
      expect(readFileSync(again, 'utf8')).toBe(readFileSync(out, 'utf8'));
    } finally {
      other.close();
    }
  });

  it('is the first folder images were added from, and survives reopening', async () => {
    await addImagesToStore(store, [images]);
    store.close();
    store = openProjectStore(join(tmp.dir, 'p.egm'));
    expect(store.imagesRoot()).toBe(images);
  });
});

describe('importing the same file twice', () => {
  it('reports the second time’s boxes as duplicates and adds nothing', async () => {
    const file = cocoFile();
    const first = await importCocoFile(store, file, { imagesDir: images });
    expect([first.images, first.annotations, first.duplicates]).toEqual([3, 5, 0]);
    const second = await importCocoFile(store, file, { imagesDir: images });
    expect([second.images, second.existingImages, second.annotations, second.duplicates]).toEqual([0, 3, 0, 5]);
    expect(store.info().annotationCount).toBe(5);
  });

  it('still adds a box that differs only in its phrase', async () => {
    const file = cocoFile();
    await importCocoFile(store, file, { imagesDir: images });
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.annotations[0].phrase = 'another phrase';
    writeFileSync(file, JSON.stringify(doc));
    const second = await importCocoFile(store, file, { imagesDir: images });
    expect([second.annotations, second.duplicates]).toEqual([1, 4]);
    expect(store.info().annotationCount).toBe(6);
  });
});
