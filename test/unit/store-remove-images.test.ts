// Issue 11: removing images takes their annotations, proposals, batch items and
// negatives with them in one transaction, leaves the files on disk, and
// refuses (removing nothing) when an id is unknown.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectStore } from '../../electron/store/project-store';
import type { ProjectStore } from '../../electron/store/api';
import { addProposal, listProposals } from '../../electron/store/proposals';
import { addNegative, listNegatives } from '../../electron/store/negatives';
import { createBatch, pendingItems } from '../../electron/store/batches';
import { removeImages } from '../../electron/store/remove-images';
import { annotationInput, tempDir } from '../helpers/store-temp';

let tmp: ReturnType<typeof tempDir>;
let store: ProjectStore;
let ids: number[];
beforeEach(() => {
  tmp = tempDir('egm-remove-images-');
  store = openProjectStore(join(tmp.dir, 'p.egm'), { create: true });
  const files = [1, 2, 3].map((i) => join(tmp.dir, `img${i}.jpg`));
  for (const file of files) writeFileSync(file, 'not really a jpeg');
  ids = store.addImages(files.map((absolutePath) => ({ absolutePath, width: 300, height: 300, orientation: 1 }))).added.map((i) => i.id);
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const proposal = (imageId: number) => ({
  imageId, phrase: 'the cup', visible: null, amodal: null, reasoningVisible: '', reasoningAmodal: '', model: 'm',
  score: null, point: null, pointHit: null, reason: 'no-box', latencyMs: 5, batchId: null,
});

describe('removeImages', () => {
  it('removes the images with their annotations, proposals, batch items and negatives, and keeps the files', () => {
    const [a, b, c] = ids as [number, number, number];
    store.createAnnotation(annotationInput(a));
    store.createAnnotation(annotationInput(a));
    store.createAnnotation(annotationInput(b));
    store.createAnnotation(annotationInput(c));
    const kept = addProposal(store, proposal(c));
    const gone = addProposal(store, proposal(b));
    addNegative(store, a, 'the dog');
    const batch = createBatch(store, { phrases: ['the cup'], imageIds: ids, concurrency: 1 });

    const result = removeImages(store, [a, b, a]);
    expect(result).toEqual({ removed: 2, annotations: 3, proposals: 1, proposalIds: [gone.id] });
    expect(store.listImages().map((i) => i.id)).toEqual([c]);
    expect(store.allAnnotations().map((x) => x.imageId)).toEqual([c]);
    expect(listProposals(store).map((p) => p.id)).toEqual([kept.id]);
    expect(listNegatives(store)).toEqual([]);
    expect(pendingItems(store, batch.id).map((item) => item.imageId)).toEqual([c]);
    expect(store.info()).toMatchObject({ imageCount: 1, annotationCount: 1 });
    for (const i of [1, 2, 3]) expect(existsSync(join(tmp.dir, `img${i}.jpg`))).toBe(true);
  });

  it('names an unknown id and removes nothing', () => {
    store.createAnnotation(annotationInput(ids[0]!));
    expect(() => removeImages(store, [ids[0]!, 999])).toThrow(`no image with id 999 in ${store.path}; nothing was removed`);
    expect(store.listImages()).toHaveLength(3);
    expect(store.allAnnotations()).toHaveLength(1);
  });

  it('survives a reopen: the removal was committed', () => {
    removeImages(store, [ids[1]!]);
    const path = store.path;
    store.close();
    store = openProjectStore(path);
    expect(store.listImages().map((i) => i.id)).toEqual([ids[0], ids[2]]);
  });
});
