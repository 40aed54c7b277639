// The JSON and tokenizer files of a transformers.js model folder, from the
// checkpoint's own, with the keys transformers.js 4.x needs for qwen3_vl
// (shared/EGM.md, "Running it in Node"): model_type qwen3_vl and
// text_config.model_type qwen3_vl_text, image_token_id and
// vision_start_token_id (without it, positions silently fall back to 1-D),
// processor_class and image_processor_type, do_normalize true (false by
// default in JS), and a chat template that places <|image_pad|>.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KV_CACHE } from '@core/egm/decoder-contract';
import { embeddingWidth } from './qwen3vl-text';
import type { Qwen3VlConfig } from './qwen3vl-config';

export const GRAPHS = ['vision_encoder', 'embed_tokens', 'decoder_model_merged'] as const;

/** Qwen3-VL's image processor values (what its checkpoints' preprocessor_config.json holds). */
export const PREPROCESSOR_DEFAULTS = {
  do_resize: true,
  do_rescale: true,
  rescale_factor: 1 / 255,
  do_normalize: true,
  image_mean: [0.5, 0.5, 0.5],
  image_std: [0.5, 0.5, 0.5],
  do_convert_rgb: true,
  patch_size: 16,
  merge_size: 2,
  temporal_patch_size: 2,
  size: { shortest_edge: 65536, longest_edge: 16777216 },
};

const json = (path: string, value: unknown) => writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

/** The checkpoint's chat template: chat_template.jinja, chat_template.json, or tokenizer_config.json's. */
function chatTemplate(src: string): string {
  if (existsSync(join(src, 'chat_template.jinja'))) return readFileSync(join(src, 'chat_template.jinja'), 'utf8');
  if (existsSync(join(src, 'chat_template.json'))) return String(readJson(join(src, 'chat_template.json')).chat_template ?? '');
  return String(readJson(join(src, 'tokenizer_config.json')).chat_template ?? '');
}

/** The preprocessor_config.json transformers.js needs, from a checkpoint's own (its pixel bounds kept). */
export function preprocessorConfig(base: Record<string, unknown> = {}): Record<string, unknown> {
  const kept = Object.fromEntries(Object.entries(base).filter(([k]) => k in PREPROCESSOR_DEFAULTS || k === 'min_pixels' || k === 'max_pixels'));
  return { ...PREPROCESSOR_DEFAULTS, ...kept, do_normalize: true, processor_class: 'Qwen3VLProcessor', image_processor_type: 'Qwen2VLImageProcessor' };
}

/** Writes config, generation, preprocessor and tokenizer files into `out`; returns their names. */
export function writeSupportFiles(src: string, out: string, cfg: Qwen3VlConfig): string[] {
  for (const name of ['tokenizer.json', 'tokenizer_config.json']) {
    if (!existsSync(join(src, name))) throw new Error(`${src}: ${name} missing (the builder needs the checkpoint's fast tokenizer)`);
  }
  const template = chatTemplate(src);
  if (!template.includes('<|image_pad|>')) throw new Error(`${src}: the chat template has no <|image_pad|>: the app could not place the image`);
  const config = structuredClone(cfg.raw) as Record<string, unknown> & { text_config: Record<string, unknown> };
  config.architectures = ['Qwen3VLForConditionalGeneration'];
  config.model_type = 'qwen3_vl';
  config.text_config = { ...config.text_config, model_type: 'qwen3_vl_text' };
  // transformers.js sizes the kv cache by head_dim; a config without one means hidden_size / heads.
  config.text_config.head_dim ??= cfg.text.headDim;
  config.image_token_id ??= 151655;
  config.vision_start_token_id ??= 151652;
  // One external-data chunk per graph, for every dtype (keys are the graph base names).
  config['transformers.js_config'] = { use_external_data_format: Object.fromEntries(GRAPHS.map((g) => [g, 1])) };
  config.egm_export = {
    format: 1,
    builder: 'egm model build',
    deepstack_layers: cfg.vision.deepstack.length,
    hidden_size: cfg.text.hidden,
    embedding_width: embeddingWidth(cfg),
    layout: 'inputs_embeds/image_features = [token or merger embedding | deepstack_0 | ... ]; the decoder adds deepstack_k after decoder layer k',
    vision_encoder_images_per_call: 1,
    // The decoder's cache contract (qwen3vl-text.ts): past_key_values.* are engine-owned buffers, present.* this pass's rows.
    kv_cache: KV_CACHE,
  };
  json(join(out, 'config.json'), config);
  const written = ['config.json'];
  if (existsSync(join(src, 'generation_config.json'))) {
    copyFileSync(join(src, 'generation_config.json'), join(out, 'generation_config.json'));
    written.push('generation_config.json');
  }
  const base = existsSync(join(src, 'preprocessor_config.json')) ? readJson(join(src, 'preprocessor_config.json')) : {};
  json(join(out, 'preprocessor_config.json'), preprocessorConfig(base));
  written.push('preprocessor_config.json');
  copyFileSync(join(src, 'tokenizer.json'), join(out, 'tokenizer.json'));
  // transformers.js reads the template from tokenizer_config.json.
  json(join(out, 'tokenizer_config.json'), { ...readJson(join(src, 'tokenizer_config.json')), chat_template: template });
  writeFileSync(join(out, 'chat_template.jinja'), template);
  written.push('tokenizer.json', 'tokenizer_config.json', 'chat_template.jinja');
  return written;
}
