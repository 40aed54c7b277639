// The .onnx_data file of one graph. Every weight gets a span, laid out in the
// order the graph asks for them, each on a 64-byte boundary (what
// memory-mapped loaders prefer): small ones (computed in the graph code) are
// written at once, tensors from the checkpoint are only reserved here and
// written by the conversion jobs (tensor-jobs.ts), from any thread, with
// positional writes into their span. The gaps between spans read as zeros.
// fsync at close.
import { closeSync, fdatasync, fsync, openSync, writeSync } from 'node:fs';
import { promisify } from 'node:util';

const fsyncAsync = promisify(fsync);
const fdatasyncAsync = promisify(fdatasync);

/** Written bytes after which the file is flushed in the background (see written()). */
const FLUSH_EVERY = 256 * 1024 * 1024;

export class WeightsFile {
  private readonly fd: number;
  private offset = 0;
  private closed = false;
  /** Bytes laid out so far. */
  get bytes(): number {
    return this.offset;
  }

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  /** Appends `data` now; returns where it lies. */
  append(data: Uint8Array): { offset: number; length: number } {
    const span = this.reserve(data.length);
    let done = 0;
    while (done < data.length) done += writeSync(this.fd, data, done, data.length - done, span.offset + done);
    return span;
  }

  /** Reserves `length` bytes (written later by a conversion job); returns the span. */
  reserve(length: number): { offset: number; length: number } {
    if (this.closed) throw new Error(`${this.path}: already closed`);
    const pad = (64 - (this.offset % 64)) % 64;
    const at = this.offset + pad;
    this.offset = at + length;
    if (length) writeSync(this.fd, new Uint8Array(1), 0, 1, this.offset - 1); // extend the file now: a full disk fails here
    return { offset: at, length };
  }

  private unflushed = 0;
  private flushing: Promise<void> | null = null;

  /**
   * Counts bytes the conversion jobs wrote into this file, and every 256 MB
   * starts an fdatasync on libuv's threads while the jobs go on: the disk
   * then writes as the build converts, instead of all of it at the closing
   * fsync (a GB-sized file waits seconds there otherwise).
   */
  written(bytes: number): void {
    this.unflushed += bytes;
    if (this.unflushed < FLUSH_EVERY || this.flushing || this.closed) return;
    this.unflushed = 0;
    this.flushing = fdatasyncAsync(this.fd).then(
      () => void (this.flushing = null),
      () => void (this.flushing = null), // the closing fsync reports what failed
    );
  }

  /** Flushes the file to disk (on libuv's threads, so several files flush at once) and closes it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.flushing;
      await fsyncAsync(this.fd);
    } finally {
      closeSync(this.fd);
    }
  }

  /** Closes without flushing (a build that failed is deleted anyway). */
  async abandon(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flushing;
    closeSync(this.fd);
  }
}
