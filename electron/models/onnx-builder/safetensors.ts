// Reads a Hugging Face checkpoint's safetensors, one tensor at a time: the
// headers of every shard are parsed up front (a few kB each) and a tensor's
// bytes are read from its shard only when asked for, so a model of any size
// is converted with one tensor in memory. Sharded checkpoints are found
// through model.safetensors.index.json. A missing or truncated shard, a
// tensor past the end of its file, or an unknown dtype is a one-line error.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { bf16ToFloat32, f16ToFloat32 } from './precision';

interface Entry {
  dtype: string;
  shape: number[];
  shard: string;
  /** Absolute byte range in the shard file. */
  begin: number;
  end: number;
}

const BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2 };

export class Checkpoint {
  private readonly entries = new Map<string, Entry>();
  /** Total bytes of tensor data (for progress). */
  readonly totalBytes: number;

  constructor(readonly dir: string) {
    const index = join(dir, 'model.safetensors.index.json');
    let shards: string[];
    if (existsSync(index)) {
      const map = (JSON.parse(readFileSync(index, 'utf8')) as { weight_map?: Record<string, string> }).weight_map;
      if (!map) throw new Error(`${index}: no weight_map`);
      shards = [...new Set(Object.values(map))];
    } else if (existsSync(join(dir, 'model.safetensors'))) {
      shards = ['model.safetensors'];
    } else {
      throw new Error(`${dir}: no model.safetensors or model.safetensors.index.json`);
    }
    let total = 0;
    for (const shard of shards) total += this.readHeader(shard);
    this.totalBytes = total;
  }

  private readHeader(shard: string): number {
    const path = join(this.dir, shard);
    if (!existsSync(path)) throw new Error(`${path}: shard missing`);
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      const head = Buffer.alloc(8);
      if (readSync(fd, head, 0, 8, 0) !== 8) throw new Error(`${path}: truncated (no header)`);
      const length = Number(head.readBigUInt64LE(0));
      if (length > 100 * 1024 * 1024 || 8 + length > size) throw new Error(`${path}: truncated or not a safetensors file (header of ${length} bytes)`);
      const json = Buffer.alloc(length);
      readSync(fd, json, 0, length, 8);
      const header = JSON.parse(json.toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
      let bytes = 0;
      for (const [name, info] of Object.entries(header)) {
        if (name === '__metadata__') continue;
        const begin = 8 + length + info.data_offsets[0];
        const end = 8 + length + info.data_offsets[1];
        if (end > size) throw new Error(`${path}: truncated (${name} ends at byte ${end}, the file has ${size})`);
        this.entries.set(name, { dtype: info.dtype, shape: info.shape, shard, begin, end });
        bytes += end - begin;
      }
      return bytes;
    } finally {
      closeSync(fd);
    }
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  shape(name: string): number[] {
    return this.entry(name).shape;
  }

  /** Bytes the tensor takes in the checkpoint. */
  bytes(name: string): number {
    const e = this.entry(name);
    return e.end - e.begin;
  }

  private entry(name: string): Entry {
    const e = this.entries.get(name);
    if (!e) throw new Error(`${this.dir}: the checkpoint has no tensor '${name}'`);
    return e;
  }

  /** The whole tensor as float32 (bf16 and fp16 widened exactly); for big ones use readRows. */
  read(name: string): { data: Float32Array; shape: number[] } {
    const e = this.entry(name);
    return { data: this.readRows(name, 0, e.shape[0] ?? 1), shape: e.shape };
  }

  /** Rows [start, start + count) along the first axis, as float32. */
  readRows(name: string, start: number, count: number): Float32Array {
    const raw = this.readRowsRaw(name, start, count);
    if (raw.dtype === 'F32') return raw.data as Float32Array;
    return raw.dtype === 'BF16' ? bf16ToFloat32(raw.data as Uint16Array) : f16ToFloat32(raw.data as Uint16Array);
  }

  /** Rows [start, start + count) as stored: float32 values, or the bf16/fp16 bit patterns (converted by the caller in one pass). */
  readRowsRaw(name: string, start: number, count: number): { dtype: 'F32' | 'F16' | 'BF16'; data: Float32Array | Uint16Array } {
    const e = this.entry(name);
    const size = BYTES[e.dtype];
    if (!size) throw new Error(`${this.dir}: tensor '${name}' has dtype ${e.dtype}; only F32, F16 and BF16 are supported`);
    const total = e.shape.reduce((a, b) => a * b, 1);
    if (total * size !== e.end - e.begin) throw new Error(`${this.dir}: tensor '${name}' holds ${e.end - e.begin} bytes, its shape needs ${total * size}`);
    const rows = e.shape[0] ?? 1;
    if (start < 0 || start + count > rows) throw new Error(`${this.dir}: rows ${start}..${start + count} of '${name}' are out of range (${rows} rows)`);
    const rowBytes = (e.shape.length ? total / rows : 1) * size;
    const raw = new Uint8Array(count * rowBytes);
    const at = e.begin + start * rowBytes;
    const fd = openSync(join(this.dir, e.shard), 'r');
    try {
      let done = 0;
      while (done < raw.length) {
        const n = readSync(fd, raw, done, raw.length - done, at + done);
        if (n === 0) throw new Error(`${join(this.dir, e.shard)}: truncated while reading '${name}'`);
        done += n;
      }
    } finally {
      closeSync(fd);
    }
    const dtype = e.dtype as 'F32' | 'F16' | 'BF16';
    return { dtype, data: dtype === 'F32' ? new Float32Array(raw.buffer) : new Uint16Array(raw.buffer) };
  }
}
