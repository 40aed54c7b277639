// Projects that cannot be written (a read-only file, folder or file system: a
// DVD, a read-only network share, a write-protected card) open read-only
// instead of failing. Whether a project can be written is decided up front
// from the file system (access W_OK, which also reports EROFS), before SQLite
// touches the file; the store then refuses every edit with the reason.
//
// A project in WAL mode (every EGM project) needs its -shm file to be read, and
// SQLite cannot create one in a read-only folder. There the file is read into
// memory and opened from that copy, which is safe only when no -wal file holds
// changes the copy would miss; with one, the open is refused with the reason.
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { oneLine } from '@core/errors';

/** Why the project cannot be written, or null when it can (or is to be created and its folder is writable). */
export function readOnlyReason(file: string, exists: boolean): string | null {
  // The folder first: SQLite writes its -wal and -shm files there, so a
  // read-only folder makes the project read-only whatever the file's own mode.
  const folder = dirname(file);
  const folderProblem = accessProblem(folder);
  if (folderProblem) return folderProblem === 'EROFS' ? 'it is on a read-only file system' : `its folder ${folder} is read-only`;
  const fileProblem = exists ? accessProblem(file) : null;
  if (fileProblem) return fileProblem === 'EROFS' ? 'it is on a read-only file system' : 'the project file is read-only';
  return null;
}

function accessProblem(path: string): string | null {
  try {
    accessSync(path, constants.W_OK);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return code;
    // Anything else (ENOENT of the folder, ELOOP...) is not "read-only": let the open report it.
    return null;
  }
}

/** SQLite's answers that mean "could not open for reading without writing a side file". */
const NEEDS_SIDE_FILES = new Set(['SQLITE_CANTOPEN', 'SQLITE_READONLY_DIRECTORY', 'SQLITE_READONLY_CANTINIT', 'SQLITE_READONLY_RECOVERY', 'SQLITE_READONLY']);

/**
 * Opens the file read-only: in place when SQLite can (its -shm exists or can be
 * made), else from an in-memory copy when that misses nothing.
 */
export function openReadOnlyDatabase(file: string, nativeBinding: string | undefined, reason: string): Database.Database {
  const binding = nativeBinding ? { nativeBinding } : {};
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, ...binding });
    // Opening is lazy: the first read is what needs the -shm file.
    db.prepare('SELECT COUNT(*) FROM sqlite_schema').pluck().get();
    return db;
  } catch (err) {
    db?.close();
    const code = (err as { code?: string }).code ?? '';
    if (!NEEDS_SIDE_FILES.has(code)) throw new Error(`${file}: cannot open project read-only (${oneLine(err)})`);
  }
  const wal = `${file}-wal`;
  const walSize = sizeOf(wal);
  if (walSize > 0) {
    throw new Error(`${file}: cannot open project: ${reason}, and its journal ${wal} holds changes that cannot be read there; copy the project with its -wal file to a writable folder`);
  }
  const bytes = readFileSync(file);
  // Bytes 18-19 of the header are 2 for a WAL file; an in-memory copy has no WAL, so mark it rollback-journal (1).
  if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) {
    bytes[18] = 1;
    bytes[19] = 1;
  }
  try {
    return new Database(bytes, { readonly: true, ...binding });
  } catch (err) {
    throw new Error(`${file}: cannot open project read-only (${oneLine(err)})`);
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0; // no -wal file: nothing the copy could miss
    throw new Error(`${path}: cannot check the project's journal (${oneLine(err)})`);
  }
}
