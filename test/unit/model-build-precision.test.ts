import { describe, expect, it } from 'vitest';
import { bf16ToFloat16, bf16ToFloat32, dequantizeQ4, f16ToFloat32, halfBits, halfToFloat, quantizeQ4, toFloat16 } from '../../electron/models/onnx-builder/precision';
import { mropeSelector } from '../../electron/models/onnx-builder/qwen3vl-text';
import { invFreq } from '../../electron/models/onnx-builder/qwen3vl-config';

describe('fp16 conversion', () => {
  it('rounds to nearest even like numpy astype(float16)', () => {
    expect(halfBits(1)).toBe(0x3c00);
    expect(halfBits(-2)).toBe(0xc000);
    expect(halfBits(65504)).toBe(0x7bff);
    expect(halfBits(1 + 2 ** -11)).toBe(0x3c00); // halfway: to even
    expect(halfBits(1 + 3 * 2 ** -11)).toBe(0x3c02); // halfway: to even (up)
    expect(halfBits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(halfBits(2 ** -26)).toBe(0); // below half of it
    expect(halfToFloat(halfBits(0.1))).toBeCloseTo(0.0999755859375, 12);
  });
  it('counts overflow and flush to zero instead of hiding them', () => {
    const losses = { overflow: 0, flushed: 0 };
    const out = toFloat16(Float32Array.from([1e6, -7e4, 1e-9, 0, 3]), losses);
    expect(losses).toEqual({ overflow: 2, flushed: 1 });
    expect(Array.from(out)).toEqual([0x7c00, 0xfc00, 0, 0, 0x4200]);
  });
});

describe('4-bit blocks (MatMulNBits layout)', () => {
  const n = 3;
  const k = 80; // not a multiple of the block: the last block is short
  const w = Float32Array.from({ length: n * k }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 7)));
  for (const symmetric of [true, false]) {
    it(`${symmetric ? 'symmetric' : 'asymmetric'}: every value within half a step of its block`, () => {
      const q = quantizeQ4(w, n, k, 32, symmetric);
      expect(q.blocks).toBe(3);
      expect(q.data.length).toBe(n * 3 * 16);
      expect(q.zeroPoints === null).toBe(symmetric);
      const back = dequantizeQ4(q, n, k, 32);
      for (let row = 0; row < n; row++) {
        for (let i = 0; i < k; i++) {
          const scale = q.scales[row * q.blocks + Math.floor(i / 32)]!;
          expect(Math.abs(back[row * k + i]! - w[row * k + i]!)).toBeLessThanOrEqual(scale / 2 + 1e-6);
        }
      }
    });
  }
});

describe('interleaved MRoPE selector', () => {
  it('matches transformers recomposition: T everywhere, then H at 1::3 and W at 2::3 within their sections', () => {
    const half = 64;
    const section: [number, number, number] = [24, 20, 20];
    const sel = mropeSelector(half, section);
    // transformers: freqs_t = freq[0]; freqs_t[..., slice(offset, section[dim]*3, 3)] = freq[dim, ...]
    const owner = new Array<number>(half).fill(0);
    for (const [dim, offset] of [[1, 1], [2, 2]] as const) for (let j = offset; j < section[dim] * 3; j += 3) owner[j] = dim;
    for (let j = 0; j < half; j++) for (let axis = 0; axis < 3; axis++) expect(sel[axis * half + j]).toBe(owner[j] === axis ? 1 : 0);
    expect(owner.filter((o) => o === 0)).toHaveLength(24);
  });
  it('inv_freq is 1 / base^(2i/dim) in float32', () => {
    const inv = invFreq(10000, 8);
    expect(inv).toHaveLength(4);
    expect(inv[0]).toBe(1);
    expect(inv[1]).toBe(Math.fround(0.1));
  });
});

describe('bf16 checkpoints', () => {
  it('bf16 → fp16 by table (in place) equals converting the widened float, for all 65,536 patterns, losses counted', () => {
    const all = Uint16Array.from({ length: 65536 }, (_, i) => i);
    const losses = { overflow: 0, flushed: 0 };
    const viaTable = bf16ToFloat16(all.slice(), losses); // converts in place: a copy
    const expected = toFloat16(bf16ToFloat32(all), { overflow: 0, flushed: 0 });
    expect(Buffer.from(viaTable.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    const reference = { overflow: 0, flushed: 0 };
    toFloat16(bf16ToFloat32(all), reference);
    expect(losses).toEqual(reference);
    expect(losses.overflow).toBeGreaterThan(0);
    expect(losses.flushed).toBeGreaterThan(0);
  });

  it('bf16 and fp16 → float32 write into a given (reused, larger, dirty) array the values of a fresh one', () => {
    const all = Uint16Array.from({ length: 65536 }, (_, i) => i);
    for (const convert of [bf16ToFloat32, f16ToFloat32]) {
      const fresh = convert(all);
      const reused = new Float32Array(70000).fill(123.5);
      const got = convert(all, reused.subarray(0, all.length));
      expect(got.buffer).toBe(reused.buffer);
      expect(Buffer.from(got.buffer, 0, all.length * 4).equals(Buffer.from(fresh.buffer))).toBe(true);
      expect(reused[all.length]).toBe(123.5); // nothing past its length
    }
  });
});
