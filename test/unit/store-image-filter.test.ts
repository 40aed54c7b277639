// Issue 11: the image list's filters, each alone and combined, all in SQL;
// "unreviewed" includes images whose proposals wait for review (it did not),
// except a proposal for a phrase the reviewer marked absent there.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectStore } from '../../electron/store/project-store';
import type { ImageFilter, ProjectStore } from '../../electron/store/api';
import { addProposal } from '../../electron/store/proposals';
import { addNegative } from '../../electron/store/negatives';
import { annotationInput, tempDir } from '../helpers/store-temp';

let tmp: ReturnType<typeof tempDir>;
let store: ProjectStore;
/** Image ids by file name. */
let id: Record<string, number>;
const NAMES = ['Beach_01.JPG', 'beach_02.jpg', 'city%night.png', 'Été_ÉCOLE.jpg', 'under_score.jpg', 'plain.jpg'];

beforeEach(() => {
  tmp = tempDir('egm-image-filter-');
  store = openProjectStore(join(tmp.dir, 'p.egm'), { create: true });
  const added = store.addImages(NAMES.map((name) => ({ absolutePath: join(tmp.dir, name), width: 300, height: 300, orientation: 1 }))).added;
  id = Object.fromEntries(added.map((image) => [image.fileName, image.id]));
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const names = (filter: ImageFilter) => store.listImages(filter).map((image) => image.fileName);
const proposal = (imageId: number, phrase = 'the cup') => ({
  imageId, phrase, visible: null, amodal: null, reasoningVisible: '', reasoningAmodal: '', model: 'm',
  score: null, point: null, pointHit: null, reason: 'no-box', latencyMs: 5, batchId: null,
});

describe('listImages filters', () => {
  it('search: a case-insensitive substring of the file name, wildcards taken literally, beyond ASCII too', () => {
    expect(names({ search: 'BEACH' })).toEqual(['Beach_01.JPG', 'beach_02.jpg']);
    expect(names({ search: '.jpg' })).toEqual(['Beach_01.JPG', 'beach_02.jpg', 'Été_ÉCOLE.jpg', 'under_score.jpg', 'plain.jpg']);
    expect(names({ search: '%' })).toEqual(['city%night.png']);
    expect(names({ search: 'r_s' })).toEqual(['under_score.jpg']);
    expect(names({ search: 'été_é' })).toEqual(['Été_ÉCOLE.jpg']);
    expect(names({ search: '' })).toHaveLength(NAMES.length);
    expect(names({ search: 'nothing like it' })).toEqual([]);
  });

  it('status, hasProposals and categoryId', () => {
    store.setImageStatus(id['plain.jpg']!, 'done');
    store.setImageStatus(id['beach_02.jpg']!, 'in-progress');
    expect(names({ status: 'done' })).toEqual(['plain.jpg']);
    expect(names({ status: 'todo' })).toHaveLength(4);

    addProposal(store, proposal(id['city%night.png']!));
    expect(names({ hasProposals: true })).toEqual(['city%night.png']);
    expect(names({ hasProposals: false })).toHaveLength(5);

    const cup = store.ensureCategory('cup');
    const dog = store.ensureCategory('dog');
    store.createAnnotation(annotationInput(id['plain.jpg']!, { categoryId: cup.id }));
    store.createAnnotation(annotationInput(id['Beach_01.JPG']!, { categoryId: dog.id }));
    store.createAnnotation(annotationInput(id['Beach_01.JPG']!, { categoryId: cup.id }));
    expect(names({ categoryId: cup.id })).toEqual(['Beach_01.JPG', 'plain.jpg']);
    expect(names({ categoryId: dog.id, search: 'beach' })).toEqual(['Beach_01.JPG']);
    expect(names({ categoryId: cup.id, status: 'done' })).toEqual(['plain.jpg']);
  });

  it('unreviewed: an unreviewed box or a proposal waiting, not a phrase marked absent', () => {
    store.createAnnotation(annotationInput(id['plain.jpg']!, { reviewed: false }));
    store.createAnnotation(annotationInput(id['beach_02.jpg']!, { reviewed: true }));
    addProposal(store, proposal(id['city%night.png']!));
    addProposal(store, proposal(id['under_score.jpg']!, 'the red cup'));
    addNegative(store, id['under_score.jpg']!, 'the red cup');
    expect(names({ unreviewed: true })).toEqual(['city%night.png', 'plain.jpg']);
    expect(names({ unreviewed: true, hasProposals: true })).toEqual(['city%night.png']);
  });

  it('refuses a status the database does not know, in one line', () => {
    expect(() => store.listImages({ status: 'finished' as never })).toThrow("image status filter must be one of todo, in-progress, done, got 'finished'");
  });
});
