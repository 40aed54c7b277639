// Prepared statements of the modules that keep tables of their own in a project
// file (store/proposals.ts, store/batches.ts): prepared once per connection and
// module, on the store's own connection so they share its transactions.
import type Database from 'better-sqlite3';
import type { ProjectStore } from './api';
import { sqliteOf } from './project-store';

const cache = new WeakMap<Database.Database, Map<(db: Database.Database) => unknown, unknown>>();

/** prepare(db)'s statements for this store, prepared on first use (pass the same function each time). */
export function preparedFor<T>(store: ProjectStore, prepare: (db: Database.Database) => T): T {
  const db = sqliteOf(store);
  let byModule = cache.get(db);
  if (!byModule) {
    byModule = new Map();
    cache.set(db, byModule);
  }
  let statements = byModule.get(prepare) as T | undefined;
  if (statements === undefined) {
    statements = prepare(db);
    byModule.set(prepare, statements);
  }
  return statements;
}
