#!/usr/bin/env python3
"""Hugging Face's own answer for each parity image: what `npm run parity` holds the app to.

  .venv-parity/bin/python scripts/parity/hf_reference.py --model <checkpoint> --manifest <m.json> --out <dir>

The manifest is a JSON list of {"name", "file", "prompt"}; `prompt` is the user text the
app builds for that query (its prompt builder is unit-tested against EGM.md separately).
Per image, exactly as transformers runs Qwen3-VL: `load_image` (EXIF applied), the
checkpoint's chat template with one image item then the text, the processor (image
processor + image-token expansion + tokenizer) with the pixel cap the app uses, then
`generate(do_sample=False)` on the PyTorch model in float32. Writes into --out:
  <name>.json          {grid, input_ids, position_ids [3][L], rope_delta, tokens, text, image_size}
  <name>.pixels.npy    pixel_values float32 [patches, C*T*P*P]
  <name>.logits.npy    logits of the first generated position, float32 [vocab]
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True)
    p.add_argument("--manifest", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--max-pixels", type=int, required=True, help="the app's pixel cap (applied as size.longest_edge)")
    p.add_argument("--steps", type=int, default=32)
    a = p.parse_args(argv)

    import numpy as np
    import torch
    from transformers import Qwen3VLForConditionalGeneration
    from transformers.image_utils import load_image

    from egm_processor import load_processor

    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    processor = load_processor(a.model)
    model = Qwen3VLForConditionalGeneration.from_pretrained(a.model, dtype=torch.float32, attn_implementation="eager").eval()
    size = dict(processor.image_processor.size)
    shortest = size.get("shortest_edge") or size.get("min_pixels")
    longest = min(size.get("longest_edge") or size.get("max_pixels"), a.max_pixels)
    with open(a.manifest) as f:
        items = json.load(f)
    os.makedirs(a.out, exist_ok=True)
    print(f"hf reference: {type(processor.image_processor).__name__}, pixels {shortest}..{longest}, {len(items)} images", file=sys.stderr)
    for item in items:
        image = load_image(item["file"])
        messages = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": item["prompt"]}]}]
        text = processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        inputs = processor(text=[text], images=[image], size={"shortest_edge": shortest, "longest_edge": longest}, return_tensors="pt")
        with torch.no_grad():
            pos, delta = model.model.get_rope_index(
                inputs["input_ids"], inputs["mm_token_type_ids"], inputs["image_grid_thw"], None, attention_mask=inputs["attention_mask"]
            )
            gen = model.generate(
                **inputs, max_new_tokens=a.steps, do_sample=False, num_beams=1, output_logits=True, return_dict_in_generate=True
            )
        prompt_len = inputs["input_ids"].shape[1]
        name = item["name"]
        np.save(os.path.join(a.out, f"{name}.pixels.npy"), inputs["pixel_values"].float().numpy())
        np.save(os.path.join(a.out, f"{name}.logits.npy"), gen.logits[0][0].float().numpy())
        with open(os.path.join(a.out, f"{name}.json"), "w") as f:
            json.dump(
                {
                    "grid": inputs["image_grid_thw"][0].tolist(),
                    "input_ids": inputs["input_ids"][0].tolist(),
                    "position_ids": pos[:, 0].tolist(),
                    "rope_delta": int(delta.reshape(-1)[0]),
                    "tokens": gen.sequences[0, prompt_len:].tolist(),
                    "text": processor.tokenizer.decode(gen.sequences[0, prompt_len:], skip_special_tokens=True),
                    "image_size": list(image.size),
                },
                f,
            )
        print(f"hf reference: {name} grid {inputs['image_grid_thw'][0].tolist()} prompt {prompt_len} tokens", file=sys.stderr)


if __name__ == "__main__":
    main()
