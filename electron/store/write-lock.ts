// Who holds a project's write lock, so a writer that gave up waiting can say.
//
// Every store transaction starts with BEGIN IMMEDIATE: it takes SQLite's write
// lock first, so a second process (the CLI beside the app, a second window)
// waits up to the busy timeout for it instead of failing at once, as a
// deferred BEGIN does when a transaction that has read tries to write.
//
// SQLite does not say who holds the lock. The holder says it instead: right
// after taking the lock, the outermost transaction writes a one-line note
// (`<project>-writer`: pid, program, host). Only the lock holder writes it,
// so the note names the current (or last) holder; a waiter that times out
// reads it. The note is advisory, removed on close, and ignored when stale.
// It is a fixed-size record rewritten in place through a kept-open handle
// (one pwrite, ~10 µs; open + truncate + write per edit measured ~0.3 ms).
//
// The note's name sits beside a project that may come from someone else's zip
// or tar, so it is never trusted to be our file: it is opened without
// following a link (O_NOFOLLOW; an lstat first where the OS has no such flag),
// and written only when it is a plain file with one name. A link, hard link
// or other odd entry by that name is unlinked (the file it points at is never
// opened) and a fresh note created (issue 16: a symlink to ~/.bashrc had its
// first 512 bytes overwritten).
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { oneLine } from '@core/errors';

/** How long a write waits for another process's write lock before failing (ms). */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** Every note is this long (JSON padded with spaces), so a shorter one overwrites a longer one whole. */
const NOTE_BYTES = 512;

interface Note {
  pid: number;
  who: string;
  host: string;
}

export class WriterNote {
  readonly path: string;
  readonly #record: Buffer;
  readonly #host = hostname();
  #fd: number | null = null;

  constructor(
    projectFile: string,
    readonly who: string,
  ) {
    this.path = `${projectFile}-writer`;
    const json = JSON.stringify({ pid: process.pid, who: who.slice(0, 200), host: this.#host.slice(0, 200) } satisfies Note);
    this.#record = Buffer.alloc(NOTE_BYTES, ' ');
    this.#record.write(json, 'utf8');
    this.#record.write('\n', NOTE_BYTES - 1, 'utf8');
  }

  /** Records this process as the holder; call right after the write lock was taken. */
  claim(): void {
    try {
      // Another process's close may have removed the file: then write a new one.
      if (this.#fd !== null && fstatSync(this.#fd).nlink === 0) this.#closeFd();
      this.#fd ??= openNoteForWriting(this.path);
      writeSync(this.#fd, this.#record, 0, NOTE_BYTES, 0);
    } catch (err) {
      throw new Error(`${this.path}: cannot record the project's writer (${oneLine(err)})`);
    }
  }

  /** Closes the note and removes it if it still names this process (on close). */
  release(): void {
    this.#closeFd();
    if (this.#read()?.pid !== process.pid) return;
    rmSync(this.path, { force: true });
  }

  #closeFd(): void {
    if (this.#fd === null) return;
    const fd = this.#fd;
    this.#fd = null;
    closeSync(fd);
  }

  /** Who the note names, for an error message: "egm import (pid 4242)". */
  describeHolder(): string {
    const note = this.#read();
    if (!note) return 'another program';
    if (note.host === this.#host && note.pid === process.pid) return 'another connection of this process';
    if (note.host === this.#host && !alive(note.pid)) return 'another program (the last EGM writer, pid ' + note.pid + ', has exited)';
    return `${note.who} (pid ${note.pid}${note.host === this.#host ? '' : ` on ${note.host}`})`;
  }

  #read(): Note | null {
    let text: string | null;
    try {
      text = readNote(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null; // no EGM writer recorded itself
      throw new Error(`${this.path}: cannot read the project's writer (${oneLine(err)})`);
    }
    if (text === null) return null; // not a plain file: never ours, the holder is unknown
    try {
      const note = JSON.parse(text) as Partial<Note>;
      if (typeof note.pid !== 'number' || typeof note.who !== 'string' || typeof note.host !== 'string') return null;
      return note as Note;
    } catch {
      return null; // cut short by a crash mid-write: the holder is unknown
    }
  }
}

// O_NOFOLLOW and O_NONBLOCK are absent on Windows (undefined there): 0 adds nothing.
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0;

/** True for the error an O_NOFOLLOW open gives on a symlink (ELOOP; EMLINK on FreeBSD). */
function isLinkRefusal(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ELOOP' || code === 'EMLINK';
}

/**
 * Opens (creating it if absent) the note for in-place writes, never through a
 * link: returns a descriptor only for a plain file with one name. Anything
 * else by the note's name is unlinked (removing a name, never touching what it
 * points at) and the note made afresh.
 */
function openNoteForWriting(path: string): number {
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      // Without O_NOFOLLOW (Windows), look before opening: a link is removed, not followed.
      if (NOFOLLOW === 0 && lstatOrNull(path)?.isSymbolicLink()) {
        unlinkSync(path);
        continue;
      }
      fd = openSync(path, constants.O_RDWR | constants.O_CREAT | NOFOLLOW | NONBLOCK, 0o644);
    } catch (err) {
      if (!isLinkRefusal(err)) throw err;
      unlinkSync(path);
      continue;
    }
    const stat = fstatSync(fd);
    if (stat.isFile() && stat.nlink === 1) return fd;
    closeSync(fd);
    if (stat.isDirectory()) throw new Error('a folder has the note\'s name');
    unlinkSync(path); // a hard link to another file, a FIFO, a device: drop the name only
  }
  throw new Error('it keeps being replaced by something that is not a plain file');
}

function lstatOrNull(path: string) {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** The note's text, or null when the name is not a plain file (a link, a FIFO...), never followed or blocked on. */
function readNote(path: string): string | null {
  if (NOFOLLOW === 0 && lstatOrNull(path)?.isSymbolicLink()) return null;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | NOFOLLOW | NONBLOCK);
  } catch (err) {
    if (isLinkRefusal(err)) return null;
    throw err;
  }
  try {
    if (!fstatSync(fd).isFile()) return null;
    const buffer = Buffer.alloc(NOTE_BYTES);
    const read = readSync(fd, buffer, 0, NOTE_BYTES, 0);
    return buffer.toString('utf8', 0, read);
  } finally {
    closeSync(fd);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}

/** The one-line error for a write that timed out waiting for the lock, or null if err is something else. */
export function busyError(file: string, err: unknown, note: WriterNote | null, timeoutMs: number): Error | null {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_BUSY')) return null;
  const holder = note ? note.describeHolder() : 'another program';
  const seconds = Number((timeoutMs / 1000).toFixed(1));
  // The code says what kind of failure it is: one that may pass (handlers/dispatch.ts keeps the edit for Retry).
  return Object.assign(new Error(`${file}: project is busy: still locked by ${holder} after waiting ${seconds} s; nothing was changed (try again when it is done)`), { code: 'SQLITE_BUSY' });
}

/** A name for this process in the note: the app passes its own; plain Node names its script. */
export function defaultWriterName(): string {
  if (process.versions.electron) return 'EGM Annotator';
  const script = process.argv[1]?.split(/[\\/]/).pop();
  return script ? `node ${script}` : 'node';
}
