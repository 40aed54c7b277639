// The project store on better-sqlite3: one SQLite file per project (*.egm).
// Every public write is its own transaction (BEGIN IMMEDIATE: it waits for
// another process's write lock, see write-lock.ts) and returns only after
// COMMIT, which with synchronous=FULL has fsynced the WAL: an edit whose call
// returned survives the app being killed and the machine losing power.
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { ProjectStore } from './api';
import { migrate } from './migrations';
import { openDatabase } from './open-database';
import { SqliteProjectStore } from './sqlite-store';
import { DEFAULT_BUSY_TIMEOUT_MS, WriterNote, defaultWriterName } from './write-lock';

export interface OpenProjectOptions {
  /** Create the file when it does not exist (an existing EGM project is opened as is, never overwritten). */
  create?: boolean;
  /** Path of a better-sqlite3 .node build for another ABI (the Electron app); plain Node uses the default. */
  nativeBinding?: string;
  /** SQLite durability: FULL (default) keeps acknowledged edits through a power cut, at an fsync per edit; NORMAL only through an app crash (see open-database.ts). */
  synchronous?: 'NORMAL' | 'FULL';
  /** How long a write waits for another process's write lock before failing with the holder's name (default 5000 ms). */
  busyTimeoutMs?: number;
  /** How this process is named to a writer kept waiting ("egm import"); default: the app's or the script's name. */
  who?: string;
}

/**
 * Opens (or creates) a project file, brings its schema up to date and flags
 * images whose files are gone. Errors are one line naming the file.
 */
export function openProjectStore(path: string, options: OpenProjectOptions = {}): ProjectStore {
  const file = resolve(path);
  const { db, readOnly } = openDatabase(file, options);
  try {
    // A read-only project is already at SCHEMA_VERSION (openDatabase refuses an older one).
    if (!readOnly) migrate(db, file);
    const note = readOnly ? null : new WriterNote(file, options.who ?? defaultWriterName());
    const store = new SqliteProjectStore(db, file, { readOnly, note, busyTimeoutMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
    connections.set(store, db);
    store.refreshMissing();
    return store;
  } catch (err) {
    db.close();
    throw err;
  }
}

// The connection behind each open store, for modules that add tables of their
// own (store/proposals.ts, store/batches.ts) and must write in the same
// transactions as the store (accepting a proposal creates its annotation).
const connections = new WeakMap<ProjectStore, Database.Database>();

/** The better-sqlite3 connection of a store opened by openProjectStore (throws for any other store). */
export function sqliteOf(store: ProjectStore): Database.Database {
  const db = connections.get(store);
  if (!db) throw new Error(`${store.path}: not a store opened by openProjectStore`);
  if (!db.open) throw new Error(`${store.path}: project is closed`);
  return db;
}
