// The project store against a real SQLite file in a temp folder.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectStore } from '../../electron/store/api';
import { openProjectStore } from '../../electron/store/project-store';
import { PALETTE } from '@core/annotation-rules';
import { annotationInput, tempDir } from '../helpers/store-temp';

let tmp: ReturnType<typeof tempDir>;
let file: string;
let store: ProjectStore;
let imageId: number;

beforeEach(() => {
  tmp = tempDir();
  file = join(tmp.dir, 'project.egm');
  writeFileSync(join(tmp.dir, 'a.jpg'), 'x');
  writeFileSync(join(tmp.dir, 'b.jpg'), 'x');
  store = openProjectStore(file, { create: true });
  const { added } = store.addImages([
    { absolutePath: join(tmp.dir, 'a.jpg'), width: 640, height: 480, orientation: 1 },
    { absolutePath: join(tmp.dir, 'b.jpg'), width: 480, height: 640, orientation: 6 },
  ]);
  imageId = added[0]!.id;
});

afterEach(() => {
  store.close();
  tmp.cleanup();
});

describe('project store: annotations', () => {
  it('creates, reads, updates and deletes, and the edits are in the file after reopening', () => {
    const created = store.createAnnotation(annotationInput(imageId));
    expect(created).toMatchObject({ imageId, visible: [10, 20, 110, 220], amodal: [5, 20, 110, 240], occluded: true, reviewed: false });
    expect(created.id).toBeGreaterThan(0);
    expect(created.createdAt).toBe(created.updatedAt);

    const updated = store.updateAnnotation(created.id, { visible: [1, 2, 3, 4], reviewed: true, amodal: null, phrase: 'orange' });
    expect(updated).toMatchObject({ id: created.id, visible: [1, 2, 3, 4], reviewed: true, amodal: null, phrase: 'orange', color: created.color });
    expect(updated.createdAt).toBe(created.createdAt);

    const second = store.createAnnotation(annotationInput(imageId, { source: 'model', model: 'egm-2b', score: 0.87 }));
    store.deleteAnnotations([created.id]);
    store.close();

    store = openProjectStore(file);
    expect(store.listAnnotations(imageId)).toEqual([second]);
    expect(store.allAnnotations()).toEqual([second]);
    expect(store.info()).toMatchObject({ name: 'project', imageCount: 2, annotationCount: 1, missingCount: 0 });
  });

  it('restores deleted annotations under their original ids, even after newer ones were created', () => {
    const a = store.createAnnotation(annotationInput(imageId));
    const b = store.createAnnotation(annotationInput(imageId, { phrase: 'second' }));
    store.deleteAnnotations([a.id, b.id]);
    const c = store.createAnnotation(annotationInput(imageId, { phrase: 'third' }));
    expect(c.id).toBeGreaterThan(b.id); // ids are never reused, so undo cannot collide
    expect(store.restoreAnnotations([a, b])).toEqual([a, b]);
    expect(store.listAnnotations(imageId).map((x) => x.id)).toEqual([a.id, b.id, c.id]);
    expect(() => store.restoreAnnotations([a])).toThrow(`cannot restore annotation ${a.id}: an annotation with this id already exists`);
  });

  it('restore is all or nothing', () => {
    const a = store.createAnnotation(annotationInput(imageId));
    store.deleteAnnotations([a.id]);
    const bad = { ...a, id: a.id + 100, imageId: 9999 };
    expect(() => store.restoreAnnotations([a, bad])).toThrow('image 9999 not found');
    expect(store.listAnnotations(imageId)).toEqual([]);
  });

  it('gives each object on an image a distinct palette colour unless one is given', () => {
    const colors = Array.from({ length: 4 }, () => store.createAnnotation(annotationInput(imageId)).color);
    expect(new Set(colors).size).toBe(4);
    expect(colors.every((c) => PALETTE.includes(c))).toBe(true);
    expect(store.createAnnotation(annotationInput(imageId, { color: '#123456' })).color).toBe('#123456');
  });

  it('refuses bad input with one-line errors and stores nothing', () => {
    expect(() => store.createAnnotation(annotationInput(9999))).toThrow(/^image 9999 not found in .*project\.egm$/);
    expect(() => store.createAnnotation(annotationInput(imageId, { visible: [10, 10, 5, 20] }))).toThrow('x2 < x1');
    expect(() => store.createAnnotation(annotationInput(imageId, { visible: [0, 0, Number.NaN, 1] }))).toThrow('four finite numbers');
    expect(() => store.createAnnotation(annotationInput(imageId, { categoryId: 77 }))).toThrow('category 77 not found');
    expect(() => store.updateAnnotation(424242, { phrase: 'x' })).toThrow('annotation 424242 not found');
    expect(store.allAnnotations()).toEqual([]);
  });

  it('counts annotations and unreviewed ones per image and filters unreviewed images', () => {
    const other = store.listImages()[1]!.id;
    store.createAnnotation(annotationInput(imageId));
    store.createAnnotation(annotationInput(imageId, { reviewed: true }));
    store.createAnnotation(annotationInput(other, { reviewed: true }));
    const byId = new Map(store.listImages().map((image) => [image.id, image]));
    expect(byId.get(imageId)).toMatchObject({ annotationCount: 2, unreviewedCount: 1, proposalCount: 0 });
    expect(byId.get(other)).toMatchObject({ annotationCount: 1, unreviewedCount: 0 });
    expect(store.listImages({ unreviewed: true }).map((image) => image.id)).toEqual([imageId]);
    expect(store.getImage(imageId)).toEqual(byId.get(imageId));
  });

  it('rolls back everything inside a failed transaction', () => {
    expect(() =>
      store.transaction(() => {
        store.createAnnotation(annotationInput(imageId));
        store.ensureCategory('lime');
        throw new Error('import failed halfway');
      }),
    ).toThrow('import failed halfway');
    expect(store.allAnnotations()).toEqual([]);
    expect(store.listCategories()).toEqual([]);
  });
});

describe('project store: images and categories', () => {
  it('keeps status, orientation and upright size', () => {
    store.setImageStatus(imageId, 'done');
    expect(store.getImage(imageId)).toMatchObject({ status: 'done', width: 640, height: 480, orientation: 1, fileName: 'a.jpg', path: 'a.jpg' });
    expect(() => store.setImageStatus(9999, 'done')).toThrow('image 9999 not found');
    expect(() => store.setImageStatus(imageId, 'finished' as never)).toThrow("image status must be one of todo, in-progress, done, got 'finished'");
  });

  it('skips images already in the project (also within one call) and bad sizes, with reasons', () => {
    const a = join(tmp.dir, 'a.jpg');
    writeFileSync(join(tmp.dir, 'c.jpg'), 'x');
    const c = join(tmp.dir, 'c.jpg');
    const result = store.addImages([
      { absolutePath: a, width: 1, height: 1, orientation: 1 },
      { absolutePath: c, width: 10, height: 10, orientation: 1 },
      { absolutePath: join(tmp.dir, '.', 'c.jpg'), width: 10, height: 10, orientation: 1 },
      { absolutePath: join(tmp.dir, 'd.jpg'), width: 0, height: 10, orientation: 1 },
    ]);
    expect(result.added.map((image) => image.path)).toEqual(['c.jpg']);
    expect(result.skipped).toEqual([
      { path: a, reason: 'already in the project' },
      { path: c, reason: 'already in the project' },
      { path: join(tmp.dir, 'd.jpg'), reason: 'invalid size 0x10' },
    ]);
  });

  it('numbers categories from 1, keeps names unique, and renames', () => {
    const lime = store.ensureCategory('lime');
    expect(lime).toEqual({ id: 1, name: 'lime' });
    expect(store.ensureCategory('  lime ')).toEqual(lime);
    const orange = store.ensureCategory('orange');
    expect(orange.id).toBe(2);
    expect(store.renameCategory(lime.id, 'green lime')).toEqual({ id: 1, name: 'green lime' });
    expect(() => store.renameCategory(lime.id, 'orange')).toThrow("cannot rename 'green lime' to 'orange': a category of that name exists (merge them instead)");
    expect(() => store.ensureCategory('   ')).toThrow('category name must not be empty');
    const a = store.createAnnotation(annotationInput(imageId, { categoryId: orange.id }));
    expect(store.updateAnnotation(a.id, { categoryId: 1 }).categoryId).toBe(1);
    expect(store.listCategories()).toEqual([{ id: 1, name: 'green lime' }, { id: 2, name: 'orange' }]);
  });

  it('writes the file in WAL mode with a passing integrity check', () => {
    store.createAnnotation(annotationInput(imageId));
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});

describe('project store: durability option', () => {
  it('opens with synchronous FULL on request and refuses other values', () => {
    store.close();
    store = openProjectStore(file, { synchronous: 'FULL' });
    expect(store.createAnnotation(annotationInput(imageId)).id).toBeGreaterThan(0);
    expect(() => openProjectStore(file, { synchronous: 'OFF' as never })).toThrow(`${file}: synchronous must be NORMAL or FULL, got 'OFF'`);
  });
});
