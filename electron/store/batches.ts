// Batch auto-label runs in a project file (schema version 3). A batch is a
// list of (image, phrase) items, each pending until its answer is stored; the
// item turns done or failed in the same transaction that adds its proposal,
// so a batch interrupted at any moment (quit, Ctrl+C, crash) resumes with
// exactly the items that have no stored result.
import type Database from 'better-sqlite3';
import type { BatchStatus } from '@core/types';
import type { ProjectStore } from './api';
import { preparedFor } from './prepared';

export type BatchState = BatchStatus['state'];
export type ItemState = 'pending' | 'done' | 'failed';

export interface BatchRecord {
  id: number;
  phrases: string[];
  state: BatchState;
  concurrency: number;
  createdAt: number;
  updatedAt: number;
}

export interface BatchItem {
  batchId: number;
  imageId: number;
  phrase: string;
  state: ItemState;
  reason: string | null;
}

export interface BatchCounts {
  total: number;
  pending: number;
  done: number;
  failed: number;
  /** Done items the model answered with no box. */
  noBox: number;
  /** Done items not asked: their pair had been answered before (reason 'skipped: ...'). */
  skipped: number;
}

/** A done item's reason when the model answered with no box (its proposal is a "no box" one). */
export const NO_BOX_REASON = 'no-box';

interface BatchRow {
  id: number;
  phrases: string;
  state: BatchState;
  concurrency: number;
  created_at: number;
  updated_at: number;
}

interface ItemRow {
  batch_id: number;
  image_id: number;
  phrase: string;
  state: ItemState;
  reason: string | null;
}

function prepare(db: Database.Database) {
  return {
    insertBatch: db.prepare('INSERT INTO batches (phrases, state, concurrency, created_at, updated_at) VALUES (?, ?, ?, ?, ?)'),
    insertItem: db.prepare("INSERT OR IGNORE INTO batch_items (batch_id, image_id, phrase, state) VALUES (?, ?, ?, 'pending')"),
    getBatch: db.prepare('SELECT * FROM batches WHERE id = ?'),
    setState: db.prepare('UPDATE batches SET state = ?, updated_at = ? WHERE id = ?'),
    latestUnfinished: db.prepare("SELECT * FROM batches WHERE state != 'done' ORDER BY id DESC"),
    pending: db.prepare("SELECT * FROM batch_items WHERE batch_id = ? AND state = 'pending' ORDER BY image_id, phrase"),
    items: db.prepare('SELECT * FROM batch_items WHERE batch_id = ? ORDER BY image_id, phrase'),
    finishItem: db.prepare("UPDATE batch_items SET state = ?, reason = ? WHERE batch_id = ? AND image_id = ? AND phrase = ? AND state = 'pending'"),
    counts: db.prepare(`SELECT COUNT(*) AS total, COALESCE(SUM(state = 'pending'), 0) AS pending,
      COALESCE(SUM(state = 'done'), 0) AS done, COALESCE(SUM(state = 'failed'), 0) AS failed,
      COALESCE(SUM(state = 'done' AND reason = '${NO_BOX_REASON}'), 0) AS noBox,
      COALESCE(SUM(state = 'done' AND reason LIKE 'skipped:%'), 0) AS skipped
      FROM batch_items WHERE batch_id = ?`),
    imageIds: db.prepare('SELECT id FROM images ORDER BY id').pluck(),
    imageExists: db.prepare('SELECT 1 FROM images WHERE id = ?').pluck(),
  };
}

function statements(store: ProjectStore) {
  return preparedFor(store, prepare);
}

function toBatch(row: BatchRow): BatchRecord {
  return {
    id: row.id,
    phrases: JSON.parse(row.phrases) as string[],
    state: row.state,
    concurrency: row.concurrency,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toItem(row: ItemRow): BatchItem {
  return { batchId: row.batch_id, imageId: row.image_id, phrase: row.phrase, state: row.state, reason: row.reason };
}

/** Creates a batch of phrases × images (null: every image of the project), all items pending, in one transaction. */
export function createBatch(store: ProjectStore, input: { phrases: string[]; imageIds: number[] | null; concurrency: number }): BatchRecord {
  const phrases = [...new Set(input.phrases.map((p) => p.trim()).filter(Boolean))];
  if (phrases.length === 0) throw new Error('a batch needs at least one non-empty phrase');
  if (!Number.isInteger(input.concurrency) || input.concurrency < 1) throw new Error(`batch concurrency must be a positive integer, got ${input.concurrency}`);
  return store.transaction(() => {
    const sql = statements(store);
    const imageIds = input.imageIds ?? (sql.imageIds.all() as number[]);
    if (imageIds.length === 0) throw new Error(`no images to label in ${store.path}`);
    for (const id of imageIds) {
      if (sql.imageExists.get(id) === undefined) throw new Error(`batch: image ${id} not found in ${store.path}`);
    }
    const now = Date.now();
    const id = Number(sql.insertBatch.run(JSON.stringify(phrases), 'running', input.concurrency, now, now).lastInsertRowid);
    for (const imageId of imageIds) for (const phrase of phrases) sql.insertItem.run(id, imageId, phrase);
    return requireBatch(store, id);
  });
}

function getBatch(store: ProjectStore, id: number): BatchRecord | undefined {
  const row = statements(store).getBatch.get(id) as BatchRow | undefined;
  return row && toBatch(row);
}

export function requireBatch(store: ProjectStore, id: number): BatchRecord {
  const batch = getBatch(store, id);
  if (!batch) throw new Error(`batch ${id} not found in ${store.path}`);
  return batch;
}

export function setBatchState(store: ProjectStore, id: number, state: BatchState): void {
  const result = statements(store).setState.run(state, Date.now(), id);
  if (result.changes === 0) throw new Error(`batch ${id} not found in ${store.path}`);
}

/** Unfinished batches (running when the app stopped, paused or cancelled), newest first. */
export function unfinishedBatches(store: ProjectStore): BatchRecord[] {
  return (statements(store).latestUnfinished.all() as BatchRow[]).map(toBatch);
}

export function pendingItems(store: ProjectStore, batchId: number): BatchItem[] {
  return (statements(store).pending.all(batchId) as ItemRow[]).map(toItem);
}

export function batchItems(store: ProjectStore, batchId: number): BatchItem[] {
  return (statements(store).items.all(batchId) as ItemRow[]).map(toItem);
}

/**
 * Marks a pending item done or failed; `also` runs in the same transaction
 * (storing the item's proposal). Returns false when the item was not pending
 * (finished already), in which case `also` is not run.
 */
export function finishItem(
  store: ProjectStore,
  item: Pick<BatchItem, 'batchId' | 'imageId' | 'phrase'>,
  state: 'done' | 'failed',
  reason: string | null,
  also?: () => void,
): boolean {
  return store.transaction(() => {
    const result = statements(store).finishItem.run(state, reason, item.batchId, item.imageId, item.phrase);
    if (result.changes === 0) return false;
    also?.();
    return true;
  });
}

export function batchCounts(store: ProjectStore, batchId: number): BatchCounts {
  return statements(store).counts.get(batchId) as BatchCounts;
}
