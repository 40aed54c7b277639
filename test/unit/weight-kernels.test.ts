// The builder's WebAssembly kernels (weight-kernels.wat) must write exactly the
// bytes of the plain functions in precision.ts: every installed model's hashes
// and the parity figures were taken with those. Compared here on every bf16
// pattern, on random float32 bit patterns, and on blocks made to hit the edge
// cases (NaN, ±inf, ±0, constant blocks, values on a rounding boundary); the
// 16-bit transpose against the plain loop.
import { describe, expect, it } from 'vitest';
import { bf16ToFloat16, bf16ToFloat32, quantizeQ4, toFloat16, type Fp16Losses } from '../../electron/models/onnx-builder/precision';
import { weightKernels } from '../../electron/models/onnx-builder/weight-kernels';
import { seededRandom as random } from '@core/datasets/splits';

const kernels = weightKernels();
if (!kernels) console.warn('weight-kernels: SKIPPED, no WebAssembly SIMD in this Node');

const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe.skipIf(!kernels)('builder WebAssembly kernels', () => {
  it('bf16 → fp16: every one of the 65,536 patterns (and an odd tail) as the table gives, losses counted alike', () => {
    const count = 65536 + 5;
    const bits = new Uint16Array(count).map((_, i) => i & 0xffff);
    const expected = bf16ToFloat16(bits.slice(), undefined);
    const want: Fp16Losses = { overflow: 0, flushed: 0 };
    bf16ToFloat16(bits.slice(), want);
    kernels!.input(count * 2).set(bytes(bits));
    const got: Fp16Losses = { overflow: 0, flushed: 0 };
    const out = kernels!.toFloat16('BF16', count, got);
    expect(bytes(out).equals(bytes(expected))).toBe(true);
    expect(got).toEqual(want);
    expect(want.overflow).toBeGreaterThan(0);
    expect(want.flushed).toBeGreaterThan(0);
  });

  it('bf16 → fp16, eight at a time: each pattern among seven exact ones, at every place in the eight', () => {
    // The kernel stores eight values at once when all eight convert exactly
    // (fp16-normal exponents, or ±0); one other pattern sends the eight down
    // the rounding path. Here every pattern sits alone among exact values, so
    // a fault in that test (a boundary one off) shows in the bytes or losses.
    const exact = [0x3c00, 0xbf80, 0x3880, 0x477f, 0x0000, 0x8000, 0xc6ff];
    const count = 65536 * 8;
    const bits = new Uint16Array(count);
    for (let p = 0; p < 65536; p++) {
      for (let j = 0; j < 8; j++) bits[p * 8 + j] = j === p % 8 ? p : exact[(p + j) % exact.length]!;
    }
    const want: Fp16Losses = { overflow: 0, flushed: 0 };
    const expected = bf16ToFloat16(bits.slice(), want);
    kernels!.input(count * 2).set(bytes(bits));
    const got: Fp16Losses = { overflow: 0, flushed: 0 };
    const out = kernels!.toFloat16('BF16', count, got);
    expect(bytes(out).equals(bytes(expected))).toBe(true);
    expect(got).toEqual(want);
  });

  it('float32 → fp16: random bit patterns and the edges of the half range as toFloat16 gives', () => {
    const next = random(7);
    const edges = [0, -0, NaN, -NaN, Infinity, -Infinity, 65504, 65519.99, 65520, 65536, -65520, 2 ** -14, 2 ** -24, 2 ** -25, 2 ** -25 * 1.0000001, 3 * 2 ** -26, 1e-30, 5.960464477539063e-8, 1 + 2 ** -11, 1 + 3 * 2 ** -11];
    const count = 200_003;
    const values = new Float32Array(count);
    const words = new Uint32Array(values.buffer);
    for (let i = 0; i < count; i++) {
      if (i < edges.length) values[i] = edges[i]!;
      else if (i % 3 === 0) words[i] = (next() * 2 ** 32) >>> 0; // any pattern
      else values[i] = (next() - 0.5) * 2 ** Math.floor(next() * 60 - 30); // every scale of the half range and past it
    }
    const want: Fp16Losses = { overflow: 0, flushed: 0 };
    const expected = toFloat16(values, want);
    kernels!.input(count * 4).set(bytes(values));
    const got: Fp16Losses = { overflow: 0, flushed: 0 };
    const out = kernels!.toFloat16('F32', count, got);
    expect(bytes(out).equals(bytes(expected))).toBe(true);
    expect(got).toEqual(want);
  });

  for (const symmetric of [false, true]) {
    for (const blockSize of [16, 32, 64, 128]) {
      it(`4-bit blocks of ${blockSize}, ${symmetric ? 'symmetric' : 'asymmetric'}: the same values, scales and zero points as quantizeQ4, from float32 and bf16`, () => {
        const next = random(blockSize + (symmetric ? 1 : 0));
        const rows = 37;
        const k = blockSize * 5; // an odd number of blocks: the last zero-point byte half full
        const values = new Float32Array(rows * k);
        for (let i = 0; i < values.length; i++) {
          const u = next();
          values[i] = (u - 0.5) * (next() < 0.01 ? 40 : 1) * 0.05; // heavy-tailed, as trained weights
        }
        const block = (row: number, b: number) => values.subarray(row * k + b * blockSize, row * k + (b + 1) * blockSize);
        block(0, 0).fill(0);
        block(0, 1).fill(0.25); // constant
        block(0, 2).fill(-0.25);
        block(1, 0).fill(NaN);
        block(1, 1)[3] = NaN;
        block(1, 2)[0] = Infinity;
        block(1, 3)[5] = -Infinity;
        block(2, 0).fill(-0);
        // Values on rounding boundaries: v / scale lands on .5 for a block spanning 0..15.
        const b3 = block(2, 1);
        for (let j = 0; j < blockSize; j++) b3[j] = (j % 16) + (j % 2 ? 0.5 : 0);
        block(3, 4).set(block(3, 4).map((v) => v * 1e-38)); // subnormal-sized scales
        for (const dtype of ['F32', 'BF16'] as const) {
          // bf16: the top halves of the float32 values, quantised from their float32 form by the reference.
          const bf16 = new Uint16Array(values.length).map((_, i) => new Uint32Array(values.buffer)[i]! >>> 16);
          const source = dtype === 'F32' ? values : bf16ToFloat32(bf16);
          const expected = quantizeQ4(source, rows, k, blockSize, symmetric);
          kernels!.input(dtype === 'F32' ? values.byteLength : bf16.byteLength).set(dtype === 'F32' ? bytes(values) : bytes(bf16));
          const got = kernels!.quantizeQ4(dtype, rows, k, blockSize, symmetric)!;
          expect(got.blocks).toBe(expected.blocks);
          expect(bytes(got.data).equals(bytes(expected.data)), `${dtype} values`).toBe(true);
          expect(bytes(got.scales).equals(bytes(expected.scales)), `${dtype} scales`).toBe(true);
          if (symmetric) expect(got.zeroPoints).toBeNull();
          else expect(bytes(got.zeroPoints!).equals(bytes(expected.zeroPoints!)), `${dtype} zero points`).toBe(true);
          // q4f16's scales: fp16 from the kernel's own conversion, the subnormal-sized ones' losses counted alike.
          const want: Fp16Losses = { overflow: 0, flushed: 0 };
          const wantHalves = toFloat16(expected.scales, want);
          const gotLosses: Fp16Losses = { overflow: 0, flushed: 0 };
          expect(bytes(got.halfScales!(gotLosses)).equals(bytes(wantHalves)), `${dtype} fp16 scales`).toBe(true);
          expect(gotLosses).toEqual(want);
          expect(want.flushed).toBeGreaterThan(0);
        }
      });
    }
  }

  it('transposes 16-bit rows as the plain loop does: bands of 32 rows and a short last one, any multiple-of-8 shape', () => {
    for (const [rows, cols] of [[8, 8], [40, 24], [96, 8], [72, 136], [256, 64]] as const) {
      const values = new Uint16Array(rows * cols).map((_, i) => (i * 2654435761) >>> 16);
      kernels!.input(values.byteLength).set(bytes(values));
      const got = kernels!.transpose16(rows, cols)!;
      const want = new Uint16Array(rows * cols);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) want[c * rows + r] = values[r * cols + c]!;
      expect(bytes(got).equals(bytes(want)), `${rows} × ${cols}`).toBe(true);
    }
    kernels!.input(12 * 8 * 2);
    expect(kernels!.transpose16(12, 8)).toBeNull(); // not whole tiles: the caller's own loop
  });

  it('leaves shapes it does not take to quantizeQ4 (a short last block, a block not a multiple of 16)', () => {
    kernels!.input(40 * 4);
    expect(kernels!.quantizeQ4('F32', 1, 40, 32, false)).toBeNull();
    expect(kernels!.quantizeQ4('F32', 1, 48, 24, false)).toBeNull();
  });
});
