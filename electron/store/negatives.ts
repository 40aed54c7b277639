// "Object not in this image" negatives in a project file (schema version 6):
// one row per image and phrase. On the store's own connection (prepared.ts),
// so marking a proposal's phrase absent (reject + record) is ONE transaction.
import type Database from 'better-sqlite3';
import { negativePhraseKey, type Negative } from '@core/negatives';
import type { Proposal } from '@core/types';
import type { ProjectStore } from './api';
import { preparedFor } from './prepared';
import { rejectProposal } from './proposals';

interface NegativeRow {
  id: number;
  image_id: number;
  phrase: string;
  created_at: number;
}

function prepare(db: Database.Database) {
  return {
    // OR IGNORE: the same phrase marked twice on one image keeps the first (changes 0).
    insert: db.prepare('INSERT OR IGNORE INTO negatives (image_id, phrase, created_at) VALUES (?, ?, ?)'),
    insertWithId: db.prepare('INSERT INTO negatives (id, image_id, phrase, created_at) VALUES (?, ?, ?, ?)'),
    get: db.prepare('SELECT * FROM negatives WHERE id = ?'),
    byImagePhrase: db.prepare('SELECT * FROM negatives WHERE image_id = ? AND phrase = ?'),
    listAll: db.prepare('SELECT * FROM negatives ORDER BY image_id, id'),
    listImage: db.prepare('SELECT * FROM negatives WHERE image_id = ? ORDER BY id'),
    remove: db.prepare('DELETE FROM negatives WHERE id = ?'),
    imageExists: db.prepare('SELECT 1 FROM images WHERE id = ?').pluck(),
    // Export: [image id, phrase] in (image, id) order, no objects built.
    exportRows: db.prepare('SELECT image_id, phrase FROM negatives ORDER BY image_id, id').raw(true),
  };
}

const statements = (store: ProjectStore) => preparedFor(store, prepare);

function toNegative(row: NegativeRow): Negative {
  return { id: row.id, imageId: row.image_id, phrase: row.phrase, createdAt: row.created_at };
}

function cleanPhrase(phrase: string, where: string): string {
  const key = typeof phrase === 'string' ? negativePhraseKey(phrase) : '';
  if (key === '') throw new Error(`${where}: phrase must not be empty`);
  return key;
}

function requireImage(store: ProjectStore, imageId: number, where: string): void {
  if (statements(store).imageExists.get(imageId) === undefined) throw new Error(`${where}: image ${imageId} not found in ${store.path}`);
}

/**
 * Records that `phrase` has no object in the image. Marking a phrase that is
 * already marked returns the negative there is (no error, nothing written).
 */
export function addNegative(store: ProjectStore, imageId: number, phrase: string): Negative {
  return store.transaction(() => {
    const where = `negative on image ${imageId}`;
    requireImage(store, imageId, where);
    const key = cleanPhrase(phrase, where);
    const sql = statements(store);
    sql.insert.run(imageId, key, Date.now());
    return toNegative(sql.byImagePhrase.get(imageId, key) as NegativeRow);
  });
}

/** Negatives of one image (by id) or of all (by image, then id). */
export function listNegatives(store: ProjectStore, imageId?: number): Negative[] {
  const sql = statements(store);
  const rows = imageId === undefined ? sql.listAll.all() : sql.listImage.all(imageId);
  return (rows as NegativeRow[]).map(toNegative);
}

export function getNegative(store: ProjectStore, id: number): Negative | undefined {
  const row = statements(store).get.get(id) as NegativeRow | undefined;
  return row && toNegative(row);
}

/** Deletes a negative and returns it (for undo). */
export function removeNegative(store: ProjectStore, id: number): Negative {
  return store.transaction(() => {
    const negative = getNegative(store, id);
    if (!negative) throw new Error(`negative ${id} not found in ${store.path} (already removed?)`);
    statements(store).remove.run(id);
    return negative;
  });
}

/** Puts a removed negative back under its id (undo of remove). */
export function restoreNegative(store: ProjectStore, negative: Negative): Negative {
  return store.transaction(() => {
    const where = `negative ${negative.id}`;
    if (getNegative(store, negative.id)) throw new Error(`cannot restore ${where}: a negative with this id already exists in ${store.path}`);
    requireImage(store, negative.imageId, where);
    const key = cleanPhrase(negative.phrase, where);
    const other = statements(store).byImagePhrase.get(negative.imageId, key) as NegativeRow | undefined;
    if (other) throw new Error(`cannot restore ${where}: negative ${other.id} already marks '${key}' absent on image ${negative.imageId}`);
    statements(store).insertWithId.run(negative.id, negative.imageId, key, negative.createdAt);
    return getNegative(store, negative.id)!;
  });
}

/**
 * The reviewer agrees the object is not there: the proposal is rejected and
 * its phrase recorded as absent from its image, in one transaction (a crash
 * leaves the proposal waiting, or the negative recorded, never neither).
 */
export function markProposalAbsent(store: ProjectStore, proposalId: number): { proposal: Proposal; negative: Negative } {
  return store.transaction(() => {
    const proposal = rejectProposal(store, proposalId);
    return { proposal, negative: addNegative(store, proposal.imageId, proposal.phrase) };
  });
}

/**
 * Bulk review (issue 18): every proposal agreed with at once (typically all
 * "no box" answers), in ONE transaction. `created` says whether the negative
 * is new: one marked before (or by an earlier proposal of the list) must not
 * be taken away by an undo of this.
 */
export function markProposalsAbsent(store: ProjectStore, proposalIds: readonly number[]): { proposal: Proposal; negative: Negative; created: boolean }[] {
  return store.transaction(() =>
    proposalIds.map((id) => {
      const proposal = rejectProposal(store, id);
      const where = `negative on image ${proposal.imageId}`;
      const known = statements(store).byImagePhrase.get(proposal.imageId, cleanPhrase(proposal.phrase, where)) !== undefined;
      return { proposal, negative: addNegative(store, proposal.imageId, proposal.phrase), created: !known };
    }),
  );
}

/**
 * Bulk insert for imports (COCO neg_phrases), in one transaction: a phrase the
 * image already has marked is left as it is. Returns how many were added.
 */
export function importNegatives(store: ProjectStore, negatives: readonly { imageId: number; phrase: string }[]): number {
  return store.transaction(() => {
    const sql = statements(store);
    const now = Date.now();
    let added = 0;
    for (const { imageId, phrase } of negatives) {
      const where = `imported negative on image ${imageId}`;
      requireImage(store, imageId, where);
      added += sql.insert.run(imageId, cleanPhrase(phrase, where), now).changes;
    }
    return added;
  });
}

/** Every negative as [project image id, phrase], by image then id (exports). */
export function negativeExportRows(store: ProjectStore): [imageId: number, phrase: string][] {
  return statements(store).exportRows.all() as [number, string][];
}
