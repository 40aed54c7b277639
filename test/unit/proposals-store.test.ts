// Proposals and batches in a real project file: add/list/order, accept as one
// transaction (annotation in, proposal out), reject and restore under the same
// id, per-image counts in listImages, batch items resumable across a reopen.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openProjectStore } from '../../electron/store/project-store';
import type { ProjectStore } from '../../electron/store/api';
import {
  acceptProposal,
  addProposal,
  getProposal,
  listProposals,
  rejectProposal,
  restoreProposal,
  type NewProposal,
} from '../../electron/store/proposals';
import {
  batchCounts,
  createBatch,
  finishItem,
  pendingItems,
  requireBatch,
  setBatchState,
  unfinishedBatches,
} from '../../electron/store/batches';
import { tempDir } from '../helpers/store-temp';

/** A new project file in dir with three (unprobed) 100×100 images. */
function projectWithThreeImages(dir: string, name: string): { file: string; store: ProjectStore; images: number[] } {
  const file = join(dir, name);
  const store = openProjectStore(file, { create: true });
  const images = store
    .addImages([1, 2, 3].map((i) => ({ absolutePath: join(dir, `img${i}.jpg`), width: 100, height: 100, orientation: 1 })))
    .added.map((image) => image.id);
  return { file, store, images };
}

function proposal(imageId: number, overrides: Partial<NewProposal> = {}): NewProposal {
  return {
    imageId,
    phrase: 'the lime behind the orange',
    visible: [10, 10, 50, 50],
    amodal: [10, 10, 50, 80],
    reasoningVisible: 'left side',
    reasoningAmodal: 'extends down',
    model: 'nvidia/EGM-8B',
    score: null,
    point: null,
    pointHit: null,
    reason: null,
    latencyMs: 120,
    batchId: null,
    ...overrides,
  };
}

describe('proposals store', () => {
  let dir: string;
  let cleanup: () => void;
  let store: ProjectStore;
  let images: number[];

  beforeEach(() => {
    ({ dir, cleanup } = tempDir('egm-proposals-'));
    ({ store, images } = projectWithThreeImages(dir, 'p.egm'));
  });
  afterEach(() => {
    store.close();
    cleanup();
  });

  it('stores every field and counts proposals per image in listImages and getImage', () => {
    const p = addProposal(store, proposal(images[0]!, { point: [20, 30], pointHit: true, score: 0.8, reason: null }));
    addProposal(store, proposal(images[0]!));
    addProposal(store, proposal(images[1]!, { visible: null, amodal: null, reason: 'no-box' }));
    expect(getProposal(store, p.id)).toEqual({ ...proposal(images[0]!, { point: [20, 30], pointHit: true, score: 0.8 }), id: p.id, createdAt: p.createdAt });
    expect(store.listImages().map((i) => i.proposalCount)).toEqual([2, 1, 0]);
    expect(store.getImage(images[1]!)!.proposalCount).toBe(1);
    expect(listProposals(store, { imageId: images[1]! })[0]).toMatchObject({ visible: null, amodal: null, reason: 'no-box', pointHit: null });
  });

  it('lists newest first or lowest confidence first (unscored last)', () => {
    const a = addProposal(store, proposal(images[0]!, { score: 0.9, createdAt: 1000 }));
    const b = addProposal(store, proposal(images[1]!, { score: null, createdAt: 3000 }));
    const c = addProposal(store, proposal(images[2]!, { score: 0.2, createdAt: 2000 }));
    expect(listProposals(store).map((p) => p.id)).toEqual([b.id, c.id, a.id]);
    expect(listProposals(store, { order: 'confidence' }).map((p) => p.id)).toEqual([c.id, a.id, b.id]);
  });

  it('accepts with edits into a reviewed model annotation and removes the proposal', () => {
    const p = addProposal(store, proposal(images[0]!, { score: 0.75 }));
    const { annotation, proposal: accepted } = acceptProposal(store, p.id, { visible: [12, 10, 50, 50] });
    expect(accepted).toEqual(p);
    expect(annotation).toMatchObject({
      imageId: images[0],
      phrase: p.phrase,
      visible: [12, 10, 50, 50],
      amodal: [10, 10, 50, 80],
      occluded: true,
      source: 'model',
      model: 'nvidia/EGM-8B',
      score: 0.75,
      reviewed: true,
    });
    expect(getProposal(store, p.id)).toBeUndefined();
    expect(store.listAnnotations(images[0]!)).toHaveLength(1);
    expect(() => acceptProposal(store, p.id)).toThrow(`proposal ${p.id} not found`);
  });

  it("accepting labels the image: a 'todo' image becomes 'in-progress', a 'done' one stays done (issue 18, item 8)", () => {
    expect(store.getImage(images[0]!)!.status).toBe('todo');
    acceptProposal(store, addProposal(store, proposal(images[0]!)).id);
    expect(store.getImage(images[0]!)!.status).toBe('in-progress');
    store.setImageStatus(images[1]!, 'done');
    acceptProposal(store, addProposal(store, proposal(images[1]!)).id);
    expect(store.getImage(images[1]!)!.status).toBe('done');
    // A refused accept changes no status.
    const bad = addProposal(store, proposal(images[2]!));
    expect(() => acceptProposal(store, bad.id, { categoryId: 999 })).toThrow('category 999 not found');
    expect(store.getImage(images[2]!)!.status).toBe('todo');
  });

  it('rolls back the whole accept when the annotation cannot be created', () => {
    const p = addProposal(store, proposal(images[0]!));
    expect(() => acceptProposal(store, p.id, { categoryId: 999 })).toThrow('category 999 not found');
    expect(getProposal(store, p.id)).toEqual(p);
    expect(store.listAnnotations(images[0]!)).toEqual([]);
  });

  it('refuses to accept a proposal without a visible box unless the edit gives one', () => {
    const p = addProposal(store, proposal(images[0]!, { visible: null }));
    expect(() => acceptProposal(store, p.id)).toThrow(`proposal ${p.id} has no visible box`);
    expect(acceptProposal(store, p.id, { visible: [10, 10, 50, 80], amodal: null }).annotation.occluded).toBe(false);
  });

  it('rejects and restores under the same id, and refuses a double restore', () => {
    const p = addProposal(store, proposal(images[0]!));
    const removed = rejectProposal(store, p.id);
    expect(listProposals(store)).toEqual([]);
    addProposal(store, proposal(images[1]!)); // AUTOINCREMENT: never reuses p.id
    expect(restoreProposal(store, removed)).toEqual(p);
    expect(() => restoreProposal(store, removed)).toThrow(`cannot restore proposal ${p.id}`);
  });

  it('checks boxes and scores and names the problem', () => {
    expect(() => addProposal(store, proposal(images[0]!, { visible: [50, 10, 10, 50] }))).toThrow('visible box must be [x1, y1, x2, y2]');
    expect(() => addProposal(store, proposal(images[0]!, { score: 1.5 }))).toThrow('score must be in [0, 1]');
    expect(() => addProposal(store, proposal(999))).toThrow('image 999 not found');
  });
});

describe('batches store', () => {
  let dir: string;
  let cleanup: () => void;
  let file: string;
  let store: ProjectStore;
  let images: number[];

  beforeEach(() => {
    ({ dir, cleanup } = tempDir('egm-batches-'));
    ({ file, store, images } = projectWithThreeImages(dir, 'b.egm'));
  });
  afterEach(() => {
    store.close();
    cleanup();
  });

  it('creates phrases × images items (all images when null) and keeps them across a reopen', () => {
    const batch = createBatch(store, { phrases: ['a cat', 'a dog', 'a cat '], imageIds: null, concurrency: 4 });
    expect(batch).toMatchObject({ phrases: ['a cat', 'a dog'], state: 'running', concurrency: 4 });
    expect(batchCounts(store, batch.id)).toEqual({ total: 6, pending: 6, done: 0, failed: 0, noBox: 0, skipped: 0 });

    expect(finishItem(store, { batchId: batch.id, imageId: images[0]!, phrase: 'a cat' }, 'done', null, () => addProposal(store, proposal(images[0]!, { batchId: batch.id })))).toBe(true);
    expect(finishItem(store, { batchId: batch.id, imageId: images[1]!, phrase: 'a cat' }, 'failed', 'error: image file missing')).toBe(true);
    // A second finish of the same item changes nothing and does not run `also`.
    let ran = false;
    expect(finishItem(store, { batchId: batch.id, imageId: images[0]!, phrase: 'a cat' }, 'done', null, () => (ran = true))).toBe(false);
    expect(ran).toBe(false);
    store.close();

    store = openProjectStore(file);
    expect(unfinishedBatches(store).map((b) => b.id)).toEqual([batch.id]);
    expect(batchCounts(store, batch.id)).toEqual({ total: 6, pending: 4, done: 1, failed: 1, noBox: 0, skipped: 0 });
    expect(pendingItems(store, batch.id).map((i) => [i.imageId, i.phrase])).toEqual([
      [images[0], 'a dog'],
      [images[1], 'a dog'],
      [images[2], 'a cat'],
      [images[2], 'a dog'],
    ]);
    expect(listProposals(store)[0]!.batchId).toBe(batch.id);
    setBatchState(store, batch.id, 'done');
    expect(requireBatch(store, batch.id).state).toBe('done');
    expect(unfinishedBatches(store)).toEqual([]);
  });

  it('rolls back an item when storing its result fails', () => {
    const batch = createBatch(store, { phrases: ['a cat'], imageIds: [images[0]!], concurrency: 1 });
    const item = { batchId: batch.id, imageId: images[0]!, phrase: 'a cat' };
    expect(() => finishItem(store, item, 'done', null, () => addProposal(store, proposal(images[0]!, { score: 7 })))).toThrow('score must be in [0, 1]');
    expect(batchCounts(store, batch.id).pending).toBe(1);
  });

  it('refuses empty phrases, unknown images and bad concurrency', () => {
    expect(() => createBatch(store, { phrases: [' '], imageIds: null, concurrency: 1 })).toThrow('at least one non-empty phrase');
    expect(() => createBatch(store, { phrases: ['x'], imageIds: [999], concurrency: 1 })).toThrow('image 999 not found');
    expect(() => createBatch(store, { phrases: ['x'], imageIds: null, concurrency: 0 })).toThrow('concurrency must be a positive integer');
    expect(unfinishedBatches(store)).toEqual([]);
  });
});
