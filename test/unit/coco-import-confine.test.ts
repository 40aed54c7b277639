// Issue 8, finding 8: a COCO import reads image files only inside its images
// folder. A file_name with `../`, an absolute path, or a link inside the
// folder that points out of it is skipped with the reason, unless outside
// paths are allowed (the CLI flag, or the app's own dialog — never the
// renderer); what was read from outside is listed in the report.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importCocoFile } from '../../electron/coco/import';
import { openProjectStore } from '../../electron/store/project-store';
import type { ProjectStore } from '../../electron/store/api';
import { solidJpeg } from '../helpers/make-images';
import { tempDir } from '../helpers/store-temp';
import { makeBench, type Bench } from './handlers-helpers';
import { egm } from '../integration/cli-project-helpers';

let tmp: ReturnType<typeof tempDir>;
let dataset: string;
let secret: string;
let store: ProjectStore;
beforeEach(async () => {
  tmp = tempDir('egm-coco-confine-');
  dataset = join(tmp.dir, 'dataset');
  secret = join(tmp.dir, 'private');
  mkdirSync(join(dataset, 'images'), { recursive: true });
  mkdirSync(secret);
  const jpeg = await solidJpeg(40, 30);
  writeFileSync(join(dataset, 'images', 'inside.jpg'), jpeg);
  writeFileSync(join(secret, 'up.jpg'), jpeg);
  writeFileSync(join(secret, 'absolute.jpg'), jpeg);
  writeFileSync(join(secret, 'linked.jpg'), jpeg);
  symlinkSync(secret, join(dataset, 'images', 'link'));
  store = openProjectStore(join(tmp.dir, 'p.egm'), { create: true });
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

/** A COCO file in dataset/ whose images are relative to dataset/images. */
function coco(): string {
  const names = ['inside.jpg', '../../private/up.jpg', join(secret, 'absolute.jpg'), 'link/linked.jpg'];
  const doc = {
    images: names.map((file_name, i) => ({ id: i + 1, file_name, width: 40, height: 30 })),
    annotations: names.map((_, i) => ({ id: i + 1, image_id: i + 1, category_id: 1, bbox: [1, 1, 10, 10], area: 100, iscrowd: 0 })),
    categories: [{ id: 1, name: 'thing' }],
  };
  const path = join(dataset, 'annotations.json');
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

describe('COCO import: images folder confinement', () => {
  it('skips ../, absolute and linked-out file names with the reason, and reads none of them', async () => {
    const imagesDir = join(dataset, 'images');
    const report = await importCocoFile(store, coco(), { imagesDir });
    expect(report).toMatchObject({ images: 1, annotations: 1, outside: [] });
    expect(store.listImages().map((image) => image.fileName)).toEqual(['inside.jpg']);
    const reasons = report.skipped.map((skip) => `${skip.path} ${skip.reason}`);
    expect(reasons).toEqual([
      `images[1] '../../private/up.jpg': resolves to ${join(secret, 'up.jpg')}, outside the images folder ${imagesDir}; not read (import with an images folder that contains it, or allow paths outside it) (its 1 annotation skipped too)`,
      `images[2] '${join(secret, 'absolute.jpg')}': resolves to ${join(secret, 'absolute.jpg')}, outside the images folder ${imagesDir}; not read (import with an images folder that contains it, or allow paths outside it) (its 1 annotation skipped too)`,
      `images[3] 'link/linked.jpg': resolves to ${join(imagesDir, 'link', 'linked.jpg')}, outside the images folder ${imagesDir}; not read (import with an images folder that contains it, or allow paths outside it) (its 1 annotation skipped too)`,
    ]);
  });

  it('imports them when outside paths are allowed, and lists them', async () => {
    const imagesDir = join(dataset, 'images');
    const report = await importCocoFile(store, coco(), { imagesDir, allowOutside: true });
    expect(report).toMatchObject({ images: 4, annotations: 4, skipped: [] });
    expect(report.outside).toEqual([join(secret, 'up.jpg'), join(secret, 'absolute.jpg'), join(imagesDir, 'link', 'linked.jpg')]);
  });

  it('asks once, with the outside files, before reading any of them', async () => {
    const asked: string[][] = [];
    const report = await importCocoFile(store, coco(), {
      imagesDir: join(dataset, 'images'),
      allowOutside: async (paths) => {
        asked.push(paths);
        return false;
      },
    });
    expect(asked).toEqual([[join(secret, 'up.jpg'), join(secret, 'absolute.jpg'), join(dataset, 'images', 'link', 'linked.jpg')]]);
    expect(report).toMatchObject({ images: 1, outside: [] });
  });

  it('in the app, only main\'s dialog can allow them (coco:import has no such field)', async () => {
    const bench: Bench = await makeBench();
    try {
      await bench.ok('project:create', { path: join(bench.dir, 'app.egm') });
      const file = coco();
      // A renderer asking for it is not heard: the field is not in the contract (dropped by its schema).
      const ignored = await bench.ok<{ images: number; outside: string[] }>('coco:import', { path: file, imagesDir: join(dataset, 'images'), allowOutside: true });
      expect(ignored).toMatchObject({ images: 1, outside: [] });

      let asked = 0;
      bench.dialogs.confirmOutsideImages = async () => {
        asked += 1;
        return false;
      };
      const skipped = await bench.ok<{ images: number; outside: string[] }>('coco:import', { path: file, imagesDir: join(dataset, 'images') });
      expect(skipped).toMatchObject({ images: 0, outside: [] }); // inside.jpg came with the first import
      bench.dialogs.confirmOutsideImages = async () => {
        asked += 1;
        return true;
      };
      const allowed = await bench.ok<{ images: number; outside: string[] }>('coco:import', { path: file, imagesDir: join(dataset, 'images') });
      expect(allowed.images).toBe(3);
      expect(allowed.outside).toHaveLength(3);
      expect(asked).toBe(2);
    } finally {
      await bench.dispose();
    }
  });

  it('egm import skips them unless --allow-outside-images, and then lists them', async () => {
    store.close();
    const file = coco();
    const confined = await egm(tmp.dir, 'import', 'p.egm', '--coco', file, '--images', join(dataset, 'images'));
    expect(confined.code).toBe(0);
    expect(confined.json).toMatchObject({ images: 1, outside: [] });
    expect(confined.json.skipped).toHaveLength(3);
    const allowed = await egm(tmp.dir, 'import', 'p.egm', '--coco', file, '--images', join(dataset, 'images'), '--allow-outside-images');
    expect(allowed.code).toBe(0);
    expect(allowed.json).toMatchObject({ images: 3, skipped: [] });
    expect(allowed.json.outside).toHaveLength(3);
    expect(allowed.stderr).toContain(`warning: read 3 image file(s) outside the images folder (--allow-outside-images), e.g. ${join(secret, 'up.jpg')}`);
    store = openProjectStore(join(tmp.dir, 'p.egm'));
  });
});
