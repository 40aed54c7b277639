// What the builder's decoder graphs promise the local engine, named once for
// both sides (onnx-builder/qwen3vl-text.ts writes it, engine/local/decode-loop.ts
// reads it). Pure: names only.

/** config.json egm_export.kv_cache of a decoder that returns each pass's cache rows only (the contract: qwen3vl-text.ts). */
export const KV_CACHE = 'rows-v1';

/** The decoder's greedy output: ArgMax of the last position's logits, [batch, 1] int64. */
export const NEXT_TOKEN = 'next_token';
