// JSON files of the tiny model folder. Every key here is one that
// transformers.js reads for qwen3_vl (EGM.md, "Seen working on this kind of
// machine"); missing vision_start_token_id or do_normalize fail silently.
import { preprocessorConfig } from '../../electron/models/onnx-builder/support-files.ts';

export const TOKENS = {
  endOfText: 151643,
  imStart: 151644,
  imEnd: 151645,
  visionStart: 151652,
  visionEnd: 151653,
  imagePad: 151655,
  videoPad: 151656,
  think: 151667,
  endThink: 151668,
};

export function configJson({ hidden, vocab, version }) {
  return {
    architectures: ['Qwen3VLForConditionalGeneration'],
    model_type: 'qwen3_vl',
    image_token_id: TOKENS.imagePad,
    video_token_id: TOKENS.videoPad,
    vision_start_token_id: TOKENS.visionStart,
    vision_end_token_id: TOKENS.visionEnd,
    tie_word_embeddings: false,
    text_config: {
      model_type: 'qwen3_vl_text',
      hidden_size: hidden,
      num_hidden_layers: 1,
      num_attention_heads: 1,
      num_key_value_heads: 1,
      head_dim: 1,
      vocab_size: vocab,
      bos_token_id: TOKENS.endOfText,
      eos_token_id: TOKENS.imEnd,
      rope_scaling: { mrope_interleaved: true, mrope_section: [24, 20, 20], rope_type: 'default' },
    },
    vision_config: {
      model_type: 'qwen3_vl',
      patch_size: 16,
      spatial_merge_size: 2,
      temporal_patch_size: 2,
      out_hidden_size: hidden,
    },
    // Marks the folder as generated (and which generator made it), so nobody mistakes it for real weights.
    egm_tiny_test_model: version,
  };
}

/** Qwen3-VL's preprocessor_config.json, as the model builder writes it for a real checkpoint. */
export function preprocessorConfigJson() {
  return preprocessorConfig();
}

/**
 * The Qwen3-VL Thinking chat template, reduced to what grounding uses: system,
 * user and assistant turns whose content is a string or a list of
 * {type:'image'} / {type:'text', text} items, and the thinking generation prompt.
 */
export const CHAT_TEMPLATE = [
  '{%- for message in messages %}',
  '{{- "<|im_start|>" + message.role + "\\n" }}',
  '{%- if message.content is string %}{{- message.content }}',
  '{%- else %}{%- for item in message.content %}',
  "{%- if item.type == 'image' or item.type == 'image_url' %}{{- '<|vision_start|><|image_pad|><|vision_end|>' }}",
  "{%- elif item.type == 'video' %}{{- '<|vision_start|><|video_pad|><|vision_end|>' }}",
  "{%- elif item.type == 'text' %}{{- item.text }}{%- endif %}",
  '{%- endfor %}{%- endif %}',
  '{{- "<|im_end|>\\n" }}',
  '{%- endfor %}',
  "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n<think>\\n' }}{%- endif %}",
].join('');

export function tokenizerConfigJson(base) {
  return { ...base, chat_template: CHAT_TEMPLATE };
}
