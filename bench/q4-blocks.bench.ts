// Which 4-bit block layout the model builder uses for q4f16 (MatMulNBits),
// chosen by measured error: relative RMS error of the dequantised weight
// (‖Ŵ − W‖ / ‖W‖) for block sizes 16–128, symmetric and asymmetric, on
// weights shaped like a trained LLM's: mostly Gaussian with heavy-tailed
// outliers (Student-t, 4 degrees of freedom) and a per-row scale spread, and on
// plain Gaussian weights (what the random parity models hold), printed as
//   bench q4_rel_error_<dist>_b<size>_<sym|asym>=<number> fraction
// and bench q4_quantize_mb_per_s (throughput of the plain quantiser), with
// q4_quantize_wasm_mb_per_s and q4_quantize_wasm_vs_js for the WebAssembly
// kernel the builder runs (weight-kernels.wat; same bytes), alternated in the
// same run; in blocks of 32, and with a _b64 suffix in blocks of 64 (q4's default).
// No model weights are downloadable here: the heavy-tailed set stands in for
// them; trained weights are the real test (egm eval on a labelled project).
// Run: npx tsx bench/q4-blocks.bench.ts
import { dequantizeQ4, quantizeQ4 } from '../electron/models/onnx-builder/precision';
import { weightKernels } from '../electron/models/onnx-builder/weight-kernels';

const N = 1024;
const K = 2560; // EGM-4B's hidden size

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
}

function weights(kind: 'gauss' | 'heavy'): Float32Array {
  const random = rng(kind === 'gauss' ? 1 : 2);
  const w = new Float32Array(N * K);
  for (let r = 0; r < N; r++) {
    const rowScale = kind === 'heavy' ? 0.01 * Math.exp(0.5 * gaussian(random)) : 0.02;
    for (let c = 0; c < K; c++) {
      let v = gaussian(random);
      if (kind === 'heavy') {
        // Student-t with 4 dof: z / sqrt(chi2_4 / 4).
        let chi = 0;
        for (let i = 0; i < 4; i++) chi += gaussian(random) ** 2;
        v /= Math.sqrt(chi / 4);
      }
      w[r * K + c] = v * rowScale;
    }
  }
  return w;
}

function relError(w: Float32Array, blockSize: number, symmetric: boolean): number {
  const back = dequantizeQ4(quantizeQ4(w, N, K, blockSize, symmetric), N, K, blockSize);
  let num = 0;
  let den = 0;
  for (let i = 0; i < w.length; i++) {
    num += (back[i]! - w[i]!) ** 2;
    den += w[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

for (const kind of ['heavy', 'gauss'] as const) {
  const w = weights(kind);
  for (const blockSize of [16, 32, 64, 128]) {
    for (const symmetric of [false, true]) {
      console.log(`bench q4_rel_error_${kind}_b${blockSize}_${symmetric ? 'sym' : 'asym'}=${relError(w, blockSize, symmetric).toFixed(4)} fraction`);
    }
  }
}
const w = weights('gauss');
const kernels = weightKernels();
if (kernels) kernels.input(w.byteLength).set(new Uint8Array(w.buffer, w.byteOffset, w.byteLength)); // the builder reads rows straight into the kernels' memory: not timed
/** Milliseconds of one quantisation. */
const time = (quantize: () => void) => {
  const started = performance.now();
  quantize();
  return performance.now() - started;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** MB/s of bf16 checkpoint bytes (2 per value) for the ms of one quantisation. */
const mbPerS = (ms: number) => w.byteLength / 2 / (ms / 1000) / 1e6;
// Blocks of 32 (q4f16's default) and 64 (q4's); the plain function and the kernel alternate, median of 5 each.
for (const blockSize of [32, 64]) {
  const suffix = blockSize === 32 ? '' : `_b${blockSize}`;
  const plain: number[] = [];
  const wasm: number[] = [];
  for (let round = 0; round < 6; round++) {
    const js = time(() => quantizeQ4(w, N, K, blockSize, false));
    if (round > 0) plain.push(js); // the first round warms up
    if (!kernels) continue;
    const k = time(() => kernels.quantizeQ4('F32', N, K, blockSize, false));
    if (round > 0) wasm.push(k);
  }
  console.log(`bench q4_quantize_mb_per_s${suffix}=${mbPerS(median(plain)).toFixed(1)} MB/s`);
  if (!kernels) continue;
  console.log(`bench q4_quantize_wasm_mb_per_s${suffix}=${mbPerS(median(wasm)).toFixed(1)} MB/s`);
  console.log(`bench q4_quantize_wasm_vs_js${suffix}=${(median(plain) / median(wasm)).toFixed(2)} x`);
}
if (!kernels) console.log('info: no WebAssembly SIMD here: the builder quantises with the plain function');
