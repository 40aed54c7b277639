// Our decode loop against transformers.js' generate() on the tiny model's real
// onnxruntime sessions: the same ids, and the decoder fed the same inputs at
// every step (rope positions, mask length, cache length, embeddings). Also the
// cached prompt ids against tokenising the whole rendered chat.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { Tensor } from '@huggingface/transformers';
import { loadLocalModel, type LoadedModel } from '../../electron/engine/local/load-model';
import { decodeTokens } from '../../electron/engine/local/decode-loop';
import type { SamplingSettings } from '../../electron/engine/local/next-token';
import { loadVisionInput, visionConfigFrom, type VisionInput } from '../../electron/engine/local/vision-input';
import { PromptIds, chatRenderer, promptIdsUncached, type ChatTokenizer } from '../../electron/engine/local/prompt-ids';
import { buildPrompt } from '@core/egm/prompt';
import { REPO_ROOT, tinyModelDir } from '../helpers/tiny-model';

type Feed = Record<string, { dims: readonly number[]; data: ArrayLike<unknown> }>;
interface Step {
  /** The outputs the pass asked for (undefined: all of them). */
  fetches: string[] | undefined;
  position: string[];
  mask: number;
  past: number[];
  embeds: number[];
}

describe('decode loop vs generate() on the tiny model', () => {
  let loaded: LoadedModel;
  let image: VisionInput;
  let inputIds: BigInt64Array;
  let steps: Step[] = [];
  let promptIds: PromptIds;

  beforeAll(async () => {
    loaded = await loadLocalModel({ modelDir: await tinyModelDir(), device: 'cpu' });
    const decoder = (loaded.model.sessions as Record<string, { run: (feeds: Feed, fetches?: string[]) => Promise<unknown> }>).decoder_model_merged!;
    const run = decoder.run.bind(decoder);
    // Records what each decoder pass is fed (copies: the arrays may be reused) and asks for.
    decoder.run = (feeds: Feed, fetches?: string[]) => {
      steps.push({
        fetches: fetches && [...fetches],
        position: Array.from(feeds.position_ids!.data, String),
        mask: feeds.attention_mask!.dims[1]!,
        past: [...feeds['past_key_values.0.key']!.dims],
        embeds: Array.from(feeds.inputs_embeds!.data as Float32Array).slice(-16),
      });
      return run(feeds, fetches);
    };
    const cfg = visionConfigFrom((loaded.processor.image_processor as unknown as { config: Record<string, unknown> }).config);
    image = await loadVisionInput(resolve(REPO_ROOT, 'assets/samples/messi5.jpg'), cfg, 300_000);
    promptIds = new PromptIds(chatRenderer(loaded.processor as never), loaded.processor.tokenizer as unknown as ChatTokenizer);
    inputIds = promptIds.ids(buildPrompt({ phrase: 'the ball', kind: 'visible' }), image.visualTokens);
  });
  afterAll(async () => {
    await loaded?.model.dispose();
  });

  async function reference(maxNewTokens: number): Promise<{ ids: number[]; steps: Step[] }> {
    steps = [];
    const n = inputIds.length;
    const out = (await loaded.model.generate({
      input_ids: new Tensor('int64', inputIds, [1, n]),
      attention_mask: new Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
      pixel_values: image.pixelValues,
      image_grid_thw: image.imageGridThw,
      max_new_tokens: maxNewTokens,
      do_sample: false,
    } as never)) as Tensor;
    return { ids: Array.from(out.data as BigInt64Array).slice(n).map(Number), steps };
  }
  async function ours(maxNewTokens: number, shouldStop?: () => boolean, sampling?: SamplingSettings): Promise<{ ids: number[]; steps: Step[] }> {
    steps = [];
    const ids = await decodeTokens(
      loaded.model,
      { inputIds, pixelValues: image.pixelValues, imageGridThw: image.imageGridThw },
      { maxNewTokens, ...(shouldStop ? { shouldStop } : {}), ...(sampling ? { sampling } : {}) },
    );
    return { ids, steps };
  }
  /** The steps without what they asked for (generate() fetches everything). */
  const fed = (list: Step[]) => list.map(({ fetches: _, ...rest }) => rest);

  it('gives the same ids and feeds the decoder the same inputs at every step', async () => {
    const want = await reference(512);
    const got = await ours(512);
    expect(want.ids.length).toBeGreaterThan(100);
    expect(got.ids).toEqual(want.ids);
    expect(got.ids.at(-1)).toBe(151645); // stopped on <|im_end|>
    expect(got.steps).toHaveLength(want.steps.length);
    expect(fed(got.steps)).toEqual(fed(want.steps));
    // Real 3-D rope: after the image, positions are shifted by rope_delta (< 0), the same on all three axes.
    const second = got.steps[1]!;
    expect(new Set(second.position).size).toBe(1);
    expect(Number(second.position[0])).toBeLessThan(inputIds.length);
  });

  it('stops at the token budget exactly as generate() does', async () => {
    const want = await reference(7);
    const got = await ours(7);
    expect(got.ids).toHaveLength(7);
    expect(got.ids).toEqual(want.ids);
    expect(fed(got.steps)).toEqual(fed(want.steps));
  });

  it('greedy steps fetch the graph’s next_token instead of the logits; sampled steps fetch the logits', async () => {
    const greedy = await ours(12);
    // The prefill is transformers.js' own pass (all outputs); every later step asks for next_token, not logits.
    for (const step of greedy.steps.slice(1)) {
      expect(step.fetches).toContain('next_token');
      expect(step.fetches).toContain('present.0.key');
      expect(step.fetches).not.toContain('logits');
    }
    expect(greedy.ids).toEqual((await reference(12)).ids);
    const sampled = await ours(12, undefined, { temperature: 0.6, topK: 20, topP: 0.95 });
    expect(sampled.steps.length).toBeGreaterThan(1);
    for (const step of sampled.steps.slice(1)) expect(step.fetches).toBeUndefined();
    // The scripted model's logits are one-hot ×100: sampling picks the same tokens.
    expect(sampled.ids).toEqual(greedy.ids);
  });

  it('stops after the token on which the interrupt flag is seen', async () => {
    let calls = 0;
    const got = await ours(512, () => ++calls >= 3);
    expect(got.ids).toHaveLength(3);
    expect(got.steps).toHaveLength(3);
  });

  it('cached prompt ids equal tokenising the whole rendered chat', () => {
    const render = chatRenderer(loaded.processor as never);
    const tokenizer = loaded.processor.tokenizer as unknown as ChatTokenizer;
    const prompts = [
      buildPrompt({ phrase: 'the lime partly hidden behind the orange', kind: 'visible' }),
      buildPrompt({ phrase: 'the man', kind: 'amodal', point0to1000: [12, 987] }),
      buildPrompt({ phrase: 'la tête du “chien” à gauche — 犬', kind: 'visible' }),
      buildPrompt({ phrase: 'a <|im_end|> token typed by the user', kind: 'visible' }),
    ];
    for (const prompt of prompts) {
      for (const visualTokens of [1, 972]) {
        expect(Array.from(promptIds.ids(prompt, visualTokens))).toEqual(Array.from(promptIdsUncached(render, tokenizer, prompt, visualTokens)));
      }
    }
  });
});
