// Issue 18, "Attributes": truncated (derived from the amodal box against the
// image rectangle unless set), difficult and free key/value attributes,
// stored in SQLite (schema version 8, older files upgraded), checked where
// they come in, exported in COCO `attributes` after the existing fields, read
// back on import: export → import → export gives the same bytes.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isTruncated, parseAttributeInput, passesImageEdge, storedTruncated } from '@core/attributes';
import { requestSchemas } from '@ipc/contract';
import { exportCocoFile } from '../../electron/coco/export';
import { importCocoFile } from '../../electron/coco/import';
import { migrate } from '../../electron/store/migrations';
import { attributeKeys } from '../../electron/store/attribute-keys';
import { openProjectStore } from '../../electron/store/project-store';
import type { ProjectStore } from '../../electron/store/api';
import { annotationInput, tempDir } from '../helpers/store-temp';
import { solidJpeg } from '../helpers/make-images';

let tmp: ReturnType<typeof tempDir>;
let store: ProjectStore;
let imageId: number;
beforeEach(async () => {
  tmp = tempDir('egm-attributes-');
  writeFileSync(join(tmp.dir, 'a.jpg'), await solidJpeg(200, 100));
  store = openProjectStore(join(tmp.dir, 'p.egm'), { create: true });
  imageId = store.addImages([{ absolutePath: join(tmp.dir, 'a.jpg'), width: 200, height: 100, orientation: 1 }]).added[0]!.id;
  store.setImagesRoot(tmp.dir);
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

describe('truncated, derived from the amodal box', () => {
  it('holds when the amodal box passes the image rectangle, unless the user said otherwise', () => {
    const size = { width: 200, height: 100 };
    expect(passesImageEdge(null, 200, 100)).toBe(false);
    expect(passesImageEdge([0, 0, 200, 100], 200, 100)).toBe(false); // touching the edge is not past it
    expect(passesImageEdge([-5, 10, 50, 60], 200, 100)).toBe(true);
    expect(passesImageEdge([150, 10, 230, 60], 200, 100)).toBe(true);
    expect(isTruncated({ truncated: null, amodal: [150, 10, 230, 60] }, size)).toBe(true);
    expect(isTruncated({ truncated: false, amodal: [150, 10, 230, 60] }, size)).toBe(false);
    expect(isTruncated({ truncated: true, amodal: null }, size)).toBe(true);
    expect(storedTruncated(true, [150, 10, 230, 60], size)).toBeNull(); // what the frame says: keeps following it
    expect(storedTruncated(false, [150, 10, 230, 60], size)).toBe(false);
  });

  it('reads typed values: true/false and numbers as such, the rest as text', () => {
    expect([parseAttributeInput('true'), parseAttributeInput('3.5'), parseAttributeInput('-2'), parseAttributeInput('standing'), parseAttributeInput('1e3x')]).toEqual([true, 3.5, -2, 'standing', '1e3x']);
  });
});

describe('attributes in the store', () => {
  it('stores and updates them, in key order, and an older file reads as none set', () => {
    const a = store.createAnnotation(annotationInput(imageId, { truncated: true, difficult: true, attributes: { pose: 'standing', age: 3, adult: false } }));
    expect(a).toMatchObject({ truncated: true, difficult: true, attributes: { adult: false, age: 3, pose: 'standing' } });
    expect(Object.keys(store.allAnnotations()[0]!.attributes)).toEqual(['adult', 'age', 'pose']);
    const b = store.updateAnnotation(a.id, { truncated: null, attributes: { pose: 'sitting' } });
    expect(b).toMatchObject({ truncated: null, difficult: true, attributes: { pose: 'sitting' } });
    expect(store.createAnnotation(annotationInput(imageId))).toMatchObject({ truncated: null, difficult: false, attributes: {} });
    store.createAnnotation(annotationInput(imageId, { attributes: { colour: 'red', pose: 'lying' } }));
    expect(attributeKeys(store)).toEqual(['colour', 'pose']); // the project's names, each once

    const file = join(tmp.dir, 'old.egm');
    const db = new Database(file);
    migrate(db, file, 7);
    db.exec(`INSERT INTO images (path, file_name, width, height) VALUES ('a.jpg', 'a.jpg', 200, 100);
      INSERT INTO annotations (image_id, phrase, x1, y1, x2, y2, source, reviewed, color, created_at, updated_at) VALUES (1, 'x', 1, 2, 3, 4, 'manual', 1, '#fff', 5, 6);`);
    db.close();
    const old = openProjectStore(file);
    expect(old.allAnnotations()[0]).toMatchObject({ truncated: null, difficult: false, attributes: {} });
    old.close();
  });

  it('refuses a reserved name, a nested value or too long a text, in one line, changing nothing', () => {
    const a = store.createAnnotation(annotationInput(imageId));
    expect(() => store.updateAnnotation(a.id, { attributes: { occluded: 'yes' } })).toThrow(`annotation ${a.id}: 'occluded' is a field of its own, not a free attribute`);
    expect(() => store.updateAnnotation(a.id, { attributes: { pose: ['a'] } as never })).toThrow("attribute 'pose' must be a string, number or true/false");
    expect(() => store.updateAnnotation(a.id, { attributes: { note: 'x'.repeat(501) } })).toThrow("attribute 'note' is longer than 500 characters");
    expect(store.allAnnotations()[0]!.attributes).toEqual({});
    // The IPC contract refuses them before a handler sees them.
    const bad = requestSchemas['annotations:update'].safeParse({ id: 1, patch: { attributes: { reviewed: 1 } } });
    expect(bad.success).toBe(false);
    expect(requestSchemas['annotations:update'].safeParse({ id: 1, patch: { truncated: null, difficult: true, attributes: { pose: 'x', n: 2, ok: true } } }).success).toBe(true);
  });
});

describe('attributes in COCO', () => {
  it('are exported after the existing fields, read back, and export → import → export gives the same bytes', async () => {
    const past = store.createAnnotation(annotationInput(imageId, { visible: [150, 10, 199, 60], amodal: [150, 10, 240, 60], difficult: true, attributes: { pose: 'standing', age: 3 } }));
    store.createAnnotation(annotationInput(imageId, { visible: [10, 10, 50, 50], amodal: [10, 10, 50, 70], truncated: true }));
    store.createAnnotation(annotationInput(imageId, { visible: [60, 10, 90, 50], amodal: [-20, 10, 90, 50], truncated: false }));
    const out = join(tmp.dir, 'out.json');
    await exportCocoFile(store, out);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.annotations.map((a: { attributes: object }) => a.attributes)).toEqual([
      { occluded: true, source: 'manual', reviewed: false, truncated: true, difficult: true, age: 3, pose: 'standing' },
      { occluded: true, source: 'manual', reviewed: false, truncated: true, difficult: false },
      { occluded: true, source: 'manual', reviewed: false, truncated: false, difficult: false },
    ]);
    expect(Object.keys(doc.annotations[0].attributes)).toEqual(['occluded', 'source', 'reviewed', 'truncated', 'difficult', 'age', 'pose']);

    const again = openProjectStore(join(tmp.dir, 'q.egm'), { create: true });
    const report = await importCocoFile(again, out, { imagesDir: tmp.dir });
    expect(report).toMatchObject({ annotations: 3, warnings: [] });
    const back = again.allAnnotations();
    // Derived stays derived (null); set stays set, where the frame would say otherwise.
    expect(back.map((a) => [a.truncated, a.difficult, a.attributes])).toEqual([
      [null, true, { age: 3, pose: 'standing' }],
      [true, false, {}],
      [false, false, {}],
    ]);
    expect(back[0]!.id).toBe(past.id);
    const out2 = join(tmp.dir, 'out2.json');
    await exportCocoFile(again, out2);
    expect(readFileSync(out2, 'utf8')).toBe(readFileSync(out, 'utf8'));
    again.close();
  });

  it("imports another tool's attributes as free ones; values it cannot keep are named once per name", async () => {
    const file = join(tmp.dir, 'other.json');
    const ann = (id: number, attributes: object) => ({ id, image_id: 1, category_id: 1, bbox: [10, 10, 20, 20], attributes });
    writeFileSync(file, JSON.stringify({
      images: [{ id: 1, file_name: 'a.jpg', width: 200, height: 100 }],
      categories: [{ id: 1, name: 'car' }],
      annotations: [
        ann(1, { occluded: false, rotation: 0, color: 'red', mask: [1, 2] }),
        ann(2, { rotation: 90, mask: { a: 1 }, difficult: true }),
        ann(3, { truncated: 'yes' }),
      ],
    }));
    const fresh = openProjectStore(join(tmp.dir, 'r.egm'), { create: true });
    const report = await importCocoFile(fresh, file, { imagesDir: tmp.dir });
    expect(report.annotations).toBe(2);
    expect(report.skipped).toEqual([{ path: 'annotations[2].attributes.truncated', reason: 'expected true or false, got "yes"' }]);
    expect(report.warnings).toEqual(["annotations[0].attributes.mask (and 1 more): attribute 'mask' must be a string, number or true/false; not imported"]);
    expect(fresh.allAnnotations().map((a) => [a.difficult, a.attributes])).toEqual([[false, { color: 'red', rotation: 0 }], [true, { rotation: 90 }]]);
    fresh.close();
  });
});
