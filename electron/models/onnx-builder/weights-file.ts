// The .onnx_data file of one graph: weights appended as they are converted,
// one tensor at a time, so a model of any size is written with only the tensor
// in hand in memory. Each span starts on a 64-byte boundary (what memory-mapped
// loaders prefer). Written with plain positional writes; fsync at close.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

export class WeightsFile {
  private readonly fd: number;
  private offset = 0;
  private closed = false;
  /** Bytes written so far (the progress bar counts these). */
  get bytes(): number {
    return this.offset;
  }

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  /** Appends `data`; returns where it lies. */
  append(data: Uint8Array): { offset: number; length: number } {
    if (this.closed) throw new Error(`${this.path}: already closed`);
    const pad = (64 - (this.offset % 64)) % 64;
    if (pad) {
      writeSync(this.fd, new Uint8Array(pad), 0, pad, this.offset);
      this.offset += pad;
    }
    const at = this.offset;
    let done = 0;
    while (done < data.length) done += writeSync(this.fd, data, done, data.length - done, at + done);
    this.offset += data.length;
    return { offset: at, length: data.length };
  }

  /** Writes `data` at an absolute position inside a span reserved by reserve() (for transposing in blocks). */
  writeAt(position: number, data: Uint8Array): void {
    let done = 0;
    while (done < data.length) done += writeSync(this.fd, data, done, data.length - done, position + done);
  }

  /** Reserves `length` bytes (filled later with writeAt); returns the span. */
  reserve(length: number): { offset: number; length: number } {
    const pad = (64 - (this.offset % 64)) % 64;
    const at = this.offset + pad;
    this.offset = at + length;
    if (length) writeSync(this.fd, new Uint8Array(1), 0, 1, this.offset - 1); // extend the file now: a full disk fails here
    return { offset: at, length };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}
