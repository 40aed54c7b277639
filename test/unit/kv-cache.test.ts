// KvRows: the engine-owned KV cache of built decoders (engine/local/kv-cache.ts).
// Rows land where the graph reads them (keys transposed, values by row), the
// room fed stays within a step of the cache, the spare room stays zero, and
// widening (in place) and regrowing (a new allocation) keep every cached value.
import { describe, expect, it } from 'vitest';
import { KvRows, ROOM_STEP, roomFor, type RowsTensor } from '../../electron/engine/local/kv-cache';

const HEADS = 2;
const D = 4;

/** present.0.key [1, kv, d, s] and .value [1, kv, s, d] whose values encode (kind, head, position, channel). */
function rows(from: number, s: number): Record<string, RowsTensor> {
  const key = new Float32Array(HEADS * D * s);
  const value = new Float32Array(HEADS * D * s);
  for (let h = 0; h < HEADS; h++) {
    for (let p = 0; p < s; p++) {
      for (let c = 0; c < D; c++) {
        key[(h * D + c) * s + p] = 1000 * h + 10 * (from + p) + c + 0.5;
        value[(h * s + p) * D + c] = -(1000 * h + 10 * (from + p) + c + 0.5);
      }
    }
  }
  return {
    'present.0.key': { type: 'float32', dims: [1, HEADS, D, s], data: key },
    'present.0.value': { type: 'float32', dims: [1, HEADS, s, D], data: value },
  };
}

function cached(cache: KvRows): { keys: number[][]; values: number[][] } {
  const buffers = Object.fromEntries([...cache.buffers()].map(([name, data, dims]) => [name, { data, dims }]));
  const k = buffers['past_key_values.0.key']!;
  const v = buffers['past_key_values.0.value']!;
  expect(k.dims).toEqual([1, HEADS, D, cache.room]);
  expect(v.dims).toEqual([1, HEADS, cache.room, D]);
  const keys: number[][] = [];
  const values: number[][] = [];
  for (let h = 0; h < HEADS; h++) {
    for (let p = 0; p < cache.room; p++) {
      keys.push(Array.from({ length: D }, (_, c) => k.data[(h * D + c) * cache.room + p]!));
      values.push(Array.from({ length: D }, (_, c) => v.data[(h * cache.room + p) * D + c]!));
    }
  }
  return { keys, values };
}

function expectFilled(cache: KvRows, length: number): void {
  const { keys, values } = cached(cache);
  for (let h = 0; h < HEADS; h++) {
    for (let p = 0; p < cache.room; p++) {
      const want = p < length ? Array.from({ length: D }, (_, c) => 1000 * h + 10 * p + c + 0.5) : [0, 0, 0, 0];
      expect(keys[h * cache.room + p]).toEqual(want);
      expect(values[h * cache.room + p]).toEqual(want.map((x) => (x ? -x : 0)));
    }
  }
}

describe('KvRows', () => {
  it('keeps the prefill rows where the graph reads them, fed with less than a step of spare room', () => {
    const cache = new KvRows(rows(0, 5), 10);
    expect(cache.length).toBe(5);
    expect(cache.capacity).toBe(roomFor(15));
    expect(cache.room).toBe(ROOM_STEP);
    expectFilled(cache, 5);
  });

  it('writes each step at the cache length, widens the room in place, and regrows without losing a value', () => {
    const cache = new KvRows(rows(0, 3), 0);
    const capacity = cache.capacity;
    expect(capacity).toBeGreaterThan(ROOM_STEP); // room to widen into before a new allocation
    const [, firstFed] = [...cache.buffers()][0]!;
    let length = 3;
    while (length < ROOM_STEP) {
      cache.write(rows(length, 1), length);
      length++;
    }
    // Filled up to the room: still the same buffers (written in place).
    expect([...cache.buffers()][0]![1]).toBe(firstFed);
    expect(cache.room).toBe(ROOM_STEP);
    cache.write(rows(length, 1), length++); // one past the room: widened, same allocation
    expect(cache.room).toBe(2 * ROOM_STEP);
    const widened = [...cache.buffers()][0]![1];
    expect(widened).not.toBe(firstFed);
    expect(widened.buffer).toBe(firstFed.buffer);
    expectFilled(cache, length);
    while (length < capacity - 1) {
      cache.write(rows(length, 1), length);
      length++;
    }
    cache.write(rows(length, 2), length); // a two-row pass past the allocation: regrown
    length += 2;
    expect(cache.capacity).toBe(roomFor(length));
    expect(cache.room).toBe(Math.ceil(length / ROOM_STEP) * ROOM_STEP);
    expect([...cache.buffers()][0]![1].buffer).not.toBe(firstFed.buffer);
    expectFilled(cache, length);
  });

  it('refuses a decoder that returns no rows', () => {
    expect(() => new KvRows({ logits: { type: 'float32', dims: [1, 1, 4], data: new Float32Array(4) } }, 1)).toThrow(/no present/);
  });
});
