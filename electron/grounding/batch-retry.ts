// "Retry failed" for a stored batch: its failed items go back to pending (and
// the batch to paused), so resuming it asks only for them. Here rather than
// in store/batches.ts, which belongs to the store's owners; the statements run
// on the store's own connection (preparedFor), inside one transaction.
import type Database from 'better-sqlite3';
import type { ProjectStore } from '../store/api';
import { requireBatch, type BatchRecord } from '../store/batches';
import { preparedFor } from '../store/prepared';

function prepare(db: Database.Database) {
  return {
    resetFailed: db.prepare("UPDATE batch_items SET state = 'pending', reason = NULL WHERE batch_id = ? AND state = 'failed'"),
    pause: db.prepare("UPDATE batches SET state = 'paused', updated_at = ? WHERE id = ?"),
    newestFirst: db.prepare('SELECT id FROM batches ORDER BY id DESC').pluck(),
    withFailed: db.prepare("SELECT DISTINCT batch_id FROM batch_items WHERE state = 'failed' ORDER BY batch_id DESC").pluck(),
  };
}

/** Puts a batch's failed items back to pending (the batch becomes paused, resumable); returns how many. */
export function resetFailedItems(store: ProjectStore, batchId: number): number {
  requireBatch(store, batchId);
  return store.transaction(() => {
    const sql = preparedFor(store, prepare);
    const changed = sql.resetFailed.run(batchId).changes;
    if (changed > 0) sql.pause.run(Date.now(), batchId);
    return changed;
  });
}

/** The newest batch, in any state, whose phrases `matches` accepts. */
export function newestBatch(store: ProjectStore, matches: (batch: BatchRecord) => boolean): BatchRecord | undefined {
  for (const id of preparedFor(store, prepare).newestFirst.all() as number[]) {
    const batch = requireBatch(store, id);
    if (matches(batch)) return batch;
  }
  return undefined;
}

/** The newest batch that has failed items, if any. */
export function newestBatchWithFailures(store: ProjectStore): BatchRecord | undefined {
  const [id] = preparedFor(store, prepare).withFailed.all() as number[];
  return id === undefined ? undefined : requireBatch(store, id);
}
