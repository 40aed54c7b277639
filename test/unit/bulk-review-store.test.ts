// Issue 18 in the store: bulk accept and bulk "not in this image" are ONE
// transaction each (all or none); a batch's counts say how many were "no box"
// and how many were not asked; migration 7 gives the "no box" answers an older
// version recorded only in its batch items back as proposals; the batch
// controller reports an unfinished batch of an earlier session as interrupted.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BatchController } from '../../electron/grounding/batch-controller';
import type { ModelManager } from '../../electron/grounding/model-manager';
import { ProposalReview } from '../../electron/grounding/proposal-review';
import { DEFAULT_GROUNDING } from '../../electron/grounding/settings';
import type { ProjectStore } from '../../electron/store/api';
import { batchCounts, createBatch, finishItem, setBatchState } from '../../electron/store/batches';
import { migrate } from '../../electron/store/migrations';
import { addNegative, listNegatives, markProposalsAbsent } from '../../electron/store/negatives';
import { openProjectStore } from '../../electron/store/project-store';
import { acceptProposals, addProposal, getProposal, listProposals, type NewProposal } from '../../electron/store/proposals';
import { tempDir } from '../helpers/store-temp';

let tmp: ReturnType<typeof tempDir>;
let store: ProjectStore;
let images: number[];
beforeEach(() => {
  tmp = tempDir();
  store = openProjectStore(join(tmp.dir, 'p.egm'), { create: true });
  images = store.addImages([1, 2, 3].map((i) => ({ absolutePath: join(tmp.dir, `img${i}.jpg`), width: 100, height: 100, orientation: 1 }))).added.map((i) => i.id);
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

function proposal(imageId: number, overrides: Partial<NewProposal> = {}): NewProposal {
  return {
    imageId, phrase: 'the dog', visible: [10, 10, 50, 50], amodal: null, reasoningVisible: 'it is there', reasoningAmodal: '',
    model: 'egm', score: 0.9, point: null, pointHit: null, reason: null, latencyMs: 5, batchId: null, ...overrides,
  };
}

describe('bulk accept and bulk "not in this image" (issue 18)', () => {
  it('accepts many proposals, each with its edits, in one transaction', () => {
    const a = addProposal(store, proposal(images[0]!));
    const b = addProposal(store, proposal(images[1]!, { phrase: 'the cat', amodal: [5, 5, 60, 60] }));
    const results = acceptProposals(store, [{ id: a.id }, { id: b.id, visible: [12, 12, 40, 40] }]);
    expect(results.map((r) => r.proposal.id)).toEqual([a.id, b.id]);
    expect(results[1]!.annotation).toMatchObject({ imageId: images[1], phrase: 'the cat', visible: [12, 12, 40, 40], amodal: [5, 5, 60, 60], source: 'model', reviewed: true });
    expect(listProposals(store)).toEqual([]);
    expect(store.allAnnotations()).toHaveLength(2);
  });

  it('accepts none when one of them cannot be accepted, and names it', () => {
    const a = addProposal(store, proposal(images[0]!));
    const noBox = addProposal(store, proposal(images[1]!, { visible: null, reason: 'no-box' }));
    expect(() => acceptProposals(store, [{ id: a.id }, { id: noBox.id }])).toThrow(`proposal ${noBox.id} has no visible box`);
    expect(listProposals(store).map((p) => p.id).sort()).toEqual([a.id, noBox.id].sort());
    expect(store.allAnnotations()).toEqual([]);
  });

  it('marks many "no box" answers absent in one transaction, saying which negatives are new', () => {
    addNegative(store, images[2]!, 'the dog'); // marked before: not new
    const ids = images.map((imageId) => addProposal(store, proposal(imageId, { visible: null, reason: 'no-box' })).id);
    const marked = markProposalsAbsent(store, ids);
    expect(marked.map((m) => [m.proposal.id, m.negative.imageId, m.created])).toEqual([
      [ids[0], images[0], true],
      [ids[1], images[1], true],
      [ids[2], images[2], false],
    ]);
    expect(listProposals(store)).toEqual([]);
    expect(listNegatives(store).map((n) => n.imageId)).toEqual(images);
    // All or none: a proposal gone already leaves everything as it was.
    const again = addProposal(store, proposal(images[0]!, { visible: null, phrase: 'the cow' }));
    expect(() => markProposalsAbsent(store, [again.id, ids[0]!])).toThrow(`proposal ${ids[0]} not found`);
    expect(getProposal(store, again.id)).toBeDefined();
  });
});

describe('batch counts and migration 7 (issue 18)', () => {
  it('counts no-box answers and skipped items among the done ones', () => {
    const batch = createBatch(store, { phrases: ['the dog'], imageIds: null, concurrency: 1 });
    finishItem(store, { batchId: batch.id, imageId: images[0]!, phrase: 'the dog' }, 'done', 'no-box');
    finishItem(store, { batchId: batch.id, imageId: images[1]!, phrase: 'the dog' }, 'done', 'skipped: a box on this image already has this phrase');
    finishItem(store, { batchId: batch.id, imageId: images[2]!, phrase: 'the dog' }, 'done', null);
    expect(batchCounts(store, batch.id)).toEqual({ total: 3, pending: 0, done: 3, failed: 0, noBox: 1, skipped: 1 });
  });

  it('gives the no-box answers an older version kept only in batch items back as proposals', () => {
    const file = join(tmp.dir, 'old.egm');
    const db = new Database(file);
    migrate(db, file, 6);
    db.exec(`INSERT INTO images (id, path, file_name, width, height) VALUES (1, 'a.jpg', 'a.jpg', 40, 30), (2, 'b.jpg', 'b.jpg', 40, 30), (3, 'c.jpg', 'c.jpg', 40, 30);
      INSERT INTO batches (id, phrases, state, concurrency, created_at, updated_at) VALUES (1, '["the dog"]', 'done', 4, 10, 20), (2, '["the dog"]', 'done', 4, 30, 40);
      -- image 1: answered no box twice (both batches); image 2: no box, but marked absent since; image 3: a box (its proposal waits).
      INSERT INTO batch_items (batch_id, image_id, phrase, state, reason) VALUES (1, 1, 'the dog', 'done', 'no-box'), (2, 1, 'the dog', 'done', 'no-box'),
        (1, 2, 'the dog', 'done', 'no-box'), (1, 3, 'the dog', 'done', NULL);
      INSERT INTO negatives (image_id, phrase, created_at) VALUES (2, 'the dog', 25);
      INSERT INTO proposals (image_id, phrase, x1, y1, x2, y2, model, latency_ms, batch_id, created_at) VALUES (3, 'the dog', 1, 1, 5, 5, 'egm', 3, 1, 20);`);
    db.close();
    const upgraded = openProjectStore(file);
    try {
      const noBox = listProposals(upgraded).filter((p) => p.visible === null);
      expect(noBox).toHaveLength(1);
      expect(noBox[0]).toMatchObject({ imageId: 1, phrase: 'the dog', amodal: null, reason: 'no-box', batchId: 2, createdAt: 40, score: null });
      expect(noBox[0]!.reasoningVisible).toMatch(/no box \(batch 2\); its words were not kept/);
      expect(listProposals(upgraded)).toHaveLength(2);
    } finally {
      upgraded.close();
    }
  });
});

describe('an unfinished batch of an earlier session (issue 18)', () => {
  const controller = () =>
    new BatchController({ getStore: () => store, models: {} as ModelManager, settings: () => DEFAULT_GROUNDING, review: new ProposalReview({ getStore: () => store }) });

  it('is reported as interrupted, with its phrases and counts, until it is resumed', () => {
    expect(controller().status()).toBeNull();
    const batch = createBatch(store, { phrases: ['the dog', 'the cat'], imageIds: null, concurrency: 2 });
    finishItem(store, { batchId: batch.id, imageId: images[0]!, phrase: 'the dog' }, 'done', 'no-box');
    // The app quit while it ran: its state is still 'running' in the file.
    expect(controller().status()).toMatchObject({
      id: batch.id, state: 'paused', interrupted: true, phrases: ['the dog', 'the cat'], total: 6, done: 1, noBox: 1, failed: 0,
      reason: 'interrupted: the app stopped while it ran', etaSeconds: null,
    });
    setBatchState(store, batch.id, 'cancelled');
    expect(controller().status()).toMatchObject({ state: 'cancelled', interrupted: true });
    expect(controller().status()?.reason).toBeUndefined();
    setBatchState(store, batch.id, 'done');
    expect(controller().status()).toBeNull();
  });

  it('is none with no project open', () => {
    const none = new BatchController({
      getStore: () => {
        throw new Error('no project is open');
      },
      models: {} as ModelManager,
      settings: () => DEFAULT_GROUNDING,
      review: new ProposalReview({ getStore: () => store }),
    });
    expect(none.status()).toBeNull();
  });
});
