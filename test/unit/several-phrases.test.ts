// Several phrases per object (issue 9, item 3): the store keeps an object's
// other phrases beside its first, COCO carries them as `phrases` (written only
// when there is more than one, so a one-phrase export is unchanged), and
// import reads them back; a bad `phrases` value skips that annotation.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportCocoFile } from '../../electron/coco/export';
import { importCocoFile } from '../../electron/coco/import';
import { planImport, validateCocoStructure } from '@core/coco';
import { splitPhrases } from '@core/coco/phrases';
import { phrasesOf } from '@core/types';
import type { ProjectStore } from '../../electron/store/api';
import { openProjectStore } from '../../electron/store/project-store';
import { solidJpeg } from '../helpers/make-images';
import { annotationInput, tempDir } from '../helpers/store-temp';

let tmp: ReturnType<typeof tempDir>;
let store: ProjectStore;
let imageId: number;
beforeEach(async () => {
  tmp = tempDir('egm-phrases-');
  mkdirSync(join(tmp.dir, 'images'));
  writeFileSync(join(tmp.dir, 'images', 'a.jpg'), await solidJpeg(400, 300));
  store = openProjectStore(join(tmp.dir, 'p.egm'), { create: true });
  imageId = store.addImages([{ absolutePath: join(tmp.dir, 'images', 'a.jpg'), width: 400, height: 300, orientation: 1 }]).added[0]!.id;
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

describe('the store', () => {
  it('keeps, updates and restores the other phrases', () => {
    const a = store.createAnnotation(annotationInput(imageId, { phrase: 'the lime', morePhrases: ['green fruit', 'lime at left'] }));
    expect(store.listAnnotations(imageId)[0]!.morePhrases).toEqual(['green fruit', 'lime at left']);
    expect(phrasesOf(a)).toEqual(['the lime', 'green fruit', 'lime at left']);
    const updated = store.updateAnnotation(a.id, { morePhrases: ['small green fruit'] });
    expect(store.listAnnotations(imageId)[0]!.morePhrases).toEqual(['small green fruit']);
    // A patch without morePhrases leaves them alone.
    store.updateAnnotation(a.id, { phrase: 'the lime!' });
    expect(store.listAnnotations(imageId)[0]!.morePhrases).toEqual(['small green fruit']);
    store.deleteAnnotations([a.id]);
    store.restoreAnnotations([updated]);
    expect(store.listAnnotations(imageId)[0]!.morePhrases).toEqual(['small green fruit']);
    const plain = store.createAnnotation(annotationInput(imageId));
    expect(plain.morePhrases).toEqual([]);
  });

  it('refuses other phrases that are not strings, in one line', () => {
    const a = store.createAnnotation(annotationInput(imageId));
    expect(() => store.updateAnnotation(a.id, { morePhrases: [3 as unknown as string] })).toThrow(`annotation ${a.id}: morePhrases must be a list of strings`);
  });
});

describe('COCO', () => {
  it('exports `phrases` only for objects with several, and imports them back', async () => {
    store.createAnnotation(annotationInput(imageId, { phrase: 'the lime', morePhrases: ['green fruit'] }));
    store.createAnnotation(annotationInput(imageId, { phrase: 'the cup' }));
    const out = join(tmp.dir, 'out.json');
    await exportCocoFile(store, out);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.annotations[0].phrases).toEqual(['the lime', 'green fruit']);
    expect(doc.annotations[1]).not.toHaveProperty('phrases');
    const other = openProjectStore(join(tmp.dir, 'q.egm'), { create: true });
    try {
      await importCocoFile(other, out);
      expect(other.allAnnotations().map((a) => [a.phrase, a.morePhrases])).toEqual([['the lime', ['green fruit']], ['the cup', []]]);
    } finally {
      other.close();
    }
  });

  it('takes the first of `phrases` when `phrase` is absent, drops repeats and empty ones, skips a bad list', () => {
    expect(splitPhrases(undefined, ['a', 'b', 'a', ' ', 'c'])).toEqual({ phrase: 'a', morePhrases: ['b', 'c'] });
    expect(splitPhrases('b', ['a', 'b'])).toEqual({ phrase: 'b', morePhrases: ['a'] });
    const structure = validateCocoStructure({
      images: [{ id: 1, file_name: 'a.jpg', width: 400, height: 300 }],
      categories: [],
      annotations: [
        { id: 1, image_id: 1, bbox: [1, 1, 5, 5], phrases: ['x', 'y'] },
        { id: 2, image_id: 1, bbox: [1, 1, 5, 5], phrases: 'x' },
      ],
    });
    const plan = planImport(structure, new Map([[1, { width: 400, height: 300 }]]));
    expect(plan.annotations.map((a) => [a.phrase, a.morePhrases])).toEqual([['x', ['y']]]);
    expect(plan.skipped).toEqual([{ path: 'annotations[1].phrases', reason: 'expected a list of strings, got "x"' }]);
  });
});
