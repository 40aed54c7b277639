// The export's row path (store raw rows → cocoTextFromRows) against the
// reference object path (Annotation objects → buildCocoDocument → serializeCoco):
// the same bytes, from hand-made inputs and from a real project file.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cocoFileName, cocoFileNamer, exportCocoFile, readExportInput } from '../../electron/coco/export';
import { buildCocoDocument, cocoTextFromRows, serializeCoco, type AnnotationExportRow, type ExportInput } from '@core/coco';
import type { Annotation, Category } from '@core/types';
import { fromStoredPath } from '../../electron/store/paths';
import { openProjectStore } from '../../electron/store/project-store';
import { annotationInput, tempDir } from '../helpers/store-temp';

function annotation(id: number, imageId: number, over: Partial<Annotation> = {}): Annotation {
  return {
    id, imageId, categoryId: 1, phrase: `thing ${id}`, morePhrases: [], visible: [10.1, 20.2, 30.3, 40.4], amodal: null, occluded: false,
    source: 'manual', model: null, score: null, reviewed: true, color: '#f00', truncated: null, difficult: false, attributes: {}, createdAt: 1, updatedAt: 2, ...over,
  };
}

/** The row the store would return for an annotation. */
function row(a: Annotation): AnnotationExportRow {
  const m = a.amodal;
  return [a.id, a.imageId, a.categoryId, a.phrase, ...a.visible, m?.[0] ?? null, m?.[1] ?? null, m?.[2] ?? null, m?.[3] ?? null,
    a.occluded ? 1 : 0, a.source, a.model, a.score, a.reviewed ? 1 : 0, JSON.stringify(a.morePhrases),
    a.truncated === null ? null : a.truncated ? 1 : 0, a.difficult ? 1 : 0, JSON.stringify(a.attributes)];
}

/** Rows in the store's export order: project image id, then annotation id. */
const rowsOf = (annotations: Annotation[]) => [...annotations].sort((p, q) => p.imageId - q.imageId || p.id - q.id).map(row);
const reference = (input: ExportInput) => serializeCoco(buildCocoDocument(input));
const fromRows = (input: ExportInput) => cocoTextFromRows({ ...input, annotations: rowsOf(input.annotations) }).text;

const categories: Category[] = [{ id: 4, name: 'fruit' }, { id: 2, name: 'ball' }];
const nasty = '},{"id":1} \\"},\n{"id": ✓ “mug” \u2028';
const input: ExportInput = {
  images: [
    { id: 7, fileName: 'b/two.jpg', width: 640, height: 480 },
    { id: 3, fileName: nasty, width: 100, height: 50 },
    { id: 9, fileName: 'empty.jpg', width: 1, height: 1 },
  ],
  categories,
  annotations: [
    annotation(9, 7, { categoryId: 4, amodal: [0.1, 0.2, 99.7, 60], occluded: true, source: 'model', model: 'egm-2b', score: 0.8731, reviewed: false, morePhrases: ['the fruit on the left', nasty] }),
    annotation(5, 7, { categoryId: null, phrase: nasty }),
    annotation(12, 3, { categoryId: 2, visible: [0.004, -0.004, 0.006, 1e-9], score: 0 }),
    annotation(13, 3, { categoryId: 2, visible: [1234.565, 7.005, 1999.994, 1080], model: nasty, source: 'model', score: 1 }),
  ],
};

describe('cocoTextFromRows', () => {
  it('writes the bytes of serializeCoco(buildCocoDocument(...))', () => {
    expect(fromRows(input)).toBe(reference(input));
  });

  it('matches on a default category already present, none needed, and nothing at all', () => {
    const withObject = { ...input, categories: [...categories, { id: 1, name: 'object' }] };
    expect(fromRows(withObject)).toBe(reference(withObject));
    const allCategorised = { ...input, annotations: input.annotations.filter((a) => a.categoryId !== null) };
    expect(fromRows(allCategorised)).toBe(reference(allCategorised));
    const empty = { images: [], categories: [], annotations: [] };
    expect(fromRows(empty)).toBe(reference(empty));
  });

  it('matches across many records (more than one stringify batch) with random boxes', () => {
    const images = Array.from({ length: 50 }, (_, i) => ({ id: i * 3 + 1, fileName: `f${i}.jpg`, width: 1920, height: 1080 }));
    const annotations = Array.from({ length: 9000 }, (_, i) => {
      const x = Math.random() * 2000, y = Math.random() * 1000;
      return annotation(i + 1, images[(i * 7) % images.length]!.id, {
        categoryId: i % 5 === 0 ? null : categories[i % 2]!.id,
        visible: [x, y, x + Math.random() * 500, y + Math.random() * 500],
        amodal: i % 3 === 0 ? [x - 1.005, y, x + 600.125, y + 0.5] : null,
        score: i % 2 ? Math.random() : null,
        model: i % 2 ? `m${i % 3}` : null,
        source: i % 2 ? 'model' : 'manual',
      });
    });
    const many = { images, categories, annotations };
    const text = fromRows(many);
    expect(text).toBe(reference(many));
    expect(cocoTextFromRows({ ...many, annotations: rowsOf(annotations) })).toMatchObject({ images: 50, annotations: 9000, categories: 3 });
  });

  it('refuses rows that point at nothing or come out of order, naming the annotation', () => {
    const run = (rows: AnnotationExportRow[]) => () => cocoTextFromRows({ images: input.images, categories, annotations: rows });
    expect(run([row(annotation(1, 99))])).toThrow(/annotation 1 refers to image 99/);
    expect(run([row(annotation(1, 3, { categoryId: 2 })), row(annotation(2, 5, { categoryId: 2 }))])).toThrow(/annotation 2 refers to image 5/);
    expect(run([row(annotation(1, 3, { categoryId: 42 }))])).toThrow(/annotation 1 refers to category 42/);
    expect(run([row(annotation(1, 7, { categoryId: 2 })), row(annotation(2, 3, { categoryId: 2 }))])).toThrow(/out of order: annotation 2/);
    expect(run([row(annotation(5, 3, { categoryId: 2 })), row(annotation(4, 3, { categoryId: 2 }))])).toThrow(/out of order: annotation 4 after annotation 5/);
  });
});

describe('cocoFileNamer', () => {
  it('names every image as cocoFileName does, wherever imagesDir is', () => {
    const folder = '/p/proj';
    const stored = [
      'a.jpg', 'img/a b.jpg', 'img/sub/ü.jpg', 'img/sub/c.jpg', '..hidden.jpg', 'img/..x', 'img/...',
      '/p/other/a.jpg', '/p/other/b.jpg', '/x.jpg', '/p/proj..x/a.jpg', '/p/proj/img/deep/a.jpg', '/p/a.jpg',
      // Not written by toStoredPath, yet named the same way if a file held them.
      'img/./a.jpg', 'img//b.jpg', 'img/../c.jpg', 'img/..', 'img/.', '/p/other/', 'img\\x.jpg',
    ];
    const imagesDirs = [
      '/p/proj', '/p', '/', '/p/proj/img', '/p/proj/img/sub', '/p/proj/img/sub/c.jpg', '/p/proj/img/sub/c.jpg/deeper',
      '/p/other', '/p/other/a.jpg', '/p/proj/a.jpg', '/p/proj/img/a b.jpg/x', '/q/r/s', '/x.jpg', '/x.jpg/y',
    ];
    for (const imagesDir of imagesDirs) {
      const name = cocoFileNamer(folder, imagesDir);
      // Twice: the second pass is served from the per-folder cache.
      for (let pass = 0; pass < 2; pass++) {
        for (const path of stored) expect([imagesDir, path, name(path)]).toEqual([imagesDir, path, cocoFileName(imagesDir, fromStoredPath(folder, path))]);
      }
    }
  });
});

describe('export from a real project file', () => {
  it('streams rows in (image, id) order and writes the reference bytes', async () => {
    const tmp = tempDir();
    try {
      for (const name of ['a.jpg', 'b.jpg', 'c.jpg']) writeFileSync(join(tmp.dir, name), 'x');
      const store = openProjectStore(join(tmp.dir, 'p.egm'), { create: true });
      try {
        const { added } = store.addImages(['c.jpg', 'a.jpg', 'b.jpg'].map((n) => ({ absolutePath: join(tmp.dir, n), width: 640, height: 480, orientation: 1 })));
        const lime = store.ensureCategory('lime');
        const ids = added.map((i) => i.id);
        // Interleaved images and a deleted annotation: ids have gaps and the table is not in export order.
        for (let i = 0; i < 12; i++) {
          store.createAnnotation({
            imageId: ids[(i * 2) % 3]!, categoryId: i % 4 === 0 ? null : lime.id, phrase: `p${i} “x”`,
            visible: [i + 0.123, 2, i + 50.456, 60], amodal: i % 3 === 0 ? [0, 1, 70.5, 80] : null, occluded: i % 3 === 0,
            source: i % 2 ? 'model' : 'manual', model: i % 2 ? 'egm' : null, score: i % 2 ? i / 7 : null, reviewed: i % 5 === 0,
          });
        }
        store.deleteAnnotations([store.allAnnotations()[3]!.id]);
        const rows = [...store.exportAnnotationRows()];
        expect(rows).toEqual(store.allAnnotations().map(row));
        expect(store.exportImageRows()).toEqual(added.map((i) => [i.id, i.path, 640, 480]));

        const out = join(tmp.dir, 'out.json');
        const report = await exportCocoFile(store, out);
        expect(report).toMatchObject({ images: 3, annotations: 11, categories: 2 });
        expect(readFileSync(out, 'utf8')).toBe(reference(readExportInput(store, tmp.dir)));
        // The iterator was run to the end: the connection is free for the next statement.
        expect(store.info().annotationCount).toBe(11);
        // An iteration left early (an export that throws mid-way) frees it too.
        for (const first of store.exportAnnotationRows()) {
          expect(first).toEqual(rows[0]);
          break;
        }
        expect(store.createAnnotation(annotationInput(ids[0]!)).id).toBeGreaterThan(0);
      } finally {
        store.close();
      }
    } finally {
      tmp.cleanup();
    }
  });
});
