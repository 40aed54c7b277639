// The decoder's KV cache for graphs built by `egm model build` (config.json
// egm_export.kv_cache = 'rows-v1', see onnx-builder/qwen3vl-text.ts): one
// buffer per layer and kind, owned here and fed to every pass as
// past_key_values.N.* where onnxruntime reads it in place (an input tensor over
// a typed array is not copied). Each pass returns only its own rows
// (present.N.*), which are written into the buffers at the cache's length:
// one row per layer and kind per generated token, nothing else is copied.
// The buffers have spare room past the cache (the graph masks it out); when a
// pass would not fit they are regrown, copying the cache once.
//   keys   [1, kv, head_dim, room]  (stored transposed: q·Kᵀ is a plain MatMul)
//   values [1, kv, room, head_dim]

/** The part of an onnxruntime tensor this module reads. */
export interface RowsTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

type Buffer = Float32Array | Uint16Array;

interface Entry {
  name: string;
  key: boolean;
  data: Buffer;
}

/** Positions of spare room added when the buffers grow: at least 64, an eighth of the cache beyond that. */
export function roomFor(needed: number): number {
  const spare = Math.max(64, Math.ceil(needed / 8));
  return Math.ceil((needed + spare) / 64) * 64;
}

export class KvRows {
  private readonly entries: Entry[] = [];
  private heads = 0;
  private headDim = 0;
  private type = 'float32';
  /** Positions the buffers hold (cache + spare room). */
  room = 0;
  /** Positions filled. */
  length = 0;

  /**
   * Takes the prefill pass's rows (present.N.key / .value, the whole prompt's
   * cache) and makes buffers for them with room for `expected` more tokens.
   */
  constructor(present: Record<string, RowsTensor>, expected: number) {
    const names = Object.keys(present).filter((n) => /^present\.\d+\.(key|value)$/.test(n));
    if (!names.length) throw new Error('decode loop: the decoder returned no present.* rows');
    const first = present[names.find((n) => n.endsWith('.value'))!]!;
    const [batch, heads, rows, headDim] = first.dims;
    if (batch !== 1 || heads === undefined || rows === undefined || headDim === undefined) throw new Error(`decode loop: unexpected cache rows shape [${first.dims.join(', ')}]`);
    this.heads = heads;
    this.headDim = headDim;
    this.type = first.type;
    this.room = roomFor(rows + expected);
    for (const name of names) {
      const key = name.endsWith('.key');
      this.entries.push({ name: name.replace('present', 'past_key_values'), key, data: this.alloc(this.room) });
    }
    this.write(present, 0);
  }

  private alloc(room: number): Buffer {
    const size = this.heads * this.headDim * room;
    return this.type === 'float16' ? new Uint16Array(size) : new Float32Array(size);
  }

  /** The buffers' element type, as a tensor type name ('float32' or 'float16'). */
  get tensorType(): 'float32' | 'float16' {
    return this.type === 'float16' ? 'float16' : 'float32';
  }

  /** Dims of the buffer fed as past_key_values.N.* */
  dims(key: boolean): number[] {
    return key ? [1, this.heads, this.headDim, this.room] : [1, this.heads, this.room, this.headDim];
  }

  /** The buffers, by feed name (past_key_values.N.key / .value), with their dims. */
  *buffers(): Generator<[string, Buffer, number[]]> {
    for (const e of this.entries) yield [e.name, e.data, this.dims(e.key)];
  }

  /** Writes a pass's rows (present.N.*, `s` positions each) at position `at`, growing the buffers first if they would not fit. */
  write(present: Record<string, RowsTensor>, at: number): void {
    const anyRows = present[this.entries[0]!.name.replace('past_key_values', 'present')];
    if (!anyRows) throw new Error(`decode loop: the decoder returned no ${this.entries[0]!.name.replace('past_key_values', 'present')}`);
    const s = anyRows.dims[anyRows.dims.length - 1 - (this.entries[0]!.key ? 0 : 1)]!;
    if (at + s > this.room) this.grow(roomFor(at + s), at);
    const { heads, headDim: d, room } = this;
    for (const e of this.entries) {
      const rows = present[e.name.replace('past_key_values', 'present')];
      if (!rows) throw new Error(`decode loop: the decoder returned no ${e.name.replace('past_key_values', 'present')}`);
      const src = rows.data as Buffer;
      const dst = e.data;
      if (e.key) {
        // [kv, d, s] into [kv, d, room] at column `at`.
        if (s === 1) {
          for (let r = 0; r < heads * d; r++) dst[r * room + at] = src[r]!;
        } else {
          for (let r = 0; r < heads * d; r++) dst.set(src.subarray(r * s, (r + 1) * s), r * room + at);
        }
      } else {
        // [kv, s, d] into [kv, room, d] at row `at`: one run per head.
        for (let h = 0; h < heads; h++) dst.set(src.subarray(h * s * d, (h + 1) * s * d), (h * room + at) * d);
      }
    }
    this.length = Math.max(this.length, at + s);
  }

  /** New buffers of `room` positions, the first `filled` copied over. */
  private grow(room: number, filled: number): void {
    const { heads, headDim: d } = this;
    for (const e of this.entries) {
      const next = this.alloc(room);
      if (e.key) {
        for (let r = 0; r < heads * d; r++) next.set(e.data.subarray(r * this.room, r * this.room + filled), r * room);
      } else {
        for (let h = 0; h < heads; h++) next.set(e.data.subarray(h * this.room * d, (h * this.room + filled) * d), h * room * d);
      }
      e.data = next;
    }
    this.room = room;
  }
}
