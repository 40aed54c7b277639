// The builder's conversions with WebAssembly SIMD (weight-kernels.wat): float
// → fp16 bits and 4-bit block quantisation, byte for byte what precision.ts'
// plain functions give (they stay as the reference and the fallback). A job
// reads its rows straight into the kernels' memory (input()), converts them
// there, and writes the results from views of that memory: no copy in
// between. One instance per thread (each conversion worker has its own).
import { WEIGHT_KERNELS_WASM } from './weight-kernels-wasm-bytes';
import { bf16ToFloat16, toFloat16, type Fp16Losses, type Q4Blocks } from './precision';
import { growWasmMemory, instantiateWasm, type WasmMemory } from '@core/wasm-module';

export interface WeightKernels {
  /**
   * `bytes` bytes at the start of the kernels' memory, for the rows to
   * convert: the checkpoint's bf16 bits or float32 values. Valid until the
   * next call of any method here (the memory may grow).
   */
  input(bytes: number): Uint8Array;
  /** The first `count` input values → fp16 bits (rounded to nearest even), in place; losses counted as toFloat16 does. */
  toFloat16(dtype: 'BF16' | 'F32', count: number, losses?: Fp16Losses): Uint16Array;
  /**
   * quantizeQ4 of the input's `rows` × `k` values, into views of the kernels'
   * memory (valid until the next call); null where the kernel does not
   * apply (a block that is not a multiple of 16 values, or a short last
   * block): the caller then uses quantizeQ4.
   */
  quantizeQ4(dtype: 'BF16' | 'F32', rows: number, k: number, blockSize: number, symmetric: boolean): Q4Blocks | null;
  /**
   * The transpose ([cols, rows]) of the first rows × cols 16-bit values of
   * the input (where toFloat16 leaves its halves), into a view of the
   * kernels' memory (valid until the next call); null unless both are
   * multiples of 8 (the kernel's tile): the caller transposes them itself.
   */
  transpose16(rows: number, cols: number): Uint16Array | null;
}

/** Whether the 4-bit kernel takes a row of `k` values in blocks of `blockSize`: whole blocks of a multiple of 16. */
export const kernelQuantizes = (k: number, blockSize: number): boolean => blockSize % 16 === 0 && k % blockSize === 0;

const align16 = (n: number) => (n + 15) & ~15;

function instantiate(): WeightKernels | null {
  const exports = instantiateWasm(WEIGHT_KERNELS_WASM);
  if (!exports) return null; // no SIMD in this engine: the builder keeps the plain functions
  const memory = exports.mem as WasmMemory;
  const toF16 = exports.to_f16 as (src: number, bf16: number, n: number, dst: number, losses: number) => void;
  const transpose = exports.transpose16 as (src: number, rows: number, cols: number, dst: number) => void;
  const q4 = exports.quantize_q4 as (src: number, bf16: number, rows: number, k: number, block: number, symmetric: number, row: number, data: number, scales: number, zps: number) => void;
  let inputBytes = 0;
  const room = (bytes: number) => growWasmMemory(memory, bytes);
  /**
   * `count` values at byte `src` (bf16 bits or float32) → fp16 bits at `dst`
   * (in place when equal), the loss counts through 8 bytes at `scratch`;
   * the room must be there already.
   */
  const halves = (src: number, dtype: 'BF16' | 'F32', count: number, dst: number, scratch: number, losses?: Fp16Losses) => {
    const whole = count & ~3; // the kernel converts four at a time; the rest by the plain functions
    toF16(src, dtype === 'BF16' ? 1 : 0, whole, dst, scratch);
    const counts = new Int32Array(memory.buffer, scratch, 2);
    if (losses) {
      losses.overflow += counts[0]!;
      losses.flushed += counts[1]!;
    }
    const out = new Uint16Array(memory.buffer, dst, count);
    if (whole < count) {
      // In place the tail's halves lie before its values (2i < 4i), which are read first.
      if (dtype === 'BF16') out.set(bf16ToFloat16(new Uint16Array(memory.buffer, src + whole * 2, count - whole), losses), whole);
      else out.set(toFloat16(new Float32Array(memory.buffer, src + whole * 4, count - whole), losses), whole);
    }
    return out;
  };
  return {
    input(bytes) {
      inputBytes = align16(bytes);
      room(inputBytes);
      return new Uint8Array(memory.buffer, 0, bytes);
    },
    toFloat16(dtype, count, losses) {
      room(inputBytes + 8);
      return halves(0, dtype, count, 0, inputBytes, losses);
    },
    transpose16(rows, cols) {
      if (rows % 8 || cols % 8) return null;
      const dst = inputBytes;
      room(dst + rows * cols * 2);
      transpose(0, rows, cols, dst);
      return new Uint16Array(memory.buffer, dst, rows * cols);
    },
    quantizeQ4(dtype, rows, k, blockSize, symmetric) {
      if (!kernelQuantizes(k, blockSize)) return null;
      const blocks = k / blockSize;
      const zpBytes = Math.ceil(blocks / 2);
      const row = inputBytes;
      const data = row + align16(k * 4);
      const scales = data + align16(rows * blocks * (blockSize / 2));
      const zps = scales + align16(rows * blocks * 4);
      // Room for the scales as fp16 too (q4f16 writes those), and the loss counts.
      const half = zps + align16(rows * zpBytes);
      const scratch = half + align16(rows * blocks * 2);
      room(scratch + 8);
      q4(0, dtype === 'BF16' ? 1 : 0, rows, k, blockSize, symmetric ? 1 : 0, row, data, scales, zps);
      return {
        data: new Uint8Array(memory.buffer, data, rows * blocks * (blockSize / 2)),
        scales: new Float32Array(memory.buffer, scales, rows * blocks),
        zeroPoints: symmetric ? null : new Uint8Array(memory.buffer, zps, rows * zpBytes),
        blocks,
        halfScales: (losses) => halves(scales, 'F32', rows * blocks, half, scratch, losses),
      };
    },
  };
}

let kernels: WeightKernels | null | undefined;

/** This thread's kernels, or null where WebAssembly SIMD is unavailable. */
export function weightKernels(): WeightKernels | null {
  if (kernels === undefined) kernels = instantiate();
  return kernels;
}
