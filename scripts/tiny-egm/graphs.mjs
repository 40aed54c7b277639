// The three ONNX graphs of a transformers.js Qwen3-VL export, shrunk to a few
// nodes each. Names, ranks and symbolic dimensions match a real export (see
// EGM.md, "Running it in Node"), so the real loader, processor, cache handling
// and generate loop all run unchanged; only the numbers inside are fake.
import { model, node, tensor, valueInfo } from './onnx-proto.mjs';

export const HIDDEN = 16;
export const VOCAB = 151936;
/** temporal_patch_size · 3 channels · patch 16 · 16. */
export const PATCH_DIM = 2 * 3 * 16 * 16;
/** merge 2 × 2: four patches make one visual token. */
const MERGE = 4;

/** pixel_values [patches, 1536] → image_features [patches/4, HIDDEN]: the first HIDDEN values of each merged group. */
export function visionEncoder() {
  return model({
    name: 'tiny_vision_encoder',
    inputs: [valueInfo('pixel_values', 'float', ['num_patches', PATCH_DIM]), valueInfo('image_grid_thw', 'int64', ['num_images', 3])],
    outputs: [valueInfo('image_features', 'float', ['num_features', HIDDEN])],
    initializers: [
      tensor('merged_shape', 'int64', [2], [-1, PATCH_DIM * MERGE]),
      tensor('zero', 'int64', [1], [0]),
      tensor('hidden', 'int64', [1], [HIDDEN]),
      tensor('one', 'int64', [1], [1]),
    ],
    nodes: [
      node('Reshape', ['pixel_values', 'merged_shape'], ['merged']),
      node('Slice', ['merged', 'zero', 'hidden', 'one'], ['image_features']),
    ],
  });
}

/** input_ids [b, s] → inputs_embeds [b, s, HIDDEN]: the id as a float, repeated (no 10 MB table). */
export function embedTokens() {
  return model({
    name: 'tiny_embed_tokens',
    inputs: [valueInfo('input_ids', 'int64', ['batch_size', 'sequence_length'])],
    outputs: [valueInfo('inputs_embeds', 'float', ['batch_size', 'sequence_length', HIDDEN])],
    initializers: [tensor('last_axis', 'int64', [1], [-1]), tensor('ones', 'float', [HIDDEN], new Array(HIDDEN).fill(1))],
    nodes: [
      node('Cast', ['input_ids'], ['ids_f'], { to: 1 }),
      node('Unsqueeze', ['ids_f', 'last_axis'], ['ids_col']),
      node('Mul', ['ids_col', 'ones'], ['inputs_embeds']),
    ],
  });
}

/**
 * The decoder writes the scripted `tokens` one per pass, whatever the prompt:
 * each pass appends `sequence_length` copies of that number to the one-layer
 * KV cache, so the cache's first entry holds the prompt length L, and the
 * current step is cache length − L (0 on the prefill pass). Logits are a
 * one-hot (×100) of tokens[min(step, last)] for the last position only, and
 * next_token their ArgMax, as the builder's decoders give it (the engine's
 * greedy loop fetches that instead of the logits).
 */
export function decoder(tokens) {
  const kvDims = (seq) => ['batch_size', 1, seq, 1];
  return model({
    name: 'tiny_decoder_model_merged',
    inputs: [
      valueInfo('inputs_embeds', 'float', ['batch_size', 'sequence_length', HIDDEN]),
      valueInfo('attention_mask', 'int64', ['batch_size', 'total_sequence_length']),
      valueInfo('position_ids', 'int64', [3, 'batch_size', 'sequence_length']),
      valueInfo('past_key_values.0.key', 'float', kvDims('past_sequence_length')),
      valueInfo('past_key_values.0.value', 'float', kvDims('past_sequence_length')),
    ],
    outputs: [
      valueInfo('logits', 'float', ['batch_size', 1, VOCAB]),
      valueInfo('next_token', 'int64', ['batch_size', 1]),
      valueInfo('present.0.key', 'float', kvDims('total_sequence_length')),
      valueInfo('present.0.value', 'float', kvDims('total_sequence_length')),
    ],
    initializers: [
      tensor('i0', 'int64', [], [0]),
      tensor('i1', 'int64', [], [1]),
      tensor('i2', 'int64', [], [2]),
      tensor('axis0', 'int64', [1], [0]),
      tensor('one_1d', 'int64', [1], [1]),
      tensor('corner_start', 'int64', [4], [0, 0, 0, 0]),
      tensor('corner_end', 'int64', [4], [1, 1, 1, 1]),
      tensor('scalar_shape', 'int64', [0], []),
      tensor('last_step', 'int64', [], [tokens.length - 1]),
      tensor('script', 'int64', [tokens.length], tokens),
      tensor('vocab', 'int64', [], [VOCAB]),
      tensor('logits_shape', 'int64', [3], [1, 1, VOCAB]),
      tensor('peak', 'float', [], [100]),
    ],
    nodes: [
      // New cache rows: [b, 1, s, 1] filled with s.
      node('Shape', ['inputs_embeds'], ['embeds_shape']),
      node('Gather', ['embeds_shape', 'i0'], ['batch']),
      node('Gather', ['embeds_shape', 'i1'], ['seq']),
      node('Unsqueeze', ['batch', 'axis0'], ['batch_1d']),
      node('Unsqueeze', ['seq', 'axis0'], ['seq_1d']),
      node('Concat', ['batch_1d', 'one_1d', 'seq_1d', 'one_1d'], ['rows_shape'], { axis: 0 }),
      node('Cast', ['seq'], ['seq_f'], { to: 1 }),
      node('Expand', ['seq_f', 'rows_shape'], ['rows']),
      node('Concat', ['past_key_values.0.key', 'rows'], ['present.0.key'], { axis: 2 }),
      node('Concat', ['past_key_values.0.value', 'rows'], ['present.0.value'], { axis: 2 }),
      // step = cache length − prompt length (stored in the first cache entry).
      node('Slice', ['present.0.key', 'corner_start', 'corner_end'], ['corner']),
      node('Reshape', ['corner', 'scalar_shape'], ['prompt_len_f']),
      node('Cast', ['prompt_len_f'], ['prompt_len'], { to: 7 }),
      node('Shape', ['present.0.key'], ['cache_shape']),
      node('Gather', ['cache_shape', 'i2'], ['cache_len']),
      node('Sub', ['cache_len', 'prompt_len'], ['step']),
      node('Min', ['step', 'last_step'], ['index']),
      node('Gather', ['script', 'index'], ['token']),
      // One-hot logits without a vocab-sized constant: range(vocab) == token,
      // scaled so that sampling (temperature 0.6, top-k 20) also picks the token.
      node('Range', ['i0', 'vocab', 'i1'], ['ids']),
      node('Equal', ['ids', 'token'], ['hot']),
      node('Cast', ['hot'], ['hot_f'], { to: 1 }),
      node('Mul', ['hot_f', 'peak'], ['scaled']),
      node('Reshape', ['scaled', 'logits_shape'], ['logits']),
      node('ArgMax', ['logits'], ['next_token'], { axis: -1, keepdims: 0 }),
    ],
  });
}
