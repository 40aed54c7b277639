// Images, annotations, categories and COCO through the handler table, on a real
// project file: what the renderer does, minus the renderer.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Annotation, Category, ImageRecord, ProjectInfo, Skipped } from '@core/types';
import type { CocoExportReport, CocoImportReport } from '@ipc/contract';
import { makeBench, SAMPLES_DIR, type Bench } from './handlers-helpers';

let bench: Bench;
let image: ImageRecord;
beforeEach(async () => {
  bench = await makeBench();
  await bench.ok<ProjectInfo>('project:create', { path: join(bench.dir, 'p.egm') });
  const { added } = await bench.ok<{ added: ImageRecord[]; skipped: Skipped[] }>('images:add', {
    paths: [join(SAMPLES_DIR, 'coffee.png'), join(SAMPLES_DIR, 'fruits.jpg')],
  });
  image = added[0]!;
});
afterEach(async () => {
  await bench.dispose();
});

const fields = {
  categoryId: null, phrase: 'the cup', visible: [10, 20, 110, 220], amodal: [10, 20, 130, 240],
  occluded: true, source: 'model', model: 'egm-4b', score: 0.9, reviewed: false,
};

describe('images', () => {
  it('adds, skips duplicates with a reason, sets status', async () => {
    const again = await bench.ok<{ added: ImageRecord[]; skipped: Skipped[] }>('images:add', { paths: [join(SAMPLES_DIR, 'coffee.png')] });
    expect(again.added).toEqual([]);
    expect(again.skipped[0]?.reason).toBeTruthy();
    const updated = await bench.ok<ImageRecord>('images:setStatus', { id: image.id, status: 'done' });
    expect(updated.status).toBe('done');
    expect(await bench.call('images:setStatus', { id: 999, status: 'done' })).toEqual({ ok: false, error: 'images:setStatus: no image with id 999 in this project' });
  });
});

describe('annotations and categories', () => {
  it('creates, updates, deletes and restores', async () => {
    const category = await bench.ok<Category>('categories:ensure', { name: ' cup ' });
    expect(category.name).toBe('cup');
    const created = await bench.ok<Annotation>('annotations:create', { imageId: image.id, ...fields, categoryId: category.id });
    expect(created).toMatchObject({ imageId: image.id, visible: [10, 20, 110, 220], occluded: true });
    const updated = await bench.ok<Annotation>('annotations:update', { id: created.id, patch: { reviewed: true } });
    expect(updated.reviewed).toBe(true);
    expect(await bench.ok('annotations:delete', { ids: [created.id] })).toEqual({ deleted: 1 });
    expect(await bench.ok('annotations:list', { imageId: image.id })).toEqual([]);
    await bench.ok('annotations:restore', { annotations: [updated] });
    expect(await bench.ok<Annotation[]>('annotations:list', { imageId: image.id })).toEqual([updated]);
    expect(await bench.ok<Category>('categories:rename', { id: category.id, name: 'mug' })).toEqual({ id: category.id, name: 'mug' });
    expect(await bench.ok('categories:list', {})).toEqual([{ id: category.id, name: 'mug' }]);
  });

  it('refuses annotations of an unknown image with a one-line error', async () => {
    const result = await bench.call('annotations:list', { imageId: 4242 });
    expect(result).toEqual({ ok: false, error: 'annotations:list: no image with id 4242 in this project' });
  });
});

describe('coco', () => {
  it('exports and imports through the handlers', async () => {
    await bench.ok('annotations:create', { imageId: image.id, ...fields });
    const out = join(bench.dir, 'out.json');
    const exported = await bench.ok<CocoExportReport>('coco:export', { path: out });
    expect(exported).toEqual({ path: out, images: 2, annotations: 1, categories: expect.any(Number), negatives: 0, missingFiles: [] });
    const doc = JSON.parse(await readFile(out, 'utf8'));
    expect(doc.annotations[0].bbox).toEqual([10, 20, 100, 200]);

    // file_name is relative to the images root the project remembers (the folder the images were added from).
    expect(doc.images.map((i: { file_name: string }) => i.file_name)).toEqual(['coffee.png', 'fruits.jpg']);

    await bench.ok('project:create', { path: join(bench.dir, 'q.egm') });
    // Import looks beside the JSON by default, where these images are not; the images folder is then named.
    const notThere = await bench.ok<CocoImportReport>('coco:import', { path: out });
    expect(notThere).toMatchObject({ images: 0, annotations: 0, outside: [] });
    expect(notThere.skipped[0]!.reason).toContain('file not found');
    const imported = await bench.ok<CocoImportReport>('coco:import', { path: out, imagesDir: SAMPLES_DIR });
    expect(imported).toMatchObject({ images: 2, annotations: 1, duplicates: 0, outside: [] });
    expect(bench.events.at(-1)).toMatchObject({ event: 'project:changed', payload: { imageCount: 2, annotationCount: 1 } });
  });
});
