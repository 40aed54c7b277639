// Pillow's BICUBIC resize, byte for byte, against committed fixtures that
// Pillow itself wrote (test/fixtures/pil-resize/cases.json, made by
// scripts/python/pil_resize_fixtures.py with the parity venv). More random
// sizes are checked live against Pillow in vision-input-pillow.test.ts.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bicubicAxis, resizeBicubic } from '../../electron/images/pil-resize';
import { wasmResizeAvailable } from '../../electron/images/pil-resize-wasm';

interface Fixtures {
  pillow: string;
  inputs: { width: number; height: number; channels: number; data: string }[];
  cases: { input: number; outWidth: number; outHeight: number; expected: string }[];
}
const fixtures = JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/pil-resize/cases.json'), 'utf8')) as Fixtures;
const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

// Both implementations: the WebAssembly SIMD passes (3 and 4 channels) and the JS passes.
describe.each([true, false])(`resizeBicubic matches Pillow ${fixtures.pillow} (simd %s)`, (simd) => {
  for (const c of fixtures.cases) {
    const input = fixtures.inputs[c.input]!;
    it(`${input.width}x${input.height}x${input.channels} -> ${c.outWidth}x${c.outHeight}`, () => {
      const out = resizeBicubic(bytes(input.data), input.width, input.height, input.channels, c.outWidth, c.outHeight, { simd });
      const expected = bytes(c.expected);
      expect(out.length).toBe(expected.length);
      let differing = 0;
      for (let i = 0; i < out.length; i++) if (out[i] !== expected[i]) differing++;
      expect(differing).toBe(0);
    });
  }
});

describe('resizeBicubic', () => {
  it('has WebAssembly SIMD in this Node (the fast path the engine takes)', () => {
    expect(wasmResizeAvailable()).toBe(true);
  });

  it('gives the same bytes from both implementations on a larger photo-sized case, in both pass orders', () => {
    const src = Uint8Array.from({ length: 640 * 480 * 3 }, (_, i) => (Math.imul(i, 2654435761) >>> 24) & (i % 7 ? 255 : 0));
    for (const [ow, oh] of [[300, 220], [200, 100], [1000, 700], [640, 33]]) {
      const a = resizeBicubic(src, 640, 480, 3, ow!, oh!, { simd: true });
      const b = resizeBicubic(src, 640, 480, 3, ow!, oh!, { simd: false });
      expect(Buffer.from(a).equals(Buffer.from(b)), `${ow}x${oh}`).toBe(true);
    }
  });

  it('copies when the size is unchanged (no pass runs)', () => {
    const src = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => i * 7);
    const out = resizeBicubic(src, 4, 3, 3, 4, 3);
    expect(out).not.toBe(src);
    expect(Array.from(out)).toEqual(Array.from(src));
  });

  it('refuses channel counts and buffers it cannot read', () => {
    expect(() => resizeBicubic(new Uint8Array(10), 1, 2, 5, 2, 2)).toThrow(/channels/);
    expect(() => resizeBicubic(new Uint8Array(5), 1, 2, 3, 2, 2)).toThrow(/bytes/);
  });
});

describe('bicubicAxis', () => {
  it('has weights summing to about one (22-bit fixed point) and taps inside the image', () => {
    for (const [inSize, outSize] of [[100, 37], [37, 100], [5, 1], [1, 9], [4000, 1152]] as const) {
      const { ksize, first, count, coeffs } = bicubicAxis(inSize, outSize);
      for (let i = 0; i < outSize; i++) {
        let sum = 0;
        for (let t = 0; t < count[i]!; t++) sum += coeffs[i * ksize + t]!;
        expect(Math.abs(sum - 2 ** 22)).toBeLessThanOrEqual(ksize);
        expect(first[i]).toBeGreaterThanOrEqual(0);
        expect(first[i]! + count[i]!).toBeLessThanOrEqual(inSize);
      }
    }
  });
});
