// The decoder's KV cache for graphs built by `egm model build` (config.json
// egm_export.kv_cache = 'rows-v1', see onnx-builder/qwen3vl-text.ts): one
// buffer per layer and kind, owned here and fed to every pass as
// past_key_values.N.* where onnxruntime reads it in place (an input tensor over
// a typed array is not copied). Each pass returns only its own rows
// (present.N.*), which are written into the buffers at the cache's length:
// one row per layer and kind per generated token, nothing else is copied.
// The graph reads every position it is fed, the masked spare room included
// (≈ 17 µs a position a step for EGM-4B on two cores), so the buffers are fed
// with little room to spare (ROOM_STEP), inside an allocation sized once for
// the answer expected; when the room fills it is widened in place (the rows
// moved to the wider stride, no new memory), and only a pass beyond the
// allocation regrows it, copying the cache into a new one.
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
  /** The feed (past_key_values.N.*) and the output its rows come from (present.N.*). */
  name: string;
  present: string;
  key: boolean;
  /** The allocation: `capacity` positions. */
  data: Buffer;
  /** Its first `room` positions' worth: what the graph is fed. */
  fed: Buffer;
}

/** Positions an allocation holds for `needed`: at least 64 to spare, an eighth of the cache beyond that. */
export function roomFor(needed: number): number {
  const spare = Math.max(64, Math.ceil(needed / 8));
  return Math.ceil((needed + spare) / 64) * 64;
}

/**
 * The room fed to the graph is a multiple of this many positions. Widening it
 * moves the whole cache (23–32 ms for EGM-4B at 384 positions), so once per 64
 * tokens; the spare room it leaves averages ~32 positions.
 */
export const ROOM_STEP = 64;

/** The room fed for `needed` positions: whole steps of ROOM_STEP. */
export function fedRoom(needed: number): number {
  return Math.ceil(needed / ROOM_STEP) * ROOM_STEP;
}

export class KvRows {
  private readonly entries: Entry[] = [];
  private heads = 0;
  private headDim = 0;
  private type = 'float32';
  /** Positions the allocations hold. */
  capacity = 0;
  /** Positions fed to the graph (the row stride): the cache and a little spare room. */
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
    this.capacity = roomFor(rows + expected);
    this.room = this.fit(rows + 1);
    for (const name of names) {
      const data = this.alloc(this.capacity);
      this.entries.push({ name: name.replace('present', 'past_key_values'), present: name, key: name.endsWith('.key'), data, fed: data.subarray(0, this.size(this.room)) });
    }
    this.write(present, 0);
  }

  /**
   * A buffer as runs of positions: keys [kv, d, room] are heads·d runs of one
   * value per position, values [kv, room, d] are `heads` runs of d values per position.
   */
  private runs(key: boolean): [count: number, unit: number] {
    return key ? [this.heads * this.headDim, 1] : [this.heads, this.headDim];
  }

  private size(room: number): number {
    return this.heads * this.headDim * room;
  }

  private alloc(room: number): Buffer {
    return this.type === 'float16' ? new Uint16Array(this.size(room)) : new Float32Array(this.size(room));
  }

  /** The room fed for `needed` positions (fedRoom), within the allocation. */
  private fit(needed: number): number {
    return Math.min(this.capacity, fedRoom(needed));
  }

  /** The buffers' element type, as a tensor type name ('float32' or 'float16'). */
  get tensorType(): 'float32' | 'float16' {
    return this.type === 'float16' ? 'float16' : 'float32';
  }

  /** Dims of the buffer fed as past_key_values.N.* */
  dims(key: boolean): number[] {
    return key ? [1, this.heads, this.headDim, this.room] : [1, this.heads, this.room, this.headDim];
  }

  /** The buffers fed, by feed name (past_key_values.N.key / .value), with their dims: the same objects until the room changes. */
  *buffers(): Generator<[string, Buffer, number[]]> {
    for (const e of this.entries) yield [e.name, e.fed, this.dims(e.key)];
  }

  /** Writes a pass's rows (present.N.*, `s` positions each) at position `at`, making room first if they would not fit. */
  write(present: Record<string, RowsTensor>, at: number): void {
    const rowsOf = (e: Entry) => {
      const rows = present[e.present];
      if (!rows) throw new Error(`decode loop: the decoder returned no ${e.present}`);
      return rows;
    };
    const first = this.entries[0]!;
    const firstRows = rowsOf(first);
    const s = firstRows.dims[firstRows.dims.length - 1 - (first.key ? 0 : 1)]!;
    if (at + s > this.capacity) this.grow(roomFor(at + s));
    if (at + s > this.room) this.widen(this.fit(at + s), this.length);
    const { room } = this;
    for (const e of this.entries) {
      // Run r of the pass's s positions ([kv, d, s] or [kv, s, d]) goes to run r of the buffer at position `at`.
      const src = rowsOf(e).data as Buffer;
      const dst = e.data;
      const [runs, unit] = this.runs(e.key);
      if (s === 1 && unit === 1) {
        for (let r = 0; r < runs; r++) dst[r * room + at] = src[r]!; // a decode step's key: one value per run
      } else {
        for (let r = 0; r < runs; r++) dst.set(src.subarray(r * s * unit, (r + 1) * s * unit), (r * room + at) * unit);
      }
    }
    this.length = Math.max(this.length, at + s);
  }

  /**
   * The rows moved, in place, to a wider stride: the last run first, so none
   * is overwritten before it moves; what lies past the `filled` positions of
   * each run afterwards is zeroed (the spare room holds no stale rows).
   */
  private widen(room: number, filled: number): void {
    const old = this.room;
    for (const e of this.entries) {
      const x = e.data;
      const [runs, unit] = this.runs(e.key);
      for (let r = runs - 1; r >= 0; r--) {
        x.copyWithin(r * room * unit, r * old * unit, (r * old + filled) * unit);
        x.fill(0, (r * room + filled) * unit, (r + 1) * room * unit);
      }
      e.fed = x.subarray(0, this.size(room));
    }
    this.room = room;
  }

  /** New allocations of `capacity` positions, the fed part copied over as it is (one run: it is a prefix). */
  private grow(capacity: number): void {
    for (const e of this.entries) {
      const next = this.alloc(capacity);
      next.set(e.fed);
      e.data = next;
      e.fed = next.subarray(0, this.size(this.room));
    }
    this.capacity = capacity;
  }
}
