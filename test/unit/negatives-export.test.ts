// "Not in this image" negatives leave and come back (issue 11): COCO writes
// them as each image's neg_phrases (both export paths give the same bytes) and
// the import reads them back; Qwen-VL writes a sample answered with no box;
// ODVG and RefCOCO leave them out and say how many.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectStore } from '../../electron/store/project-store';
import type { ProjectStore } from '../../electron/store/api';
import { addNegative, listNegatives } from '../../electron/store/negatives';
import { exportCocoFile, readExportInput } from '../../electron/coco/export';
import { importCocoFile } from '../../electron/coco/import';
import { buildCocoDocument, serializeCoco } from '@core/coco';
import { egmNoBoxAnswer, qwenVlLines } from '@core/datasets/qwenvl';
import { parseAnswer } from '@core/egm/parse-answer';
import { exportOdvg, exportRefcoco } from '../../electron/datasets/export-grounding';
import { annotationInput, tempDir } from '../helpers/store-temp';
import { solidJpeg } from '../helpers/make-images';

let tmp: ReturnType<typeof tempDir>;
let store: ProjectStore;
let ids: number[];
beforeEach(async () => {
  tmp = tempDir('egm-negatives-export-');
  for (const name of ['a.jpg', 'b.jpg', 'c.jpg']) writeFileSync(join(tmp.dir, name), await solidJpeg(200, 100));
  store = openProjectStore(join(tmp.dir, 'p.egm'), { create: true });
  ids = store.addImages(['a.jpg', 'b.jpg', 'c.jpg'].map((name) => ({ absolutePath: join(tmp.dir, name), width: 200, height: 100, orientation: 1 }))).added.map((i) => i.id);
  store.setImagesRoot(tmp.dir);
  store.createAnnotation(annotationInput(ids[0]!, { phrase: 'the mug', visible: [10, 10, 50, 50], amodal: null, reviewed: true }));
  addNegative(store, ids[0]!, 'the teapot');
  addNegative(store, ids[0]!, 'the "big" spoon');
  addNegative(store, ids[2]!, 'the cat');
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

describe('COCO', () => {
  it('writes neg_phrases on the images that have some, the same bytes on both export paths', async () => {
    const out = join(tmp.dir, 'out.json');
    const report = await exportCocoFile(store, out);
    expect(report).toMatchObject({ images: 3, annotations: 1, negatives: 3 });
    const text = readFileSync(out, 'utf8');
    const doc = JSON.parse(text);
    expect(doc.images).toEqual([
      { id: ids[0], width: 200, height: 100, file_name: 'a.jpg', neg_phrases: ['the teapot', 'the "big" spoon'] },
      { id: ids[1], width: 200, height: 100, file_name: 'b.jpg' },
      { id: ids[2], width: 200, height: 100, file_name: 'c.jpg', neg_phrases: ['the cat'] },
    ]);
    expect(serializeCoco(buildCocoDocument(readExportInput(store, tmp.dir)))).toBe(text);
  });

  it('reads neg_phrases back on import, and a second import adds none', async () => {
    const out = join(tmp.dir, 'out.json');
    await exportCocoFile(store, out);
    const other = openProjectStore(join(tmp.dir, 'q.egm'), { create: true });
    try {
      const first = await importCocoFile(other, out);
      expect(first).toMatchObject({ images: 3, annotations: 1, negatives: 3, skipped: [] });
      expect(listNegatives(other).map((n) => [n.imageId, n.phrase])).toEqual([[ids[0], 'the teapot'], [ids[0], 'the "big" spoon'], [ids[2], 'the cat']]);
      const again = await importCocoFile(other, out);
      expect(again).toMatchObject({ negatives: 0, duplicates: 1 });
      expect(listNegatives(other)).toHaveLength(3);
    } finally {
      other.close();
    }
  });

  it('skips a malformed neg_phrases with the place and the reason, importing the rest', async () => {
    const file = join(tmp.dir, 'bad.json');
    writeFileSync(file, JSON.stringify({
      images: [
        { id: 1, file_name: 'a.jpg', width: 200, height: 100, neg_phrases: 'the cat' },
        { id: 2, file_name: 'b.jpg', width: 200, height: 100, neg_phrases: ['the dog', '  '] },
        { id: 3, file_name: 'c.jpg', width: 200, height: 100, neg_phrases: ['the bird'] },
      ],
      annotations: [],
      categories: [],
    }));
    const other = openProjectStore(join(tmp.dir, 'r.egm'), { create: true });
    try {
      const report = await importCocoFile(other, file);
      expect(report.skipped).toEqual([
        { path: 'images[0].neg_phrases', reason: 'expected a list of strings, got "the cat"; not imported' },
        { path: 'images[1].neg_phrases', reason: 'a phrase is empty; not imported' },
      ]);
      expect(report.negatives).toBe(1);
      expect(listNegatives(other).map((n) => n.phrase)).toEqual(['the bird']);
    } finally {
      other.close();
    }
  });
});

describe('grounding exports', () => {
  it('Qwen-VL: each negative is a visible-prompt sample answered with an empty list, after its image\'s objects', () => {
    const lines = qwenVlLines(readExportInput(store, tmp.dir));
    expect(lines.map((l) => [l.image, l.conversations[0].value.split('\n')[1]])).toEqual([
      ['a.jpg', 'Locate the mug, output its bbox coordinates using JSON format'],
      ['a.jpg', 'Locate the teapot, output its bbox coordinates using JSON format'],
      ['a.jpg', 'Locate the "big" spoon, output its bbox coordinates using JSON format'],
      ['c.jpg', 'Locate the cat, output its bbox coordinates using JSON format'],
    ]);
    expect(lines[1]!.conversations[1].value).toBe('```json\n[]\n```');
    expect(lines[1]!.conversations[1].value).toBe(egmNoBoxAnswer());
    // Read as the authors' scorer reads an answer: no box (and the object's line still has one).
    expect(parseAnswer(egmNoBoxAnswer()).box).toBeNull();
    expect(parseAnswer(lines[0]!.conversations[1].value).box).not.toBeNull();
  });

  it('ODVG and RefCOCO leave negatives out and report how many', async () => {
    const odvg = await exportOdvg(store, join(tmp.dir, 'g.jsonl'));
    expect(odvg).toMatchObject({ lines: 1, skippedNegatives: 3 });
    const refcoco = await exportRefcoco(store, tmp.dir);
    expect(refcoco).toMatchObject({ refCount: 1, skippedNegatives: 3 });
    const instances = JSON.parse(readFileSync(refcoco.instances, 'utf8'));
    expect(instances.images.some((image: object) => 'neg_phrases' in image)).toBe(false);
  });
});
