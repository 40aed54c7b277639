#!/usr/bin/env python3
"""Export an EGM checkpoint (Qwen3VLForConditionalGeneration) to the transformers.js layout.

  python models/export/export_egm_onnx.py --model nvidia/EGM-8B --dtypes fp16,q4f16 --parity
  python models/export/export_egm_onnx.py --model /tmp/tiny-qwen3vl --out /tmp/tiny-egm --dtypes fp32,fp16,q4f16 --parity
  (a tiny random checkpoint: scripts/parity/make_tiny_qwen3vl.py; npm run parity checks the app against HF on it)

Writes <out>/onnx/{vision_encoder,embed_tokens,decoder_model_merged}_<dtype>.onnx (+ .onnx_data),
config.json, generation_config.json, preprocessor_config.json, tokenizer.json,
tokenizer_config.json (with the chat template), chat_template.jinja, export_info.json and, last,
egm-model.json -- the marker the app reads as "installed" (same format as `egm model download`).
DeepStack is carried in widened embeddings: see egm_onnx_graphs.py. What has run, and what
not: models/export/README.md.
"""

import argparse
import datetime
import gc
import hashlib
import json
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

DTYPES = ("fp32", "fp16", "q4f16", "q4")
TRACE = {"fp32": "fp32", "q4": "fp32", "fp16": "fp16", "q4f16": "fp16"}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def default_models_dir():
    """Same folder as electron/models/paths.ts (EGM_MODELS_DIR, else the per-user data folder)."""
    if os.environ.get("EGM_MODELS_DIR"):
        return os.environ["EGM_MODELS_DIR"]
    home = os.path.expanduser("~")
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or os.path.join(home, "AppData", "Roaming")
    elif sys.platform == "darwin":
        base = os.path.join(home, "Library", "Application Support")
    else:
        xdg = os.environ.get("XDG_DATA_HOME", "")
        base = xdg if xdg.startswith("/") else os.path.join(home, ".local", "share")
    return os.path.join(base, "egm-annotator", "models")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="hub id (nvidia/EGM-8B) or a local checkpoint folder")
    p.add_argument("--revision", default="main")
    p.add_argument("--out", help="output folder (default: <models dir>/<id with / as -->)")
    p.add_argument("--id", help="catalog id written to egm-model.json (default local/<name>-ONNX)")
    p.add_argument("--dtypes", default="fp16,q4f16", help=f"comma list of {', '.join(DTYPES)}")
    p.add_argument("--device", default="auto", choices=["auto", "cuda", "cpu"])
    p.add_argument("--q4-block-size", type=int, default=32)
    p.add_argument("--q4-keep-lm-head", action="store_true", help="leave lm_head in fp16 in the q4 graphs")
    p.add_argument("--quantize-vision", action="store_true", help="also 4-bit the vision encoder's MatMuls")
    p.add_argument("--parity", action="store_true", help="compare every exported dtype with PyTorch")
    p.add_argument("--parity-steps", type=int, default=32)
    p.add_argument("--parity-image", default=os.path.join(os.path.dirname(__file__), "..", "..", "assets", "samples", "fruits.jpg"))
    p.add_argument("--parity-phrase", default="the lime partly hidden behind the orange")
    p.add_argument("--parity-max-pixels", type=int, default=512 * 512)
    a = p.parse_args(argv)
    a.dtypes = [d.strip() for d in a.dtypes.split(",") if d.strip()]
    bad = [d for d in a.dtypes if d not in DTYPES]
    if bad or not a.dtypes:
        p.error(f"--dtypes: unknown {bad} (choose from {', '.join(DTYPES)})")
    name = os.path.basename(os.path.normpath(a.model))
    a.id = a.id or f"local/{name}-ONNX"
    a.out = a.out or os.path.join(default_models_dir(), a.id.replace("/", "--", 1))
    return a


def load(args, torch):
    from transformers import Qwen3VLForConditionalGeneration

    from egm_processor import load_processor

    log(f"loading {args.model} ...")
    # "auto" keeps the checkpoint's bf16 (half the host memory of fp32); each trace casts it.
    kw = {"revision": args.revision, "attn_implementation": "eager", "dtype": "auto"}
    model = Qwen3VLForConditionalGeneration.from_pretrained(args.model, **kw).eval()
    processor = load_processor(args.model, revision=args.revision)
    return model, processor


def cast_model(model, device, dtype):
    """model.to(device, dtype), except the rotary `inv_freq` buffers, which stay float32.

    from_pretrained leaves them float32 whatever the weights' dtype; a plain .to(float16) would
    round them and shift rotary angles at long positions -- in the PyTorch reference too, so
    parity could not catch it.
    """
    saved = {name: buf.detach().float().clone() for name, buf in model.named_buffers() if name.endswith("inv_freq")}
    model.to(device=device, dtype=dtype)
    for name, buf in saved.items():
        owner, attr = name.rsplit(".", 1)
        setattr(model.get_submodule(owner), attr, buf.to(device))


def parity_inputs(args, processor, device):
    """One real query (the parity image and phrase) through the checkpoint's own processor."""
    import numpy as np
    from PIL import Image

    image = Image.open(args.parity_image).convert("RGB")
    scale = min(1.0, (args.parity_max_pixels / (image.width * image.height)) ** 0.5)
    if scale < 1:
        image = image.resize((max(32, int(image.width * scale)), max(32, int(image.height * scale))))
    prompt = f"Locate {args.parity_phrase}, output its bbox coordinates using JSON format"  # EGM.md, visible box
    messages = [{"role": "user", "content": [{"type": "image", "image": image}, {"type": "text", "text": prompt}]}]
    inputs = dict(processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=True, return_dict=True, return_tensors="pt"))
    as_np = {
        "input_ids": inputs["input_ids"].numpy().astype(np.int64),
        "attention_mask": inputs["attention_mask"].numpy().astype(np.int64),
        "pixel_values": inputs["pixel_values"].float().numpy(),
        "image_grid_thw": inputs["image_grid_thw"].numpy().astype(np.int64),
    }
    return {k: v.to(device) for k, v in inputs.items() if hasattr(v, "to")}, as_np


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 24), b""):
            h.update(chunk)
    return h.hexdigest()


def forget_dtypes(out, dtypes):
    """Before overwriting a dtype's files, drop it from egm-model.json, so a half-done re-export
    never looks installed (the manifest is the app's "installed" marker)."""
    path = os.path.join(out, "egm-model.json")
    if not os.path.exists(path):
        return
    with open(path) as f:
        manifest = json.load(f)
    if not any(d in manifest.get("dtypes", {}) for d in dtypes):
        return
    for d in dtypes:
        manifest["dtypes"].pop(d, None)
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w") as f:
        json.dump(manifest, f, indent=2)
    os.replace(tmp, path)


def versions():
    found = {}
    for name in ("torch", "transformers", "onnx", "onnxruntime"):
        try:
            found[name] = __import__(name).__version__
        except ImportError:
            found[name] = None
    return found


def write_manifest(out, model_id, source, files_by_dtype):
    """egm-model.json, merged with an existing one (another dtype exported earlier); written last."""
    path = os.path.join(out, "egm-model.json")
    manifest = {"format": 1, "id": model_id, "source": source, "dtypes": {}}
    if os.path.exists(path):
        with open(path) as f:
            manifest = json.load(f)
    now = datetime.datetime.now(datetime.timezone.utc).isoformat()
    for dtype, files in files_by_dtype.items():
        entries = []
        for rel in files:
            full = os.path.join(out, rel)
            entries.append({"path": rel, "size": os.path.getsize(full), "sha256": sha256_of(full), "verifiedBy": "export"})
        manifest["dtypes"][dtype] = {"installedAt": now, "files": entries, "absent": []}
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    import torch

    from egm_onnx_io import export_graphs, quantize_q4, remove_outputs
    from egm_onnx_parity import check, eos_ids, reference
    from egm_support_files import write_support_files

    device = "cuda" if args.device == "auto" and torch.cuda.is_available() else ("cpu" if args.device == "auto" else args.device)
    os.makedirs(args.out, exist_ok=True)
    forget_dtypes(args.out, args.dtypes)
    log(f"export {args.model} -> {args.out} ({', '.join(args.dtypes)}) on {device}")
    model, processor = load(args, torch)
    support = write_support_files(args.out, model, processor, args)
    refs, written = {}, {}
    if args.parity:
        inputs, inputs_np = parity_inputs(args, processor, device)
    for trace in ("fp32", "fp16"):
        wanted = [d for d in args.dtypes if TRACE[d] == trace]
        if not wanted:
            continue
        cast_model(model, device, torch.float32 if trace == "fp32" else torch.float16)
        graphs = export_graphs(model, args.out, trace, device, log)
        if trace in wanted:
            written[trace] = graphs
        if args.parity:
            log(f"pytorch reference ({trace}, {args.parity_steps} greedy steps) ...")
            refs[trace] = reference(model, inputs, args.parity_steps)
        for q in [d for d in wanted if d.startswith("q4")]:
            written[q] = quantize_q4(args.out, trace, q, args.q4_block_size, args.quantize_vision, args.q4_keep_lm_head, log)
        if trace not in wanted:  # traced only as the source of a q4 variant
            remove_outputs(args.out, trace)
    cfg = model.config
    eos = eos_ids(model)
    del model
    gc.collect()
    if device == "cuda":
        torch.cuda.empty_cache()  # ONNX Runtime needs the GPU memory the PyTorch model held
    results = []
    if args.parity:
        import onnxruntime as ort

        cuda = device == "cuda" and "CUDAExecutionProvider" in ort.get_available_providers()
        providers = ["CUDAExecutionProvider", "CPUExecutionProvider"] if cuda else ["CPUExecutionProvider"]
        decode = (lambda t: processor.tokenizer.decode(t)) if processor is not None else None
        for dtype in args.dtypes:
            results.append(check(os.path.join(args.out, "onnx"), dtype, inputs_np, refs[TRACE[dtype]], args.parity_steps, eos, cfg.image_token_id, cfg.text_config.hidden_size, providers, decode, log))
    info = {
        "source": args.model,
        "revision": args.revision,
        "exportedAt": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "host": platform.platform(),
        "versions": versions(),
        "parity": results,
    }
    with open(os.path.join(args.out, "export_info.json"), "w") as f:
        json.dump(info, f, indent=2)
    files = {d: support + ["export_info.json"] + [p for g in written[d] for p in (g, g + "_data")] for d in args.dtypes}
    write_manifest(args.out, args.id, f"export:{args.model}", files)
    log(f"done: {args.out} ({args.id})")
    failed = [r for r in results if r["dtype"] in ("fp32", "fp16") and (r["nan"] or r["tokensIdentical"] < r["tokensCompared"])]
    if failed:
        log(f"parity FAILED for {', '.join(r['dtype'] for r in failed)}: greedy tokens differ from PyTorch (see above)")
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
