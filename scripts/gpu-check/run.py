"""The GPU check: the app's built graphs on CUDA, on a machine with no Node.

Prepared here by scripts/gpu-check/pack.ts (models/ENGINE.md, "GPU check"):
.gpu-check/ holds two tiny random Qwen3-VLs built to fp32 / fp16 / q4f16 and
the graph structure of a random EGM-4B built to q4f16 and fp16; the
onnxruntime-gpu wheel arrives in parts under /tmp/egm-gpu-check (earlier calls).

It runs the graphs the way the app's engine does (engine/local/decode-loop.ts
and kv-cache.ts: vision encoder, embeddings with the image rows merged in,
3-D rope positions, one decoder pass over the prompt, then one token per pass
with the KV cache in buffers the caller owns, cache contract 'rows-v1'), in
onnxruntime-gpu with I/O binding: the cache buffers, logits and rows stay on
the GPU (torch tensors), so this measures the graphs. Prints:
  gpu tiny_<cfg>_<dtype>_first_logits_max_abs=   CUDA against CPU fp32, same weights
  gpu tiny_<cfg>_<dtype>_logit_error_over_margin=  ... over CPU fp32's top-1/top-2 margin
  gpu tiny_<cfg>_<dtype>_greedy_tokens_equal=      of 32
  gpu egm4b_<dtype>_prefill_ms=                    vision (640x480: 1200 patches) + embeddings + first decoder pass, 329 tokens
  gpu egm4b_<dtype>_decode_tok_s=                  100 new tokens
Usage: python3 scripts/gpu-check/run.py [--cpu] [--skip-4b]   (--cpu: every session on the CPU, to try the script without a GPU)
"""
import glob
import hashlib
import json
import os
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PACK = os.path.join(ROOT, ".gpu-check")
PARTS = "/tmp/egm-gpu-check"
CPU_ONLY = "--cpu" in sys.argv
STEPS = 32
PROMPT = 329
NEW_TOKENS = 100
SUFFIX = {"fp32": "", "fp16": "_fp16", "q4f16": "_q4f16", "q4": "_q4"}


def say(msg):
    print(f"gpu-check: {msg}", file=sys.stderr, flush=True)


def install_wheel():
    """onnxruntime-gpu from the carried parts, unless an onnxruntime with CUDA is importable already."""
    import importlib.util

    site = os.path.join(PARTS, "site")
    if os.path.isdir(site):
        sys.path.insert(0, site)
    if CPU_ONLY:
        return
    spec = importlib.util.find_spec("onnxruntime")
    if spec and os.path.isdir(site):
        return
    manifest = json.load(open(os.path.join(PACK, "manifest.json")))
    parts = []
    for i in range(manifest["parts"]):
        found = [p for p in (os.path.join(PARTS, f"part-{i}"), os.path.join(PACK, f"wheel-{i}", "part")) if os.path.exists(p)]
        if not found:
            raise SystemExit(f"gpu-check: wheel part {i} of {manifest['parts']} missing (carry .gpu-check/wheel-{i} first; models/ENGINE.md)")
        parts.append(found[0])
    wheel = os.path.join(PARTS, manifest["wheel"])
    with open(wheel, "wb") as out:
        for p in parts:
            out.write(open(p, "rb").read())
    digest = hashlib.sha256(open(wheel, "rb").read()).hexdigest()
    if digest != manifest["sha256"]:
        raise SystemExit("gpu-check: the reassembled wheel's sha256 differs from the manifest")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-index", "--no-deps", "--no-compile", "--target", site, wheel], check=True)
    sys.path.insert(0, site)


install_wheel()
import numpy as np  # noqa: E402
import torch  # noqa: E402  (first: its CUDA 13 libraries are the ones onnxruntime-gpu loads)
import onnxruntime as ort  # noqa: E402

if not CPU_ONLY and hasattr(ort, "preload_dlls"):
    ort.preload_dlls()
DEVICE = "cpu" if CPU_ONLY else "cuda"
PROVIDERS = ["CPUExecutionProvider"] if CPU_ONLY else [("CUDAExecutionProvider", {"device_id": 0}), "CPUExecutionProvider"]
ELEM = {torch.float32: np.float32, torch.float16: np.float16, torch.int64: np.int64, torch.int32: np.int32, torch.bool: np.bool_}


def bind_in(io, name, t):
    io.bind_input(name, t.device.type, t.device.index or 0, ELEM[t.dtype], list(t.shape), t.data_ptr())


def bind_out(io, name, t):
    io.bind_output(name, t.device.type, t.device.index or 0, ELEM[t.dtype], list(t.shape), t.data_ptr())


def sync():
    if DEVICE == "cuda":
        torch.cuda.synchronize()


def rope_index(ids, image_token, merge, grid):
    """Qwen3-VL's 3-D positions for one image (get_rope_index): text counts up on all three axes,
    the image's tokens take (t, row, col) after the text before them, text after continues from the max + 1."""
    t_, h, w = grid[0], grid[1] // merge, grid[2] // merge
    pos = np.zeros((3, len(ids)), dtype=np.int64)
    i = 0
    nxt = 0
    while i < len(ids):
        if ids[i] == image_token:
            n = t_ * h * w
            tt, hh, ww = np.meshgrid(np.arange(t_), np.arange(h), np.arange(w), indexing="ij")
            pos[0, i : i + n] = nxt + tt.ravel()
            pos[1, i : i + n] = nxt + hh.ravel()
            pos[2, i : i + n] = nxt + ww.ravel()
            nxt = int(pos[:, i : i + n].max()) + 1
            i += n
        else:
            pos[:, i] = nxt
            nxt += 1
            i += 1
    return pos, nxt - len(ids)


class Engine:
    """The app's query path on one built model folder and dtype (decode-loop.ts + kv-cache.ts)."""

    def __init__(self, folder, dtype, device, providers):
        self.cfg = json.load(open(os.path.join(folder, "config.json")))
        if self.cfg.get("egm_export", {}).get("kv_cache") != "rows-v1":
            raise SystemExit(f"gpu-check: {folder} was not built with the rows-v1 cache contract")
        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        self.s = {
            g: ort.InferenceSession(os.path.join(folder, "onnx", f"{g}{SUFFIX[dtype]}.onnx"), opts, providers=providers)
            for g in ("vision_encoder", "embed_tokens", "decoder_model_merged")
        }
        self.device = device
        t = self.cfg["text_config"]
        self.layers, self.kv, self.d = t["num_hidden_layers"], t["num_key_value_heads"], t["head_dim"]
        self.vocab = t["vocab_size"]
        self.kv_dtype = torch.float32 if dtype in ("fp32", "q4") else torch.float16
        self.image_token = self.cfg.get("image_token_id", 151655)
        self.merge = self.cfg["vision_config"]["spatial_merge_size"]

    def run(self, name, feeds, outputs):
        """One session run with everything bound to torch tensors on the engine's device."""
        io = self.s[name].io_binding()
        for k, v in feeds.items():
            bind_in(io, k, v)
        for k, v in outputs.items():
            bind_out(io, k, v)
        self.s[name].run_with_iobinding(io)

    def embed(self, ids):
        width = self.cfg["egm_export"]["embedding_width"]
        safe = torch.tensor([[i if i < self.vocab else 0 for i in ids]], dtype=torch.int64, device=self.device)
        out = torch.empty((1, len(ids), width), dtype=torch.float32, device=self.device)
        self.run("embed_tokens", {"input_ids": safe}, {"inputs_embeds": out})
        return out

    def decoder(self, embeds, total, positions, past_k, past_v, s):
        feeds = {"inputs_embeds": embeds, "attention_mask": torch.ones((1, total), dtype=torch.int64, device=self.device), "position_ids": positions}
        logits = torch.empty((1, 1, self.vocab), dtype=torch.float32, device=self.device)
        outs = {"logits": logits}
        rows = []
        for i in range(self.layers):
            feeds[f"past_key_values.{i}.key"] = past_k[i]
            feeds[f"past_key_values.{i}.value"] = past_v[i]
            k = torch.empty((1, self.kv, self.d, s), dtype=self.kv_dtype, device=self.device)
            v = torch.empty((1, self.kv, s, self.d), dtype=self.kv_dtype, device=self.device)
            outs[f"present.{i}.key"], outs[f"present.{i}.value"] = k, v
            rows.append((k, v))
        self.run("decoder_model_merged", feeds, outs)
        return logits[0, 0], rows

    def generate(self, ids, pixel_values, grid, new_tokens, on_prefill=None):
        """Greedy ids after the prompt, and the prefill's logits; times (prefill ms, decode s) on the side."""
        sync()
        t0 = time.perf_counter()
        width = self.cfg["egm_export"]["embedding_width"]
        feats = torch.empty((pixel_values.shape[0] // self.merge**2, width), dtype=torch.float32, device=self.device)
        self.run("vision_encoder", {"pixel_values": pixel_values, "image_grid_thw": torch.tensor([grid], dtype=torch.int64, device=self.device)}, {"image_features": feats})
        embeds = self.embed(ids)
        where = torch.tensor([i for i, x in enumerate(ids) if x == self.image_token], device=self.device)
        embeds[0, where] = feats
        pos, delta = rope_index(ids, self.image_token, self.merge, grid)
        positions = torch.tensor(pos.reshape(3, 1, -1), device=self.device)
        empty_k = [torch.empty((1, self.kv, self.d, 0), dtype=self.kv_dtype, device=self.device)] * self.layers
        empty_v = [torch.empty((1, self.kv, 0, self.d), dtype=self.kv_dtype, device=self.device)] * self.layers
        logits, rows = self.decoder(embeds, len(ids), positions, empty_k, empty_v, len(ids))
        first = logits.float().cpu().numpy().copy()
        # Buffers with room for the whole answer (kv-cache.ts grows them; here the length is known).
        room = len(ids) + new_tokens + 64
        K = [torch.zeros((1, self.kv, self.d, room), dtype=self.kv_dtype, device=self.device) for _ in range(self.layers)]
        V = [torch.zeros((1, self.kv, room, self.d), dtype=self.kv_dtype, device=self.device) for _ in range(self.layers)]
        for i, (k, v) in enumerate(rows):
            K[i][..., : len(ids)] = k
            V[i][:, :, : len(ids)] = v
        out = [int(torch.argmax(logits))]
        sync()
        t1 = time.perf_counter()
        length = len(ids)
        while len(out) < new_tokens:
            e = self.embed([out[-1]])
            p = length + delta
            logits, rows = self.decoder(e, length + 1, torch.full((3, 1, 1), p, dtype=torch.int64, device=self.device), K, V, 1)
            for i, (k, v) in enumerate(rows):
                K[i][..., length : length + 1] = k
                V[i][:, :, length : length + 1] = v
            length += 1
            out.append(int(torch.argmax(logits)))
        sync()
        t2 = time.perf_counter()
        return out, first, (t1 - t0) * 1000, t2 - t1


def prompt_ids(vocab, image_tokens, total, image_token, rng):
    before = 14
    after = total - before - image_tokens - 2
    text = lambda n: [int(x) for x in rng.integers(0, min(vocab, 150000), n)]  # noqa: E731
    return text(before) + [151652] + [image_token] * image_tokens + [151653] + text(after)


def tiny_checks():
    lines = []
    for folder in sorted(glob.glob(os.path.join(PACK, "tiny-*"))):
        name = os.path.basename(folder).replace("tiny-", "")
        rng = np.random.default_rng(7)
        grid = [1, 16, 20]
        pixels = rng.standard_normal((grid[0] * grid[1] * grid[2], 3 * 2 * 16 * 16)).astype(np.float32)
        ref = Engine(folder, "fp32", "cpu", ["CPUExecutionProvider"])
        ids = prompt_ids(ref.vocab, grid[1] * grid[2] // 4, 120, ref.image_token, rng)
        ref_ids, ref_logits, _, _ = ref.generate(ids, torch.tensor(pixels), grid, STEPS)
        top2 = np.sort(ref_logits)[-2:]
        margin = float(top2[1] - top2[0])
        for dtype in ("fp32", "fp16", "q4f16"):
            eng = Engine(folder, dtype, DEVICE, PROVIDERS)
            got_ids, got_logits, _, _ = eng.generate(ids, torch.tensor(pixels, device=DEVICE), grid, STEPS)
            diff = float(np.abs(got_logits - ref_logits).max())
            equal = next((i for i, (a, b) in enumerate(zip(got_ids, ref_ids)) if a != b), len(ref_ids))
            lines += [
                f"gpu tiny_{name}_{dtype}_first_logits_max_abs={diff:.4g}",
                f"gpu tiny_{name}_{dtype}_logit_error_over_margin={diff / max(margin, 1e-12):.4g}",
                f"gpu tiny_{name}_{dtype}_greedy_tokens_equal={equal}",
            ]
            for line in lines[-3:]:
                print(line, flush=True)
    return lines


def fill_weights(folder):
    """Random weights of the right types and sizes into the .onnx_data files a structure-only graph names."""
    import onnx

    rng = np.random.default_rng(0)
    block = 1 << 24
    patterns = {
        "f16": (rng.standard_normal(block // 2) * 0.02).astype(np.float16).tobytes(),
        "f32": (rng.standard_normal(block // 4) * 0.02).astype(np.float32).tobytes(),
        "scale16": rng.uniform(0.001, 0.003, block // 2).astype(np.float16).tobytes(),
        "scale32": rng.uniform(0.001, 0.003, block // 4).astype(np.float32).tobytes(),
        "one16": np.ones(block // 2, np.float16).tobytes(),
        "one32": np.ones(block // 4, np.float32).tobytes(),
        "u8": rng.integers(0, 256, block, dtype=np.uint8).tobytes(),
    }
    for path in sorted(glob.glob(os.path.join(folder, "onnx", "*.onnx"))):
        model = onnx.load(path, load_external_data=False)
        # By data file: a graph may point into another graph's file (a tied LM head reads embed_tokens' table).
        by_file = {}
        for init in model.graph.initializer:
            if init.data_location != onnx.TensorProto.EXTERNAL:
                continue
            info = {e.key: e.value for e in init.external_data}
            data_path = os.path.join(os.path.dirname(path), info["location"])
            by_file.setdefault(data_path, []).append((init.name, init.data_type, int(info.get("offset", 0)), int(info["length"])))
        for data_path, with_data in by_file.items():
            if os.path.exists(data_path) and os.path.getsize(data_path) >= max(o + n for _, _, o, n in with_data):
                continue
            with open(data_path, "r+b" if os.path.exists(data_path) else "wb") as f:
                for name, dt, offset, length in with_data:
                    half = dt == onnx.TensorProto.FLOAT16
                    if dt == onnx.TensorProto.UINT8:
                        pat = patterns["u8"]
                    elif dt not in (onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16):
                        pat = bytes(block)
                    elif name.endswith(".scales"):
                        pat = patterns["scale16" if half else "scale32"]
                    elif "norm" in name:
                        pat = patterns["one16" if half else "one32"]
                    else:
                        pat = patterns["f16" if half else "f32"]
                    f.seek(offset)
                    left = length
                    while left > 0:
                        n = min(left, len(pat))
                        f.write(pat[:n])
                        left -= n
            say(f"wrote random weights into {data_path} ({os.path.getsize(data_path) / 1e9:.2f} GB)")


def egm4b_checks():
    lines = []
    for dtype in ("q4f16", "fp16"):
        folder = os.path.join(PACK, f"egm4b-{dtype}")
        if not os.path.isdir(folder):
            continue
        fill_weights(folder)
        t = time.perf_counter()
        eng = Engine(folder, dtype, DEVICE, PROVIDERS)
        say(f"egm4b {dtype}: sessions in {time.perf_counter() - t:.1f} s")
        rng = np.random.default_rng(3)
        grid = [1, 30, 40]  # 480x640 at patch 16: 1200 patches, 300 visual tokens
        pixels = torch.tensor(rng.standard_normal((1200, 1536)).astype(np.float32), device=DEVICE)
        ids = prompt_ids(eng.vocab, 300, PROMPT, eng.image_token, rng)
        eng.generate(ids, pixels, grid, 4)  # warm-up (kernels, allocations)
        runs = [eng.generate(ids, pixels, grid, NEW_TOKENS) for _ in range(3)]
        prefill = sorted(r[2] for r in runs)[1]
        tok_s = sorted((NEW_TOKENS - 1) / r[3] for r in runs)[1]
        lines += [f"gpu egm4b_{dtype}_prefill_ms={prefill:.0f}", f"gpu egm4b_{dtype}_decode_tok_s={tok_s:.1f}"]
        for line in lines[-2:]:
            print(line, flush=True)
        del eng
    return lines


if __name__ == "__main__":
    say(f"onnxruntime {ort.__version__} from {os.path.dirname(ort.__file__)}, providers {ort.get_available_providers()}, torch {torch.__version__}")
    if not CPU_ONLY and "CUDAExecutionProvider" not in ort.get_available_providers():
        raise SystemExit("gpu-check: this onnxruntime has no CUDA execution provider")
    if DEVICE == "cuda":
        say(f"GPU: {torch.cuda.get_device_name(0)}")
    tiny_checks()
    if "--skip-4b" not in sys.argv:
        egm4b_checks()
