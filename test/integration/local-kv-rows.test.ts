// The decode loop on a decoder built by `egm model build` (its KV cache
// contract 'rows-v1': engine-owned buffers read in place, each pass returning
// only its own rows; onnx-builder/qwen3vl-text.ts, engine/local/kv-cache.ts),
// against the same model run without any cache: at every checked step, the
// whole sequence so far (prompt + the tokens generated before) through
// transformers.js' prefill path must give the token the cached loop picked,
// with the same logits. The model is a small random Qwen3-VL written and built
// here (test/helpers/small-random-model.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Tensor } from '@huggingface/transformers';
import { loadLocalModel, type LoadedModel } from '../../electron/engine/local/load-model';
import { decodeTokens } from '../../electron/engine/local/decode-loop';
import { ROOM_STEP } from '../../electron/engine/local/kv-cache';
import { loadVisionInput, visionConfigFrom, type VisionInput } from '../../electron/engine/local/vision-input';
import { PromptIds, chatRenderer, type ChatTokenizer } from '../../electron/engine/local/prompt-ids';
import { buildPrompt } from '@core/egm/prompt';
import { buildSmallRandomModel } from '../helpers/small-random-model';
import { REPO_ROOT } from '../helpers/tiny-model';

type Feed = Record<string, { dims: readonly number[]; data: ArrayLike<unknown> }>;
interface Internals {
  _prepare_generation_config(config: null, kwargs: object): unknown;
  prepare_inputs_for_generation(ids: unknown, inputs: object, config: unknown): Record<string, unknown>;
  forward(inputs: object): Promise<Record<string, Tensor>>;
}

// 64 steps cross at least one ROOM_STEP boundary: the room fed is widened in place mid-answer.
const STEPS = 64;

describe('decode loop on a built decoder (KV rows in engine-owned buffers)', () => {
  let dir: string;
  let loaded: LoadedModel;
  let image: VisionInput;
  let inputIds: BigInt64Array;
  const feeds: { mask: number; past: number[]; rows: number; logits: Float32Array }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'egm-kv-rows-'));
    const modelDir = await buildSmallRandomModel(dir, 'test/kv-rows');
    loaded = await loadLocalModel({ modelDir, device: 'cpu', dtype: 'fp32' });
    const decoder = (loaded.model.sessions as Record<string, { run: (feeds: Feed) => Promise<Record<string, { dims: readonly number[] }>> }>).decoder_model_merged!;
    const run = decoder.run.bind(decoder);
    decoder.run = async (f: Feed) => {
      const out = await run(f);
      const logits = (out.logits as unknown as { data: Float32Array }).data;
      feeds.push({ mask: f.attention_mask!.dims[1]!, past: [...f['past_key_values.0.key']!.dims], rows: out['present.0.key']!.dims[3]!, logits: logits.slice() });
      return out;
    };
    const cfg = visionConfigFrom((loaded.processor.image_processor as unknown as { config: Record<string, unknown> }).config);
    image = await loadVisionInput(resolve(REPO_ROOT, 'assets/samples/fruits.jpg'), cfg, 60_000);
    const promptIds = new PromptIds(chatRenderer(loaded.processor as never), loaded.processor.tokenizer as unknown as ChatTokenizer);
    inputIds = promptIds.ids(buildPrompt({ phrase: 'the lime', kind: 'visible' }), image.visualTokens);
  }, 120_000);
  afterAll(async () => {
    await loaded?.model.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Logits of the last position for `ids`, computed from scratch (transformers.js' prefill: empty cache). */
  async function uncached(ids: BigInt64Array): Promise<Float32Array> {
    const m = loaded.model as unknown as Internals;
    const config = m._prepare_generation_config(null, {});
    const prepared = m.prepare_inputs_for_generation(null, {
      input_ids: new Tensor('int64', ids, [1, ids.length]),
      attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
      pixel_values: image.pixelValues,
      image_grid_thw: image.imageGridThw,
    }, config);
    const out = await m.forward(prepared);
    const data = out.logits!.data as Float32Array;
    const vocab = out.logits!.dims.at(-1)!;
    return data.slice(data.length - vocab);
  }

  it('writes the builder’s cache contract into config.json and a next_token output', () => {
    const config = JSON.parse(readFileSync(join(dir, 'model', 'config.json'), 'utf8')) as { egm_export: { kv_cache: string } };
    expect(config.egm_export.kv_cache).toBe('rows-v1');
    // The greedy pick in the graph (the loop below fetches it, not the logits, for its ids).
    expect((loaded.model.sessions as Record<string, { outputNames: string[] }>).decoder_model_merged!.outputNames).toContain('next_token');
  });

  it('gives, at every checked step, the token and logits of the same sequence run without a cache', async () => {
    feeds.length = 0;
    const ids = await decodeTokens(loaded.model, { inputIds, pixelValues: image.pixelValues, imageGridThw: image.imageGridThw }, { maxNewTokens: STEPS });
    const passes = feeds.slice();
    expect(ids).toHaveLength(STEPS);
    // Prefill: an empty cache in, the prompt's rows out; then one row per step into buffers with room to spare.
    expect(passes).toHaveLength(STEPS);
    expect(passes[0]).toMatchObject({ mask: inputIds.length, rows: inputIds.length });
    expect(passes[0]!.past[3]).toBe(0);
    for (const [step, feed] of passes.slice(1).entries()) {
      expect(feed.mask).toBe(inputIds.length + step + 1);
      expect(feed.rows).toBe(1);
      expect(feed.past[3]).toBeGreaterThanOrEqual(inputIds.length + step); // the buffer (the cache and its spare room), not a cache-sized copy
    }
    // Fed with under a step of spare room, widened as the answer grows (the last checked step comes after it).
    const rooms = new Set(passes.slice(1).map((feed) => feed.past[3]!));
    expect(rooms.size).toBeGreaterThan(1);
    for (const [step, feed] of passes.slice(1).entries()) expect(feed.past[3]! - (inputIds.length + step)).toBeLessThanOrEqual(ROOM_STEP);
    for (const step of [0, 1, 7, STEPS - 1]) {
      const sequence = new BigInt64Array(inputIds.length + step);
      sequence.set(inputIds);
      sequence.set(ids.slice(0, step).map(BigInt), inputIds.length);
      const want = await uncached(sequence);
      let best = 0;
      for (let i = 1; i < want.length; i++) if (want[i]! > want[best]!) best = i;
      expect(ids[step], `step ${step}`).toBe(best);
      const got = passes[step]!.logits;
      let diff = 0;
      for (let i = 0; i < want.length; i++) diff = Math.max(diff, Math.abs(want[i]! - got[got.length - want.length + i]!));
      expect(diff, `step ${step}`).toBeLessThan(1e-4);
    }
  }, 180_000);
});
