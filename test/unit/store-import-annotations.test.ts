// ProjectStore.importAnnotations (issue 9): the bulk write of a COCO import.
// Ids wanted are kept where free, the others take the next free id after them;
// colours are the ones createAnnotation would choose, box after box; a bad row
// rolls the whole call back.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PALETTE } from '@core/annotation-rules';
import type { ProjectStore } from '../../electron/store/api';
import { openProjectStore, sqliteOf } from '../../electron/store/project-store';
import { annotationInput, tempDir } from '../helpers/store-temp';

let tmp: ReturnType<typeof tempDir>;
let store: ProjectStore;
let imageId: number;
beforeEach(() => {
  tmp = tempDir('egm-store-import-');
  store = openProjectStore(join(tmp.dir, 'p.egm'), { create: true });
  imageId = store.addImages([{ absolutePath: join(tmp.dir, 'a.jpg'), width: 400, height: 300, orientation: 1, id: 42 }]).added[0]!.id;
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

describe('importAnnotations', () => {
  it('keeps free wanted ids and gives the rest the next free id after them', () => {
    expect(imageId).toBe(42);
    const taken = store.createAnnotation(annotationInput(imageId)).id; // 1
    const ids = store.importAnnotations([
      { ...annotationInput(imageId), id: taken }, // taken: next free
      { ...annotationInput(imageId), id: 500 },
      { ...annotationInput(imageId), id: 0 }, // not a usable id
      { ...annotationInput(imageId), id: 7 },
      { ...annotationInput(imageId), id: 7 }, // the same id twice in one file
    ]);
    expect(ids).toEqual([501, 500, 502, 7, 503]);
    expect(store.listAnnotations(imageId).map((a) => a.id)).toEqual([1, 7, 500, 501, 502, 503]);
  });

  it('chooses the colours createAnnotation would, one box after another', () => {
    const other = store.addImages([{ absolutePath: join(tmp.dir, 'b.jpg'), width: 400, height: 300, orientation: 1 }]).added[0]!.id;
    for (let i = 0; i < 25; i++) store.createAnnotation(annotationInput(other));
    store.importAnnotations(Array.from({ length: 25 }, () => annotationInput(imageId)));
    const created = store.listAnnotations(other).map((a) => a.color);
    const imported = store.listAnnotations(imageId).map((a) => a.color);
    expect(imported).toEqual(created);
    expect(new Set(imported).size).toBe(PALETTE.length);
  });

  it('writes nothing when one row is bad, and says which', () => {
    expect(() =>
      store.importAnnotations([annotationInput(imageId), annotationInput(imageId, { visible: [10, 10, 5, 5] })]),
    ).toThrow(/imported annotation on image 42: visible box has x2 < x1/);
    expect(() => store.importAnnotations([annotationInput(999)])).toThrow('image 999 not found');
    expect(store.info().annotationCount).toBe(0);
  });
});

describe('bulkTransaction', () => {
  it('turns SQLite foreign-key checks off only while it runs, even when it throws; importAnnotations still checks', () => {
    const db = sqliteOf(store);
    expect(() => store.bulkTransaction(() => {
      expect(db.pragma('foreign_keys', { simple: true })).toBe(0);
      store.importAnnotations([annotationInput(999)]);
    })).toThrow('image 999 not found');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.bulkTransaction(() => store.importAnnotations([annotationInput(imageId)]))).toHaveLength(1);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    // Nested in another transaction it is an ordinary one (the pragma cannot change there).
    store.transaction(() => store.bulkTransaction(() => expect(db.pragma('foreign_keys', { simple: true })).toBe(1)));
  });
});

describe('ensureCategory with a wanted id', () => {
  it('uses the id when free, else the next one', () => {
    expect(store.ensureCategory('a', 12)).toEqual({ id: 12, name: 'a' });
    expect(store.ensureCategory('b', 12)).toEqual({ id: 13, name: 'b' });
    expect(store.ensureCategory('a', 99)).toEqual({ id: 12, name: 'a' });
  });
});
