// A Hugging Face checkpoint's safetensors: the headers of every shard are
// parsed and checked up front (a few kB each); a tensor's bytes are read from
// its shard only by the conversion job that needs them (tensor-jobs.ts,
// source()), so a model of any size is converted a block at a time. Sharded
// checkpoints are found through model.safetensors.index.json. A missing or
// truncated shard, a malformed header, a shard name outside the folder, or an
// unknown dtype is a one-line error.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { TensorSource } from './tensor-jobs';

interface Entry {
  dtype: string;
  shape: number[];
  shard: string;
  /** Absolute byte range in the shard file. */
  begin: number;
  end: number;
}

const BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2 };
/** Element sizes of the other safetensors dtypes: their byte counts are checked too, though the builder reads none of them. */
const OTHER_BYTES: Record<string, number> = { F64: 8, I64: 8, U64: 8, I32: 4, U32: 4, I16: 2, U16: 2, I8: 1, U8: 1, BOOL: 1, F8_E4M3: 1, F8_E5M2: 1 };

/**
 * A shard file named by the index: a relative path that stays inside the
 * checkpoint folder (an index from elsewhere must not make the builder read
 * `../../somewhere`), naming a .safetensors file.
 */
function shardName(index: string, shard: unknown): string {
  if (typeof shard !== 'string' || !shard.endsWith('.safetensors')) throw new Error(`${index}: weight_map names ${JSON.stringify(shard)}, not a .safetensors file`);
  const parts = shard.split(/[\\/]/);
  if (isAbsolute(shard) || /^[a-zA-Z]:/.test(shard) || parts.some((p) => p === '..' || p === '')) {
    throw new Error(`${index}: weight_map names ${JSON.stringify(shard)}, outside the checkpoint folder`);
  }
  return shard;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * One header entry, checked: a dtype string, a shape of whole non-negative
 * dimensions, offsets that are whole, ordered, inside the data section, and
 * span exactly shape × element size bytes (for the dtypes whose size is known).
 */
function checkedEntry(path: string, name: string, info: unknown, dataBytes: number): { dtype: string; shape: number[]; begin: number; end: number } {
  const where = `${path}: tensor '${name}'`;
  const { dtype, shape, data_offsets: offsets } = (info ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (typeof dtype !== 'string') throw new Error(`${where} has no dtype`);
  if (!Array.isArray(shape) || !shape.every(isCount)) throw new Error(`${where} has shape ${JSON.stringify(shape)}; dimensions must be whole numbers ≥ 0`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) throw new Error(`${where} has data_offsets ${JSON.stringify(offsets)}; they must be two whole numbers ≥ 0`);
  const [begin, end] = offsets as [number, number];
  if (begin > end) throw new Error(`${where} begins at byte ${begin}, after its end ${end}`);
  if (end > dataBytes) throw new Error(`${path}: truncated (${name} ends at byte ${end} of the data, which has ${dataBytes})`);
  const element = BYTES[dtype] ?? OTHER_BYTES[dtype];
  if (element !== undefined) {
    const values = (shape as number[]).reduce((a, b) => a * b, 1);
    if (!Number.isSafeInteger(values * element) || values * element !== end - begin) {
      throw new Error(`${where} holds ${end - begin} bytes; its shape [${(shape as number[]).join(', ')}] of ${dtype} needs ${values * element}`);
    }
  }
  return { dtype, shape: shape as number[], begin, end };
}

export class Checkpoint {
  private readonly entries = new Map<string, Entry>();
  /** Total bytes of tensor data (for progress). */
  readonly totalBytes: number;

  constructor(readonly dir: string) {
    const index = join(dir, 'model.safetensors.index.json');
    let shards: string[];
    if (existsSync(index)) {
      let map: unknown;
      try {
        map = (JSON.parse(readFileSync(index, 'utf8')) as { weight_map?: unknown }).weight_map;
      } catch (err) {
        throw new Error(`${index}: not JSON (${(err as Error).message.split('\n')[0]})`);
      }
      if (!map || typeof map !== 'object') throw new Error(`${index}: no weight_map`);
      shards = [...new Set(Object.values(map as Record<string, unknown>))].map((shard) => shardName(index, shard));
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
      let header: Record<string, unknown>;
      try {
        header = JSON.parse(json.toString('utf8')) as Record<string, unknown>;
      } catch (err) {
        throw new Error(`${path}: not a safetensors file (its header is not JSON: ${(err as Error).message.split('\n')[0]})`);
      }
      if (!header || typeof header !== 'object' || Array.isArray(header)) throw new Error(`${path}: not a safetensors file (its header is not an object)`);
      const dataStart = 8 + length;
      let bytes = 0;
      for (const [name, info] of Object.entries(header)) {
        if (name === '__metadata__') continue;
        const { dtype, shape, begin, end } = checkedEntry(path, name, info, size - dataStart);
        this.entries.set(name, { dtype, shape, shard, begin: dataStart + begin, end: dataStart + end });
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

  private entry(name: string): Entry {
    const e = this.entries.get(name);
    if (!e) throw new Error(`${this.dir}: the checkpoint has no tensor '${name}'`);
    return e;
  }

  /** Where the tensor lies and how it is laid out, for a conversion job (tensor-jobs.ts) to read it from any thread. */
  source(name: string): TensorSource {
    const e = this.entry(name);
    if (!BYTES[e.dtype]) throw new Error(`${this.dir}: tensor '${name}' has dtype ${e.dtype}; only F32, F16 and BF16 are supported`);
    const rows = e.shape[0] ?? 1;
    const rowLength = e.shape.slice(1).reduce((a, b) => a * b, 1);
    return { path: join(this.dir, e.shard), begin: e.begin, dtype: e.dtype as TensorSource['dtype'], rows, rowLength, bytes: e.end - e.begin };
  }
}
