// What a COCO import takes at most (issue 16, security second round): the
// field limits are the IPC schemas' own, so an imported annotation can always
// be edited and undone afterwards (a 5,000-character phrase imported unchecked
// made the undo of a delete fail against the IPC caps); sizes and counts bound
// an import's work. Real files, a real project, the real handler schemas.
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COCO_LIMITS, validateCocoStructure } from '@core/coco';
import { annotationFields } from '@core/schemas';
import { negativeSchema } from '@core/negatives';
import { requestSchemas } from '@ipc/contract';
import { importCocoFile } from '../../electron/coco/import';
import { openProjectStore } from '../../electron/store/project-store';
import type { ProjectStore } from '../../electron/store/api';
import { solidJpeg } from '../helpers/make-images';
import { tempDir } from '../helpers/store-temp';

let tmp: ReturnType<typeof tempDir>;
let store: ProjectStore;
beforeEach(async () => {
  tmp = tempDir('egm-coco-limits-');
  writeFileSync(join(tmp.dir, 'a.jpg'), await solidJpeg(64, 48));
  store = openProjectStore(join(tmp.dir, 'p.egm'), { create: true });
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const box = { image_id: 1, category_id: 1, bbox: [1, 1, 10, 10] };
function cocoFile(annotations: object[], extra: { images?: object[]; categories?: object[] } = {}): string {
  const path = join(tmp.dir, 'in.json');
  writeFileSync(path, JSON.stringify({
    images: extra.images ?? [{ id: 1, file_name: 'a.jpg', width: 64, height: 48 }],
    categories: extra.categories ?? [{ id: 1, name: 'thing' }],
    annotations: annotations.map((a, i) => ({ id: i + 1, ...box, ...a })),
  }));
  return path;
}

describe('COCO import limits', () => {
  it('are the IPC schemas\' own limits', () => {
    const phrase = annotationFields.phrase;
    expect(phrase.safeParse('x'.repeat(COCO_LIMITS.phraseChars)).success).toBe(true);
    expect(phrase.safeParse('x'.repeat(COCO_LIMITS.phraseChars + 1)).success).toBe(false);
    const more = annotationFields.morePhrases;
    expect(more.safeParse(Array(COCO_LIMITS.morePhrases).fill('p')).success).toBe(true);
    expect(more.safeParse(Array(COCO_LIMITS.morePhrases + 1).fill('p')).success).toBe(false);
    expect(annotationFields.model.safeParse('m'.repeat(COCO_LIMITS.modelChars + 1)).success).toBe(false);
    expect(annotationFields.model.safeParse('m'.repeat(COCO_LIMITS.modelChars)).success).toBe(true);
    const name = requestSchemas['categories:ensure'];
    expect(name.safeParse({ name: 'c'.repeat(COCO_LIMITS.categoryNameChars) }).success).toBe(true);
    expect(name.safeParse({ name: 'c'.repeat(COCO_LIMITS.categoryNameChars + 1) }).success).toBe(false);
    expect(requestSchemas['project:open'].safeParse({ path: 'f'.repeat(COCO_LIMITS.fileNameChars + 1) }).success).toBe(false);
    expect(negativeSchema.shape.phrase.safeParse('n'.repeat(COCO_LIMITS.phraseChars + 1)).success).toBe(false);
  });

  it('skips an annotation over a field limit, with the reason; what it imports can be undone through the IPC schemas', async () => {
    const report = await importCocoFile(store, cocoFile([
      { phrase: 'p'.repeat(5000) },
      { phrase: 'ok', phrases: ['ok', 'q'.repeat(2001)] },
      { phrase: 'many', phrases: ['many', ...Array.from({ length: 101 }, (_, i) => `also ${i}`)] },
      { phrase: 'by a long model', attributes: { source: 'model', model: 'm'.repeat(501), reviewed: false, occluded: false } },
      { phrase: 'p'.repeat(2000), phrases: ['p'.repeat(2000), ...Array.from({ length: 100 }, (_, i) => `also ${i}`)] },
    ]), { imagesDir: tmp.dir });
    expect(report.skipped).toEqual([
      { path: 'annotations[0].phrase', reason: 'a phrase of 5000 characters, over the 2000 a phrase may have' },
      { path: 'annotations[1].phrases', reason: 'a phrase of 2001 characters, over the 2000 a phrase may have' },
      { path: 'annotations[2].phrases', reason: '102 phrases, over the 101 one object may have' },
      { path: 'annotations[3].attributes.model', reason: '501 characters, over the 500 a model name may have' },
    ]);
    expect(report.annotations).toBe(1);
    // The one imported at the limits passes the schema an undo of its delete sends (annotations:restore).
    const [kept] = store.allAnnotations();
    const restore = requestSchemas['annotations:restore'].safeParse({ annotations: [kept] });
    expect(restore.error?.issues ?? []).toEqual([]);
  });

  it('skips an image\'s neg_phrases over the limits, with the reason', async () => {
    const report = await importCocoFile(store, cocoFile([], { images: [{ id: 1, file_name: 'a.jpg', width: 64, height: 48, neg_phrases: ['fine', 'n'.repeat(2001)] }] }), { imagesDir: tmp.dir });
    expect(report.skipped).toEqual([{ path: 'images[0].neg_phrases', reason: 'a phrase of 2001 characters, over the 2000 a phrase may have; not imported' }]);
    expect(report.negatives).toBe(0);
  });

  it('refuses in one line a file_name or category name too long to store, and more entries than one import takes', async () => {
    await expect(importCocoFile(store, cocoFile([], { images: [{ id: 1, file_name: `${'d/'.repeat(2100)}a.jpg`, width: 64, height: 48 }] }), { imagesDir: tmp.dir })).rejects.toThrow(
      /in\.json: images\[0\]\.file_name: 4205 characters, over the 4096 this app stores$/,
    );
    await expect(importCocoFile(store, cocoFile([], { categories: [{ id: 1, name: 'c'.repeat(201) }] }), { imagesDir: tmp.dir })).rejects.toThrow(
      /in\.json: categories\[0\]\.name: 201 characters, over the 200 a category name may have$/,
    );
    // Counts: checked before any entry is looked at (a file of a million empty objects costs nothing more).
    expect(() => validateCocoStructure({ images: [], categories: [], annotations: { length: 0 } })).toThrow(/annotations: expected an array/);
    const many = { images: [], categories: [], annotations: new Array(COCO_LIMITS.annotations + 1) };
    expect(() => validateCocoStructure(many)).toThrow('annotations: 10000001 entries, over the 10,000,000 one import takes');
    expect(store.info()).toMatchObject({ imageCount: 0, annotationCount: 0 });
  });

  it('refuses a file over 1 GB in one line, before reading it', async () => {
    const big = join(tmp.dir, 'big.json');
    writeFileSync(big, '{');
    truncateSync(big, COCO_LIMITS.fileBytes + 1); // sparse: no disk used
    await expect(importCocoFile(store, big, { imagesDir: tmp.dir })).rejects.toThrow(/big\.json: 1,073,741,825 bytes, over the 1 GB a COCO file may have; nothing imported$/);
  });
});
