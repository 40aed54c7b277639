"""The non-ONNX files of a transformers.js model folder, with the keys transformers.js 4.x needs.

Learned the hard way (see /work/shared/EGM.md "Seen working"): config.json needs model_type
qwen3_vl, text_config.model_type qwen3_vl_text, image_token_id and vision_start_token_id (without
the latter it silently falls back to 1-D positions); preprocessor_config.json needs
processor_class Qwen3VLProcessor, image_processor_type Qwen2VLImageProcessor and
do_normalize true (the JS default is false); tokenizer_config.json must carry a chat template
that emits <|vision_start|><|image_pad|><|vision_end|> for an image.
"""

import json
import os
import shutil
import tempfile

from egm_onnx_graphs import deepstack_count
from egm_onnx_io import GRAPHS

PREPROCESSOR_DEFAULTS = {
    "do_resize": True,
    "do_rescale": True,
    "rescale_factor": 1 / 255,
    "do_normalize": True,
    "image_mean": [0.5, 0.5, 0.5],
    "image_std": [0.5, 0.5, 0.5],
    "do_convert_rgb": True,
    "patch_size": 16,
    "merge_size": 2,
    "temporal_patch_size": 2,
    "size": {"shortest_edge": 65536, "longest_edge": 16777216},
}


def _dump(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=2, ensure_ascii=False)
        f.write("\n")


def config_json(model):
    cfg = json.loads(model.config.to_json_string(use_diff=False))
    hidden = int(model.config.text_config.hidden_size)
    layers = deepstack_count(model.config)
    cfg["architectures"] = ["Qwen3VLForConditionalGeneration"]
    cfg["model_type"] = "qwen3_vl"
    cfg["text_config"]["model_type"] = "qwen3_vl_text"
    cfg.setdefault("image_token_id", 151655)
    cfg.setdefault("vision_start_token_id", 151652)
    # One external-data chunk per graph, for every dtype (keys are the graph base names).
    cfg["transformers.js_config"] = {"use_external_data_format": {g: 1 for g in GRAPHS}}
    cfg["egm_export"] = {
        "format": 1,
        "deepstack_layers": layers,
        "hidden_size": hidden,
        "embedding_width": hidden * (1 + layers),
        "layout": "inputs_embeds/image_features = [token or merger embedding | deepstack_0 | ... ]; "
        "the decoder adds deepstack_k after decoder layer k",
        "vision_encoder_images_per_call": 1,
    }
    return cfg


def preprocessor_json(processor):
    base = json.loads(processor.image_processor.to_json_string())
    merged = {**PREPROCESSOR_DEFAULTS, **{k: v for k, v in base.items() if k in PREPROCESSOR_DEFAULTS or k in ("min_pixels", "max_pixels")}}
    merged["do_normalize"] = True
    merged["processor_class"] = "Qwen3VLProcessor"
    merged["image_processor_type"] = "Qwen2VLImageProcessor"
    return merged


def write_support_files(out, model, processor, args):
    """Writes the JSON/tokenizer files; returns their paths relative to `out`."""
    written = []
    _dump(os.path.join(out, "config.json"), config_json(model))
    written.append("config.json")
    model.generation_config.to_json_file(os.path.join(out, "generation_config.json"))
    written.append("generation_config.json")
    _dump(os.path.join(out, "preprocessor_config.json"), preprocessor_json(processor))
    written.append("preprocessor_config.json")
    template = getattr(processor, "chat_template", None) or getattr(processor.tokenizer, "chat_template", None)
    if not template or "<|image_pad|>" not in template:
        raise SystemExit("export: the checkpoint's chat template has no <|image_pad|>: transformers.js could not place the image")
    with tempfile.TemporaryDirectory() as tmp:
        processor.tokenizer.save_pretrained(tmp)
        for name in ("tokenizer.json", "tokenizer_config.json"):
            if not os.path.exists(os.path.join(tmp, name)):
                raise SystemExit(f"export: the tokenizer did not write {name} (a fast tokenizer is needed)")
            shutil.copyfile(os.path.join(tmp, name), os.path.join(out, name))
            written.append(name)
    with open(os.path.join(out, "tokenizer_config.json")) as f:
        tok_cfg = json.load(f)
    tok_cfg["chat_template"] = template  # transformers.js reads the template from here
    _dump(os.path.join(out, "tokenizer_config.json"), tok_cfg)
    with open(os.path.join(out, "chat_template.jinja"), "w") as f:
        f.write(template)
    written.append("chat_template.jinja")
    return written
