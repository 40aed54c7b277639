// Argmax over one row of float32 logits with WebAssembly SIMD: sixteen floats
// per step instead of one, which is most of the per-token work left in our decode
// loop (a 151,936-entry row per token). The module is a few hundred bytes
// assembled below, so there is no build step and no file to ship. Same answer
// as the plain loop: the first index of the largest value, NaN skipped; a row
// starting with NaN (where the plain loop answers 0) gives -1 and the caller
// uses the plain loop.
//
// (func (param $bytes i32) (result i32)   ;; row at address 0, padded to 16 floats
//   four accumulators: per lane, the largest value seen (v > acc, so NaN is skipped)
//   $m = the largest of their lanes
//   find the first 16-float group holding $m, then the float; return its index)

import { uleb, wasmSection } from '@core/leb128';
const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const simd = (op: number) => [0xfd, op];
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
/** i32.const with a small constant, as signed LEB128 (64 and up take two bytes). */
const i32 = (v: number) => (v >= -64 && v < 64 ? [0x41, v & 0x7f] : [0x41, (v & 0x7f) | 0x80, (v >> 7) & 0x7f]);
/** v128.load at $i + offset (offset < 128: one LEB byte). */
const load128 = (offset = 0) => [...simd(0x00), 0x00, offset];
const f32load = [0x2a, 0x02, 0x00];
// Locals: the argument, then $i, a scratch vector, four lane-max accumulators, the maximum.
const [N, I, V, A0, A1, A2, A3, M] = [0, 1, 2, 3, 4, 5, 6, 7];
const ACC = [A0, A1, A2, A3];
/** Groups of 16 floats (64 bytes): four independent accumulators keep the SIMD units busy. */
const GROUP = 64;
/** while ($i < $n) { ...body; $i += step }  (block/loop with a break at the top). */
const whileBelowN = (body: number[], step: number) => [
  0x02, 0x40, 0x03, 0x40,
  ...get(I), ...get(N), 0x4f /* i32.ge_u */, 0x0d, 1 /* br_if out */,
  ...body,
  ...get(I), ...i32(step), 0x6a /* add */, ...set(I), 0x0c, 0 /* br loop */,
  0x0b, 0x0b,
];
/** acc = lanes where v > acc ? v : acc  (v on the stack is taken from $V). */
const keepGreater = (acc: number) => [...get(V), ...get(acc), ...get(V), ...get(acc), ...simd(0x44) /* f32x4.gt */, ...simd(0x52) /* bitselect */, ...set(acc)];
const lane = (l: number) => [...get(A0), ...simd(0x1f), l];
const eqAt = (offset: number) => [...get(I), ...load128(offset), ...get(V), ...simd(0x41) /* f32x4.eq */];

const body = [
  0x03, 1, I32, 5, V128, 1, F32, // local groups: $i; $v and the four accumulators; $m
  // Accumulators start at -Infinity (not at the first values): a NaN there would never be replaced.
  ...ACC.flatMap((acc) => [0x43, 0x00, 0x00, 0x80, 0xff /* f32.const -inf */, ...simd(0x13) /* f32x4.splat */, ...set(acc)]),
  ...i32(0), ...set(I),
  ...whileBelowN(ACC.flatMap((acc, k) => [...get(I), ...load128(16 * k), ...set(V), ...keepGreater(acc)]), GROUP),
  ...[A1, A2, A3].flatMap((acc) => [...get(acc), ...set(V), ...keepGreater(A0)]),
  ...lane(0), ...set(M),
  ...[1, 2, 3].flatMap((l) => [...lane(l), ...get(M), ...lane(l), ...get(M), 0x5e /* f32.gt */, 0x1b /* select */, ...set(M)]),
  ...get(M), ...simd(0x13) /* f32x4.splat */, ...set(V),
  ...i32(0), ...set(I),
  // First group holding the maximum: leave the SIMD loop there (br_if 1 leaves its block)...
  ...whileBelowN([...eqAt(0), ...eqAt(16), ...simd(0x50) /* v128.or */, ...eqAt(32), ...eqAt(48), ...simd(0x50), ...simd(0x50), ...simd(0x53) /* any_true */, 0x0d, 1], GROUP),
  // ...then the float within it.
  ...whileBelowN([...get(I), ...f32load, ...get(M), 0x5b /* f32.eq */, 0x04, 0x40, ...get(I), ...i32(2), 0x76 /* shr_u */, 0x0f /* return */, 0x0b], 4),
  ...i32(-1),
  0x0b,
];

const section = wasmSection;
const leb = uleb;
const name = (s: string) => [s.length, ...Buffer.from(s)];

const MODULE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [1, 0x60, 1, I32, 1, I32]),
  ...section(3, [1, 0]),
  ...section(5, [1, 0x00, 10]), // 10 pages = 640 KiB: a 151,936-float row; grown for bigger vocabularies
  ...section(7, [2, ...name('argmax'), 0x00, 0, ...name('mem'), 0x02, 0]),
  ...section(10, [1, ...leb(body.length), ...body]),
]);

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
    exports = new api.Instance(new api.Module(MODULE)).exports;
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
