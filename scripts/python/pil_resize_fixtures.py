"""Writes test/fixtures/pil-resize/cases.json: Pillow's own BICUBIC resize of small
images, for test/unit/pil-resize.test.ts (which must match it byte for byte).

Run with the parity venv (bash scripts/setup-python.sh):
  .venv-parity/bin/python scripts/python/pil_resize_fixtures.py
Inputs are seeded noise with hard edges (every tap and the clipping matter);
targets cover up- and downscaling, one axis only, both pass orders (Pillow 13
runs the vertical pass first when the height shrinks by over twice as many
pixels as the width) and 1, 3 and 4 channels.
"""

import base64
import json
import os

import numpy as np
import PIL
from PIL import Image

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "pil-resize", "cases.json")
MODES = {1: "L", 3: "RGB", 4: "RGBA"}


def source(seed: int, width: int, height: int, channels: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 256, (height, width, channels), dtype=np.uint8)
    a[:, : width // 3] = np.where(a[:, : width // 3] > 127, 255, 0)  # hard edges: overshoot and clipping
    return a


def main() -> None:
    sources = [(1, 41, 29, 3), (2, 37, 23, 1), (3, 19, 31, 4)]
    targets = {
        (41, 29, 3): [(64, 64), (20, 14), (41, 12), (100, 29), (7, 3), (1, 1), (40, 5), (60, 10), (13, 28), (82, 58)],
        (37, 23, 1): [(16, 16), (74, 9), (37, 50), (5, 22)],
        (19, 31, 4): [(38, 62), (9, 15), (19, 4)],
    }
    inputs = []
    cases = []
    for index, (seed, width, height, channels) in enumerate(sources):
        a = source(seed, width, height, channels)
        inputs.append({"width": width, "height": height, "channels": channels, "data": base64.b64encode(a.tobytes()).decode()})
        # RGBA would be premultiplied by Image.resize; RGBX resizes the four bands as they are.
        im = Image.frombytes("RGBX" if channels == 4 else MODES[channels], (width, height), a.tobytes())
        for ow, oh in targets[(width, height, channels)]:
            out = im.resize((ow, oh), Image.Resampling.BICUBIC)
            cases.append({"input": index, "outWidth": ow, "outHeight": oh, "expected": base64.b64encode(out.tobytes()).decode()})
    with open(OUT, "w") as f:
        json.dump({"pillow": PIL.__version__, "inputs": inputs, "cases": cases}, f, indent=0)
    print(f"{len(cases)} cases (Pillow {PIL.__version__}) -> {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
