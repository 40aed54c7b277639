// Argmax over one row of float32 logits with WebAssembly SIMD: sixteen floats
// per step instead of one, which is most of the per-token work left in our decode
// loop (a 151,936-entry row per token). The kernel's source is argmax.wat
// (assembled by scripts/wasm/assemble.mjs into argmax-wasm-bytes.ts). Same
// answer as the plain loop: the first index of the largest value, NaN
// skipped; a row starting with NaN (where the plain loop answers 0) gives -1
// and the caller uses the plain loop.
import { ARGMAX_WASM } from './argmax-wasm-bytes';
import { growWasmMemory, instantiateWasm, type WasmMemory } from '@core/wasm-module';

export type RowArgmax = (row: Float32Array) => number;

/** The SIMD argmax, or null where WebAssembly SIMD is unavailable. */
export function wasmArgmax(): RowArgmax | null {
  const exports = instantiateWasm(ARGMAX_WASM);
  if (!exports) return null; // no SIMD in this engine: the caller keeps the plain loop
  const memory = exports.mem as WasmMemory;
  const run = exports.argmax as (bytes: number) => number;
  return (row) => {
    const padded = (row.length + 15) & ~15; // whole groups of 16 floats
    growWasmMemory(memory, padded * 4);
    const view = new Float32Array(memory.buffer, 0, padded);
    view.set(row);
    view.fill(-Infinity, row.length);
    // A leading NaN makes the plain loop answer 0; leave that case, and any miss, to it.
    if (Number.isNaN(row[0])) return -1;
    const found = run(padded * 4);
    return found < row.length ? found : -1;
  };
}
