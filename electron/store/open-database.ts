// Opens the SQLite file behind a project and makes sure it is one we can use.
// Nothing is written to a file until it has passed every check, in this order:
//   1. it is an EGM project (or an empty file to create one in): a foreign
//      database switched to WAL would already be changed;
//   2. its schema version is one this app knows (a newer file is refused as it is);
//   3. PRAGMA quick_check passes (a damaged page is reported at open, with the
//      reason, not on some later read);
// and only then is it switched to WAL and configured. A project that cannot be
// written (read-only-media, file or folder) opens read-only (read-only.ts).
import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { oneLine } from '@core/errors';
import { EGM_APPLICATION_ID, SCHEMA_VERSION } from './migrations';
import { openReadOnlyDatabase, readOnlyReason } from './read-only';
import { DEFAULT_BUSY_TIMEOUT_MS } from './write-lock';

export interface OpenDatabaseOptions {
  create?: boolean;
  nativeBinding?: string;
  synchronous?: 'NORMAL' | 'FULL';
  busyTimeoutMs?: number;
}

export interface OpenedDatabase {
  db: Database.Database;
  /** Why the project is open read-only, or null when it can be written. */
  readOnly: string | null;
}

/** Problems quick_check lists at most (the first is shown). */
const QUICK_CHECK_LIMIT = 5;

export function openDatabase(file: string, options: OpenDatabaseOptions): OpenedDatabase {
  const existed = existsSync(file);
  if (!existed && !options.create) throw new Error(`${file}: project file not found`);
  if (existed && statSync(file).isDirectory()) throw new Error(`${file}: is a folder, not an EGM project file`);
  const synchronous = options.synchronous ?? 'FULL';
  if (synchronous !== 'NORMAL' && synchronous !== 'FULL') throw new Error(`${file}: synchronous must be NORMAL or FULL, got '${String(synchronous)}'`);
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) throw new Error(`${file}: busyTimeoutMs must be a whole number of milliseconds ≥ 0, got ${String(busyTimeoutMs)}`);

  const readOnly = readOnlyReason(file, existed);
  if (readOnly && !existed) throw new Error(`${file}: cannot create project: ${readOnly}`);
  let db: Database.Database;
  try {
    db = readOnly
      ? openReadOnlyDatabase(file, options.nativeBinding, readOnly)
      : new Database(file, {
          fileMustExist: !options.create,
          timeout: busyTimeoutMs,
          ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
        });
  } catch (err) {
    const message = oneLine(err);
    throw new Error(message.startsWith(file) ? message : `${file}: cannot open project (${message})`);
  }
  try {
    const version = checkIsProject(db, file, Boolean(options.create));
    if (readOnly && version < SCHEMA_VERSION) {
      throw new Error(`${file}: project schema version ${version} needs an upgrade to ${SCHEMA_VERSION}, but it is read-only (${readOnly}); copy it to a writable folder to open it`);
    }
    quickCheck(db, file);
    if (!readOnly) configure(db, file, synchronous, busyTimeoutMs);
    else db.pragma('foreign_keys = ON');
    return { db, readOnly };
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Refuses a file that is not an EGM project or is from a newer schema; returns its schema version. Reads only. */
function checkIsProject(db: Database.Database, file: string, create: boolean): number {
  let applicationId: number;
  let tables: number;
  let version: number;
  try {
    applicationId = db.pragma('application_id', { simple: true }) as number;
    tables = db.prepare('SELECT COUNT(*) FROM sqlite_schema').pluck().get() as number;
    version = db.pragma('user_version', { simple: true }) as number;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_NOTADB') throw new Error(`${file}: not an EGM project (not an SQLite database)`);
    if (code === 'SQLITE_CORRUPT') throw new Error(`${file}: project file is damaged (${oneLine(err)}); restore it from a backup`);
    throw new Error(`${file}: cannot read project (${oneLine(err)})`);
  }
  if (applicationId === EGM_APPLICATION_ID) {
    if (version > SCHEMA_VERSION) {
      throw new Error(`${file}: project schema version ${version} is newer than this app supports (${SCHEMA_VERSION}); update EGM Annotator`);
    }
    return version;
  }
  if (tables === 0 && applicationId === 0) {
    // A brand-new file (or an empty one the user asked to create a project in).
    if (create) return 0;
    throw new Error(`${file}: not an EGM project (empty file)`);
  }
  throw new Error(`${file}: not an EGM project (an SQLite database of another application)`);
}

/**
 * PRAGMA quick_check: every page and b-tree is read and checked (not index
 * contents against their tables, which integrity_check adds at several times
 * the cost). A damaged project is refused with SQLite's first finding.
 */
function quickCheck(db: Database.Database, file: string): void {
  let rows: string[];
  try {
    rows = db.prepare(`PRAGMA quick_check(${QUICK_CHECK_LIMIT})`).pluck().all() as string[];
  } catch (err) {
    throw new Error(`${file}: project file is damaged (quick_check: ${oneLine(err)}); restore it from a backup`);
  }
  if (rows.length === 1 && rows[0] === 'ok') return;
  const more = rows.length > 1 ? ` (and ${rows.length - 1} more problem${rows.length > 2 ? 's' : ''})` : '';
  throw new Error(`${file}: project file is damaged (quick_check: ${oneLine(rows[0] ?? 'no answer')}${more}); restore it from a backup`);
}

function configure(db: Database.Database, file: string, synchronous: 'NORMAL' | 'FULL', busyTimeoutMs: number): void {
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') throw new Error(`${file}: cannot switch the project to WAL journaling (got '${String(mode)}'; is the folder read-only or a network share?)`);
  // synchronous = FULL (the default): every COMMIT fsyncs the WAL before it
  // returns, so an acknowledged edit survives a power cut or OS crash, not only
  // the app being killed (which NORMAL already survives: the commit's pages are
  // in the OS page cache). Measured (bench/store.bench.ts, 20k-image /
  // 100k-box project, this shared 2-core VM): p95 of one acknowledged update
  // well under the 5 ms budget; the figure is in the README. macOS's fsync does
  // not reach the platter without F_FULLFSYNC (SQLite's fullfsync pragma, off
  // here): there FULL protects against an OS crash, not every power cut.
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  // The CLI and the app may open the same project at once: a write waits this
  // long for the other's write lock (every transaction is BEGIN IMMEDIATE, so
  // the wait applies), then fails naming the holder (write-lock.ts).
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  // 32 MB of page cache instead of SQLite's 2 MB: a COCO import's one
  // transaction (100k boxes, ~30 MB of pages) then spills nothing to the WAL
  // before COMMIT (measured ~15% less time for its inserts; bench/coco-import.bench.ts).
  db.pragma('cache_size = -32768');
}
