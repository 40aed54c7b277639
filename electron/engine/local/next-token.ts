// Picks the next token from the last position's logits, reading the decoder's
// output array in place: no copy of the 151,936 logits, no BigInt, no Tensor
// wrappers (transformers.js' generate() slices and converts the row per token
// and its argmax runs slower once the loop has seen BigInts).

/** Where one row of logits lives inside the decoder's output array. */
export interface LogitsRow {
  /** Float32Array, or Uint16Array holding float16 bits (fp16 exports). */
  data: Float32Array | Uint16Array;
  offset: number;
  vocab: number;
}

/** Row of the last position of a [batch 1, positions, vocab] logits output. */
export function lastRow(data: Float32Array | Uint16Array, dims: readonly number[]): LogitsRow {
  const vocab = dims.at(-1) ?? 0;
  if (vocab <= 0 || data.length < vocab) throw new Error(`decoder logits: unexpected shape [${dims.join(', ')}]`);
  return { data, offset: data.length - vocab, vocab };
}

import { wasmArgmax } from './argmax-wasm';
import { halfToFloat } from '@core/float16';

const simdArgmax = wasmArgmax();

// Re-exported: callers read logits through this module.
export { halfToFloat };

function valueAt(row: LogitsRow): (i: number) => number {
  const { data, offset } = row;
  return data instanceof Float32Array ? (i) => data[offset + i]! : (i) => halfToFloat(data[offset + i]!);
}

/** Index of the largest logit; the first one on ties, as transformers.js' greedy sampler picks. */
export function argmax(row: LogitsRow): number {
  if (simdArgmax && row.data instanceof Float32Array) {
    const found = simdArgmax(row.data.subarray(row.offset, row.offset + row.vocab));
    if (found >= 0) return found;
  }
  return argmaxPlain(row);
}

/** The same in plain JavaScript: where WebAssembly SIMD is missing, or for a row with NaN. */
export function argmaxPlain(row: LogitsRow): number {
  const { data, offset, vocab } = row;
  let best = 0;
  if (data instanceof Float32Array) {
    // A view (no copy) indexed from 0: V8 keeps this loop tight, about half the
    // time of indexing with an added offset.
    const values = data.subarray(offset, offset + vocab);
    let max = values[0]!;
    for (let i = 1; i < vocab; i++) {
      if (values[i]! > max) {
        max = values[i]!;
        best = i;
      }
    }
    return best;
  }
  const at = valueAt(row);
  let max = at(0);
  for (let i = 1; i < vocab; i++) {
    const v = at(i);
    if (v > max) {
      max = v;
      best = i;
    }
  }
  return best;
}

export interface SamplingSettings {
  temperature: number;
  topK: number;
  topP: number;
}

/**
 * Temperature, then top-k, then top-p (nucleus), then one draw: what vLLM and
 * SGLang do with the EGM.md settings, so a local self-consistency sample is
 * drawn like a served one. `random` returns [0, 1).
 */
export function sample(row: LogitsRow, settings: SamplingSettings, random: () => number = Math.random): number {
  const at = valueAt(row);
  const k = Math.max(1, Math.min(settings.topK > 0 ? settings.topK : row.vocab, row.vocab));
  // Top k by one pass over the row, kept sorted descending (k is small: 20).
  const ids: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < row.vocab; i++) {
    const v = at(i);
    if (ids.length === k && v <= vals[k - 1]!) continue;
    let j = ids.length === k ? k - 1 : ids.length;
    while (j > 0 && vals[j - 1]! < v) {
      vals[j] = vals[j - 1]!;
      ids[j] = ids[j - 1]!;
      j--;
    }
    vals[j] = v;
    ids[j] = i;
  }
  const t = settings.temperature > 0 ? settings.temperature : 1;
  const weights = vals.map((v) => Math.exp((v - vals[0]!) / t));
  const total = weights.reduce((a, b) => a + b, 0);
  // Smallest prefix whose probability reaches top_p (at least one token).
  let kept = 0;
  let mass = 0;
  while (kept < weights.length && (kept === 0 || mass < settings.topP * total)) mass += weights[kept++]!;
  let r = random() * mass;
  for (let j = 0; j < kept; j++) {
    r -= weights[j]!;
    if (r < 0) return ids[j]!;
  }
  return ids[kept - 1]!;
}
