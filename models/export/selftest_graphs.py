#!/usr/bin/env python3
"""Checks egm_onnx_graphs.py and the ONNX export without transformers (torch + onnx only).

  python models/export/selftest_graphs.py [--out /tmp/egm-selftest] [--steps 8]

1. the traceable wrappers, run eagerly, against an independent HF-style reference forward
   (selftest_mock.py) on a grid and prompt length different from the ones traced with;
2. the exported fp32 graphs, run the way transformers.js runs them (onnxruntime in Python when
   installed; otherwise the inputs and expected outputs are written to <out>/case.json for
   another runtime, e.g. onnxruntime-node).
"""

import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from egm_onnx_graphs import Decoder, EmbedTokens, VisionEncoder  # noqa: E402
from egm_onnx_io import export_graphs  # noqa: E402
from selftest_mock import EOS, IMAGE, VEND, VSTART, build, greedy_reference, rope_index, vision_reference  # noqa: E402


def log(msg):
    print(msg, flush=True)


@torch.no_grad()
def wrappers_greedy(model, ids, pixels, grid, steps):
    """The pipeline transformers.js runs, on the torch wrappers: scatter, prefill, cached steps."""
    vis, emb_mod, dec = VisionEncoder(model.model.visual), EmbedTokens(model.model.language_model.embed_tokens, 128), Decoder(model)
    feats = vis(pixels, grid)
    emb = emb_mod(torch.tensor([ids]))
    emb[0, torch.tensor(ids) == IMAGE] = feats
    pos, delta = rope_index(ids, grid)
    past = [torch.zeros(1, 2, 0, 16) for _ in range(2 * len(dec.layers))]
    out = dec(emb, torch.ones(1, len(ids), dtype=torch.int64), pos, *past)
    first, tokens, length = out[0][0, -1], [], len(ids)
    for step in range(steps):
        tok = int(out[0][0, -1].argmax())
        tokens.append(tok)
        if tok == EOS or step == steps - 1:
            break
        out = dec(emb_mod(torch.tensor([[tok]])), torch.ones(1, length + 1, dtype=torch.int64), torch.full((3, 1, 1), length + delta), *out[1:])
        length += 1
    return feats, first, tokens


def compare_js(model, path):
    """transformers.js's own inputs (its processor, its chat template) through the reference."""
    with open(path) as f:
        dump = json.load(f)
    pixels = torch.tensor(dump["pixel_values"], dtype=torch.float32).view(*dump["pixel_dims"])
    grid = torch.tensor(dump["image_grid_thw"])
    _, ref_tokens = greedy_reference(model, dump["input_ids"], pixels, grid, len(dump["tokens"]))
    same = ref_tokens == dump["tokens"]
    log(f"transformers.js vs reference: greedy {'identical' if same else 'DIFFERENT'} ({dump['tokens']} vs {ref_tokens})")
    if not same:
        return 1
    # And that DeepStack mattered for this answer: the same prompt without it answers differently.
    main_ref, ds_ref = vision_reference(model.model.visual, pixels, grid)
    from selftest_mock import text_reference

    plain = int(text_reference(model, dump["input_ids"], main_ref, [], grid).argmax())
    log(f"without DeepStack the first token would be {plain} (with: {ref_tokens[0]})")
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/tmp/egm-selftest")
    ap.add_argument("--steps", type=int, default=8)
    ap.add_argument("--compare-js", help="a dump from selftest_transformersjs.mjs: check its tokens against the reference")
    args = ap.parse_args()
    model = build()
    if args.compare_js:
        return compare_js(model, args.compare_js)
    grid = torch.tensor([[1, 6, 10]])  # the export traces a 4x6 grid: a different size on purpose
    pixels = torch.randn(60, 1536, generator=torch.Generator().manual_seed(1))
    ids = [151644, 872, 198, VSTART] + [IMAGE] * 15 + [VEND, 1234, 5678, 151645, 198, 151644, 77091, 198]
    failures = []

    ref_first, ref_tokens = greedy_reference(model, ids, pixels, grid, args.steps)
    main_ref, ds_ref = vision_reference(model.model.visual, pixels, grid)
    feats, first, tokens = wrappers_greedy(model, ids, pixels, grid, args.steps)
    vis_diff = float((feats - torch.cat([main_ref] + ds_ref, -1)).abs().max())
    logit_diff = float((first - ref_first).abs().max())
    log(f"wrappers vs reference: image_features max|diff|={vis_diff:.3g}; logits max|diff|={logit_diff:.3g}; greedy {tokens == ref_tokens and 'identical' or 'DIFFERENT'} ({len(tokens)} tokens)")
    if vis_diff > 1e-4 or logit_diff > 1e-3 or tokens != ref_tokens:
        failures.append("wrappers")

    os.makedirs(args.out, exist_ok=True)
    export_graphs(model, args.out, "fp32", "cpu", log)
    pos, delta = rope_index(ids, grid)
    inputs_np = {
        "input_ids": torch.tensor([ids]).numpy(),
        "attention_mask": torch.ones(1, len(ids), dtype=torch.int64).numpy(),
        "pixel_values": pixels.numpy(),
        "image_grid_thw": grid.numpy(),
    }
    ref = {"logits": ref_first[None].numpy(), "tokens": ref_tokens, "position_ids": pos.numpy(), "rope_deltas": torch.tensor([[delta]]).numpy()}
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        case = {k: v.tolist() for k, v in inputs_np.items()}
        case.update(expected_logits=ref_first.tolist(), expected_tokens=ref_tokens, position_ids=pos.tolist(), rope_delta=delta, hidden=64, image_token_id=IMAGE, eos=EOS, steps=args.steps)
        with open(os.path.join(args.out, "case.json"), "w") as f:
            json.dump(case, f)
        log(f"onnxruntime (Python) not installed: inputs and expected outputs written to {args.out}/case.json")
    else:
        from egm_onnx_parity import check

        r = check(os.path.join(args.out, "onnx"), "fp32", inputs_np, ref, args.steps, {EOS}, IMAGE, 64, ["CPUExecutionProvider"], None, log)
        if r["maxAbsLogitDiff"] > 1e-3 or r["tokensIdentical"] < r["tokensCompared"]:
            failures.append("onnx")
    if failures:
        log(f"selftest FAILED: {', '.join(failures)}")
        return 1
    log("selftest passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
