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
import { closeSync, constants, fstatSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
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
      this.#fd ??= openSync(this.path, constants.O_RDWR | constants.O_CREAT, 0o644);
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
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null; // no EGM writer recorded itself
      throw new Error(`${this.path}: cannot read the project's writer (${oneLine(err)})`);
    }
    try {
      const note = JSON.parse(text) as Partial<Note>;
      if (typeof note.pid !== 'number' || typeof note.who !== 'string' || typeof note.host !== 'string') return null;
      return note as Note;
    } catch {
      return null; // cut short by a crash mid-write: the holder is unknown
    }
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
  return new Error(`${file}: project is busy: still locked by ${holder} after waiting ${seconds} s; nothing was changed (try again when it is done)`);
}

/** A name for this process in the note: the app passes its own; plain Node names its script. */
export function defaultWriterName(): string {
  if (process.versions.electron) return 'EGM Annotator';
  const script = process.argv[1]?.split(/[\\/]/).pop();
  return script ? `node ${script}` : 'node';
}
