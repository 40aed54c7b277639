// KvRows: the engine-owned KV cache of built decoders (engine/local/kv-cache.ts).
// Rows land where the graph reads them (keys transposed, values by row), the
// spare room stays zero, and growing keeps every cached value in place.
import { describe, expect, it } from 'vitest';
import { KvRows, roomFor, type RowsTensor } from '../../electron/engine/local/kv-cache';

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
  it('keeps the prefill rows where the graph reads them, with spare room after them', () => {
    const cache = new KvRows(rows(0, 5), 10);
    expect(cache.length).toBe(5);
    expect(cache.room).toBe(roomFor(15));
    expect(cache.room).toBeGreaterThanOrEqual(15);
    expectFilled(cache, 5);
  });

  it('writes each step at the cache length and regrows without losing a value', () => {
    const cache = new KvRows(rows(0, 3), 0);
    const firstRoom = cache.room;
    const firstBuffers = [...cache.buffers()].map(([, data]) => data);
    let length = 3;
    while (length < firstRoom) {
      cache.write(rows(length, 1), length);
      length++;
    }
    // Filled up to the room: still the same buffers (written in place).
    expect([...cache.buffers()].map(([, data]) => data)).toEqual(firstBuffers);
    expect(cache.room).toBe(firstRoom);
    cache.write(rows(length, 2), length); // a two-row pass that does not fit
    length += 2;
    expect(cache.room).toBeGreaterThan(firstRoom);
    expect([...cache.buffers()][0]![1]).not.toBe(firstBuffers[0]);
    expectFilled(cache, length);
  });

  it('refuses a decoder that returns no rows', () => {
    expect(() => new KvRows({ logits: { type: 'float32', dims: [1, 1, 4], data: new Float32Array(4) } }, 1)).toThrow(/no present/);
  });
});
