"""Hugging Face's pixel_values and image_grid_thw for image files, as the app must reproduce them.

The image processor that transformers loads for a Qwen3-VL folder (without
torchvision: Qwen2VLImageProcessorPil) is called with the image *paths*, so it
reads them as Qwen3VLProcessor does for a path: fetch_images -> load_image
(PIL.Image.open, ImageOps.exif_transpose, convert("RGB")), then convert_to_rgb,
smart_resize, PIL BICUBIC, rescale, normalise, patchify. The app's pixel cap is
applied the way the app applies it: size.longest_edge = min(the model's, cap).

Usage:
  python scripts/parity/hf_pixels.py --model <folder | preprocessor_config.json> \
      --max-pixels N --out <dir> image [image ...]
Writes <out>/<i>.npy (pixel_values, float32 [patches, 3*T*P*P]) per image, in
argument order, and <out>/index.json: [{file, grid: [t, h, w], processor, size}].
An image HF refuses (e.g. aspect ratio over 200) gets {"error": "..."} instead.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import warnings


def load_processor(model: str):
    from transformers import AutoImageProcessor

    if os.path.isdir(model):
        return AutoImageProcessor.from_pretrained(model)
    # A bare preprocessor_config.json: give it a folder of its own.
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(model, os.path.join(folder, "preprocessor_config.json"))
        return AutoImageProcessor.from_pretrained(folder)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", required=True, help="model folder or its preprocessor_config.json")
    p.add_argument("--max-pixels", type=int, required=True, help="the app's pixel cap, applied on top of the model's")
    p.add_argument("--out", required=True)
    p.add_argument("images", nargs="+")
    a = p.parse_args()
    warnings.filterwarnings("ignore")
    import numpy as np

    processor = load_processor(a.model)
    size = dict(processor.size)
    shortest = size["shortest_edge"]
    longest = min(size["longest_edge"], a.max_pixels)
    os.makedirs(a.out, exist_ok=True)
    index = []
    for i, file in enumerate(a.images):
        entry = {"file": file, "processor": type(processor).__name__, "size": [shortest, longest]}
        try:
            out = processor(images=[file], size={"shortest_edge": shortest, "longest_edge": longest}, return_tensors="np")
        except ValueError as err:
            entry["error"] = str(err).split("\n")[0]
        else:
            np.save(os.path.join(a.out, f"{i}.npy"), np.ascontiguousarray(out["pixel_values"], dtype=np.float32))
            entry["grid"] = [int(v) for v in out["image_grid_thw"][0]]
        index.append(entry)
    with open(os.path.join(a.out, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
    print(f"hf_pixels: {type(processor).__name__}, pixels {shortest}..{longest}, {len(index)} images -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
