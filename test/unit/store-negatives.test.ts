// "Object not in this image" negatives in the store (schema version 6): a
// version-5 project gains the table on open with its data intact; one negative
// per image and phrase; markProposalAbsent is one transaction.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../electron/store/migrations';
import { openProjectStore } from '../../electron/store/project-store';
import { addNegative, listNegatives, markProposalAbsent, restoreNegative } from '../../electron/store/negatives';
import { addProposal, listProposals } from '../../electron/store/proposals';
import { tempDir } from '../helpers/store-temp';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('egm-negatives-');
});
afterEach(() => tmp.cleanup());

describe('negatives store', () => {
  it('upgrades a version-5 project: the table appears, the images stay', () => {
    const file = join(tmp.dir, 'old.egm');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    expect(migrate(db, file, 5)).toBe(5);
    db.prepare("INSERT INTO images (id, path, file_name, width, height) VALUES (3, 'a.jpg', 'a.jpg', 10, 10)").run();
    db.close();
    const store = openProjectStore(file);
    try {
      expect(store.info().schemaVersion).toBeGreaterThanOrEqual(6);
      expect(addNegative(store, 3, 'the cat')).toMatchObject({ imageId: 3, phrase: 'the cat' });
    } finally {
      store.close();
    }
  });

  it('keeps one negative per image and phrase, and refuses to restore a second', () => {
    const store = openProjectStore(join(tmp.dir, 'p.egm'), { create: true });
    try {
      const [image] = store.addImages([{ absolutePath: join(tmp.dir, 'a.jpg'), width: 10, height: 10, orientation: 1 }]).added;
      const first = addNegative(store, image!.id, 'the  cat');
      expect(addNegative(store, image!.id, 'the cat ')).toEqual(first);
      // A different case is a different phrase: it is what was asked.
      expect(addNegative(store, image!.id, 'The cat').id).not.toBe(first.id);
      expect(() => restoreNegative(store, { ...first, id: 77 })).toThrow(`cannot restore negative 77: negative ${first.id} already marks 'the cat' absent on image ${image!.id}`);
      expect(listNegatives(store).map((n) => n.phrase)).toEqual(['the cat', 'The cat']);
    } finally {
      store.close();
    }
  });

  it('markProposalAbsent leaves the proposal when recording fails (one transaction)', () => {
    const store = openProjectStore(join(tmp.dir, 'p.egm'), { create: true });
    try {
      const [image] = store.addImages([{ absolutePath: join(tmp.dir, 'a.jpg'), width: 10, height: 10, orientation: 1 }]).added;
      // A phrase that is only white space passes the proposal's own checks but not the negative's.
      const proposal = addProposal(store, {
        imageId: image!.id, phrase: ' ', visible: null, amodal: null, reasoningVisible: '', reasoningAmodal: '',
        model: 'm', score: null, point: null, pointHit: null, reason: 'no-box', latencyMs: 1, batchId: null,
      });
      expect(() => markProposalAbsent(store, proposal.id)).toThrow(`negative on image ${image!.id}: phrase must not be empty`);
      expect(listProposals(store)).toEqual([proposal]);
      expect(listNegatives(store)).toEqual([]);
    } finally {
      store.close();
    }
  });
});
