// Argmax over one row of float32 logits with WebAssembly SIMD: sixteen floats
// per step instead of one, which is most of the per-token work left in our decode
// loop (a 151,936-entry row per token). The kernel's source is argmax.wat
// (assembled by scripts/wasm/assemble.mjs into argmax-wasm-bytes.ts). Same
// answer as the plain loop: the first index of the largest value, NaN
// skipped; a row starting with NaN (where the plain loop answers 0) gives -1
// and the caller uses the plain loop.
import { ARGMAX_WASM } from './argmax-wasm-bytes';

export type RowArgmax = (row: Float32Array) => number;

// The Node typings in use here do not declare the WebAssembly constructors; these are the parts used.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

/** The SIMD argmax, or null where WebAssembly SIMD is unavailable. */
export function wasmArgmax(): RowArgmax | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  let exports: Record<string, unknown>;
  try {
    if (!api) return null;
    exports = new api.Instance(new api.Module(ARGMAX_WASM)).exports;
  } catch {
    // No SIMD in this engine: the caller keeps the plain loop.
    return null;
  }
  const memory = exports.mem as WasmMemory;
  const run = exports.argmax as (bytes: number) => number;
  return (row) => {
    const padded = (row.length + 15) & ~15; // whole groups of 16 floats
    if (padded * 4 > memory.buffer.byteLength) memory.grow(Math.ceil((padded * 4 - memory.buffer.byteLength) / 65536));
    const view = new Float32Array(memory.buffer, 0, padded);
    view.set(row);
    view.fill(-Infinity, row.length);
    // A leading NaN makes the plain loop answer 0; leave that case, and any miss, to it.
    if (Number.isNaN(row[0])) return -1;
    const found = run(padded * 4);
    return found < row.length ? found : -1;
  };
}
