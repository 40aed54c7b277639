// The project's free attribute names (issue 18): every name some object uses,
// so the inspector offers each of them on every box. Read from the stored
// JSON with SQLite's json_each; boxes with none ('{}') are passed over.
import type Database from 'better-sqlite3';
import type { ProjectStore } from './api';
import { preparedFor } from './prepared';

function prepare(db: Database.Database) {
  return {
    keys: db.prepare(`SELECT DISTINCT j.key FROM annotations a, json_each(a.attributes) j WHERE a.attributes != '{}' ORDER BY j.key`).pluck(),
  };
}

export function attributeKeys(store: ProjectStore): string[] {
  return preparedFor(store, prepare).keys.all() as string[];
}
