// The WebAssembly kernels the app runs (the SIMD argmax of the decode loop,
// the Pillow-exact resize, the model builder's fp16 and 4-bit conversions)
// are kept as WebAssembly text (argmax.wat, pil-resize.wat,
// weight-kernels.wat) and committed assembled (the *-bytes.ts modules): the
// committed bytes must be what wabt's wat2wasm makes of the .wat today, so
// what a reviewer reads is what runs.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
// @ts-expect-error: a plain .mjs script, no types
import { KERNELS, assemble, moduleText } from '../../scripts/wasm/assemble.mjs';
import { REPO_ROOT } from '../helpers/tiny-model';
import { ARGMAX_WASM } from '../../electron/engine/local/argmax-wasm-bytes';
import { PIL_RESIZE_WASM } from '../../electron/images/pil-resize-wasm-bytes';
import { WEIGHT_KERNELS_WASM } from '../../electron/models/onnx-builder/weight-kernels-wasm-bytes';

type Kernel = { wat: string; out: string; name: string };

describe('WebAssembly kernels', () => {
  for (const kernel of KERNELS as Kernel[]) {
    it(`${kernel.out} is what ${kernel.wat} assembles to`, async () => {
      const bytes = (await assemble(resolve(REPO_ROOT, kernel.wat))) as Uint8Array;
      expect(readFileSync(resolve(REPO_ROOT, kernel.out), 'utf8')).toBe(moduleText(kernel, bytes));
      const committed = { ARGMAX_WASM, PIL_RESIZE_WASM, WEIGHT_KERNELS_WASM }[kernel.name]!;
      expect(Buffer.from(committed).equals(Buffer.from(bytes))).toBe(true);
    });
  }
});
