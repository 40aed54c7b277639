// Our own token loop over the model's real onnxruntime sessions. The prefill
// pass is transformers.js' own (its prepare_inputs_for_generation computes the
// 3-D rope position_ids and rope_deltas, its forward runs embed_tokens, the
// vision encoder, merges image features and fills the empty cache), so the
// prompt side stays exactly theirs. Each later step runs embed_tokens and the
// decoder directly with the previous step's present.* as past_key_values and
// picks the token from the logits array in place. Per token that saves what
// generate() spends around the passes (a copy and conversion of the whole
// logits row, Tensor wrappers, BigInt id lists, growing mask concatenations).
// Inputs per step are what generate() feeds: position = cache length +
// rope_delta on all three rope axes, an all-ones mask over cache + 1,
// num_logits_to_keep 1. test/integration/local-decode-loop.test.ts compares
// the ids and every decoder feed with generate()'s.
// The cache: graphs built by `egm model build` (config egm_export.kv_cache
// 'rows-v1') return only each pass's rows, which KvRows writes into buffers
// it owns and feeds back in place (kv-cache.ts): no copy of the cache per
// token. Other exports (transformers.js' layout: present.* is the whole
// cache) get the previous pass's present.* back as past_key_values.*.
// Greedy steps on a decoder with a `next_token` output (the builder's graphs:
// ArgMax of the logits, first on ties) fetch it instead of the logits:
// onnxruntime-node copies every fetched output into a new ArrayBuffer, and
// 151,936 float logits per token were most of what the garbage collector
// had to clear during an answer.
import { Tensor } from '@huggingface/transformers';
import { KV_CACHE, NEXT_TOKEN } from '@core/egm/decoder-contract';
import { KvRows } from './kv-cache';
import type { VlModel } from './load-model';
import { argmax, lastRow, sample, type LogitsRow, type SamplingSettings } from './next-token';

/** What onnxruntime-node's session.run takes and gives (the structural part we use). */
interface OrtTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
  readonly location?: string;
  dispose?: () => void;
}
interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>, fetches?: readonly string[]): Promise<Record<string, OrtTensor>>;
}
type Feeds = Record<string, unknown>;
interface ModelInternals {
  sessions: Record<string, OrtSession>;
  config: { max_position_embeddings?: number; egm_export?: { kv_cache?: string } };
  _prepare_generation_config(config: null, kwargs: Feeds): { eos_token_id: number | number[] | null };
  prepare_inputs_for_generation(ids: unknown, inputs: Feeds, config: unknown): Feeds & { rope_deltas?: Tensor; num_logits_to_keep?: Tensor };
  forward(inputs: Feeds): Promise<Record<string, Tensor>>;
}

export interface DecodeInput {
  /** Prompt token ids, one image's pad tokens included. */
  inputIds: BigInt64Array;
  pixelValues: Tensor;
  imageGridThw: Tensor;
}

export interface DecodeOptions {
  maxNewTokens: number;
  /** Sample with these settings; greedy (argmax) when absent. */
  sampling?: SamplingSettings;
  random?: () => number;
  /** Called with each new id, the end token included, before the stop checks. */
  onToken?: (id: number) => void;
  /** Checked after each token, as InterruptableStoppingCriteria is. */
  shouldStop?: () => boolean;
  /**
   * Called once after the prefill pass with the 3-D rope positions it used and
   * the last position's logits (read in place: copy what you keep). For checks
   * against a reference (npm run parity), not needed to generate.
   */
  onPrefill?: (prefill: Prefill) => void;
}

export interface Prefill {
  /** position_ids [3, 1, promptLength] (T, H, W rows), as the prefill fed them. */
  positionIds: BigInt64Array;
  ropeDelta: bigint;
  logits: LogitsRow;
}

const ort = (t: Tensor) => (t as unknown as { ort_tensor: OrtTensor }).ort_tensor;
const i64 = (values: BigInt64Array, dims: number[]) => ort(new Tensor('int64', values, dims));

function pick(session: OrtSession, feeds: Record<string, OrtTensor | undefined>, name: string): Record<string, OrtTensor> {
  const out: Record<string, OrtTensor> = {};
  for (const input of session.inputNames) {
    const tensor = feeds[input];
    if (!tensor) throw new Error(`decode loop: ${name} input '${input}' has no value`);
    out[input] = tensor;
  }
  return out;
}

/** Generates up to maxNewTokens ids after the prompt; the end token, when reached, is the last one. */
export async function decodeTokens(model: VlModel, input: DecodeInput, options: DecodeOptions): Promise<number[]> {
  const m = model as unknown as ModelInternals;
  // transformers.js helpers the prefill relies on (4.x); a version without them fails here in one line.
  for (const helper of ['_prepare_generation_config', 'prepare_inputs_for_generation', 'forward'] as const) {
    if (typeof m[helper] !== 'function') throw new Error(`decode loop: this transformers.js version has no model.${helper}()`);
  }
  const embed = m.sessions.embed_tokens;
  const decoder = m.sessions.decoder_model_merged;
  if (!embed || !decoder) throw new Error('decode loop: the model has no embed_tokens or decoder_model_merged session');
  const config = m._prepare_generation_config(null, {});
  const eos = new Set([config.eos_token_id ?? []].flat().map(Number));
  const maxNew = Math.max(1, options.maxNewTokens);
  const pickNext = options.sampling
    ? (row: ReturnType<typeof lastRow>) => sample(row, options.sampling!, options.random)
    : argmax;

  // Prefill, exactly as generate()'s first iteration.
  const promptLength = input.inputIds.length;
  const prepared = m.prepare_inputs_for_generation(null, {
    input_ids: new Tensor('int64', input.inputIds, [1, promptLength]),
    attention_mask: new Tensor('int64', new BigInt64Array(promptLength).fill(1n), [1, promptLength]),
    pixel_values: input.pixelValues,
    image_grid_thw: input.imageGridThw,
  }, config);
  const ropeDelta = prepared.rope_deltas ? BigInt((prepared.rope_deltas.data as BigInt64Array)[0]!) : 0n;
  const first = await m.forward(prepared);
  const firstLogits = ort(first.logits!);
  if (options.onPrefill) {
    const positions = prepared.position_ids as Tensor | undefined;
    options.onPrefill({
      positionIds: positions ? (positions.data as BigInt64Array) : new BigInt64Array(0),
      ropeDelta,
      logits: lastRow(firstLogits.data as Float32Array | Uint16Array, firstLogits.dims),
    });
  }
  const cache: Record<string, OrtTensor> = {};
  const presents: Record<string, OrtTensor> = {};
  for (const [name, tensor] of Object.entries(first)) if (name.startsWith('present')) presents[name] = ort(tensor);
  // Engine-owned buffers (built graphs), or the previous pass's present.* (other exports).
  const rows = m.config.egm_export?.kv_cache === KV_CACHE ? new KvRows(presents, Math.min(maxNew, 256)) : null;
  const rowFeeds = new Map<string, OrtTensor>();
  /** past_key_values.* over KvRows' buffers: new tensor objects only when the room fed changed (widened or regrown). */
  const feedRows = () => {
    for (const [name, data, dims] of rows!.buffers()) {
      const fed = rowFeeds.get(name);
      if (fed?.data !== data) rowFeeds.set(name, ort(new Tensor(rows!.tensorType, data, dims)));
      cache[name] = rowFeeds.get(name)!;
    }
  };
  if (rows) feedRows();
  else for (const [name, tensor] of Object.entries(presents)) cache[name.replace('present', 'past_key_values')] = tensor;
  const cacheKey = Object.keys(cache).find((k) => k.startsWith('past_key_values.'));
  if (!cacheKey) throw new Error('decode loop: the decoder returned no present.* cache');
  const fixed: Record<string, OrtTensor> = {};
  if (prepared.num_logits_to_keep) fixed.num_logits_to_keep = ort(prepared.num_logits_to_keep);
  if (decoder.inputNames.includes('use_cache_branch')) fixed.use_cache_branch = ort(new Tensor('bool', [true], [1]));

  // Greedy on a graph that picks the token itself: fetch everything but the logits.
  const fetches = !options.sampling && decoder.outputNames.includes(NEXT_TOKEN) ? decoder.outputNames.filter((n) => n !== 'logits') : undefined;
  const generated: number[] = [];
  let next = pickNext(lastRow(firstLogits.data as Float32Array | Uint16Array, firstLogits.dims));
  // The all-ones attention mask grows by one per step: views of one buffer
  // (filled once, regrown by doubling) instead of a new BigInt64Array filled
  // with 1n per token. onnxruntime reads it only during that step's run().
  let ones = new BigInt64Array(0);
  const mask = (length: number) => {
    if (ones.length < length) ones = new BigInt64Array(Math.max(length, ones.length * 2)).fill(1n);
    return i64(ones.subarray(0, length), [1, length]);
  };
  try {
    for (;;) {
      const id = next;
      generated.push(id);
      options.onToken?.(id);
      if (eos.has(id) || generated.length >= maxNew || options.shouldStop?.()) break;

      const past = rows ? rows.length : (cache[cacheKey]!.dims.at(-2) ?? 0);
      const { inputs_embeds } = await embed.run(pick(embed, { input_ids: i64(BigInt64Array.of(BigInt(id)), [1, 1]) }, 'embed_tokens'));
      const position = BigInt(past) + ropeDelta;
      const outputs: Record<string, OrtTensor> = await decoder.run(
        pick(decoder, {
          ...fixed,
          ...cache,
          inputs_embeds,
          attention_mask: mask(past + 1),
          position_ids: i64(BigInt64Array.of(position, position, position), [3, 1, 1]),
        }, 'decoder_model_merged'),
        fetches,
      );
      if (rows) {
        rows.write(outputs, past);
        feedRows();
      }
      for (const [name, tensor] of Object.entries(outputs)) {
        if (rows || !name.startsWith('present')) continue;
        const key = name.replace('present', 'past_key_values');
        // GPU-resident caches (webgpu) are freed as transformers.js' DynamicCache.update does.
        if (cache[key] !== tensor && cache[key]?.location === 'gpu-buffer') cache[key]!.dispose?.();
        cache[key] = tensor;
      }
      if (fetches) {
        const picked = outputs[NEXT_TOKEN];
        if (!picked) throw new Error(`decode loop: the decoder returned no ${NEXT_TOKEN}`);
        next = Number((picked.data as BigInt64Array)[0]);
      } else {
        if (!outputs.logits) throw new Error('decode loop: the decoder returned no logits');
        next = pickNext(lastRow(outputs.logits.data as Float32Array | Uint16Array, outputs.logits.dims));
      }
    }
  } finally {
    // Also when a pass fails: GPU-resident caches are not garbage-collected.
    for (const tensor of Object.values(cache)) if (tensor.location === 'gpu-buffer') tensor.dispose?.();
  }
  return generated;
}
