"""Parity of the exported graphs against the PyTorch model, the way transformers.js will run them.

Reference (PyTorch, before the model is freed): last-position logits of the prompt and N greedy
tokens from model.generate, plus the MRoPE position ids / rope deltas from get_rope_index.
ONNX side: vision_encoder -> embed_tokens -> copy image rows into the <|image_pad|> positions ->
decoder prefill with an empty cache -> greedy steps (position = past length + rope delta on all
three rows, as transformers.js computes it). Also once with the DeepStack channels zeroed, to show
that the export carries them (the logits should move much more than the export error).
"""

import numpy as np
import torch

GRAPHS = ("vision_encoder", "embed_tokens", "decoder_model_merged")


def eos_ids(model):
    eos = getattr(model.generation_config, "eos_token_id", None) or model.config.text_config.eos_token_id
    return set(eos if isinstance(eos, (list, tuple)) else [eos])


@torch.no_grad()
def reference(model, inputs, steps):
    out = model(**inputs, logits_to_keep=1)
    logits = out.logits[:, -1].float().cpu().numpy()
    gen = model.generate(**inputs, max_new_tokens=steps, do_sample=False, num_beams=1)
    tokens = gen[0, inputs["input_ids"].shape[1] :].tolist()
    # transformers 5.x: the token types (text 0, image 1) come from the processor.
    pos, deltas = model.model.get_rope_index(inputs["input_ids"], inputs["mm_token_type_ids"], inputs.get("image_grid_thw"), None, attention_mask=inputs["attention_mask"])
    return {"logits": logits, "tokens": tokens, "position_ids": pos.cpu().numpy().astype(np.int64), "rope_deltas": deltas.cpu().numpy().astype(np.int64)}


def _np_type(ort_type):
    return {"tensor(float16)": np.float16, "tensor(float)": np.float32}[ort_type]


class OnnxRunner:
    def __init__(self, onnx_dir, dtype, providers):
        import onnxruntime as ort

        suffix = {"fp32": "", "fp16": "_fp16", "q4f16": "_q4f16", "q4": "_q4"}[dtype]
        self.s = {g: ort.InferenceSession(f"{onnx_dir}/{g}{suffix}.onnx", providers=providers) for g in GRAPHS}
        dec = self.s["decoder_model_merged"]
        self.out_names = [o.name for o in dec.get_outputs()]
        self.kv = [i for i in dec.get_inputs() if i.name.startswith("past_key_values.")]

    def embed(self, ids):
        return self.s["embed_tokens"].run(None, {"input_ids": ids})[0]

    def prefill_embeds(self, inputs, image_token_id):
        ids = inputs["input_ids"]
        emb = self.embed(ids)
        if "pixel_values" in inputs:
            feats = self.s["vision_encoder"].run(None, {"pixel_values": inputs["pixel_values"], "image_grid_thw": inputs["image_grid_thw"]})[0]
            where = ids[0] == image_token_id
            if int(where.sum()) != feats.shape[0]:
                raise SystemExit(f"parity: {int(where.sum())} image tokens but {feats.shape[0]} image feature rows")
            if feats.shape[-1] != emb.shape[-1]:
                raise SystemExit(f"parity: image_features width {feats.shape[-1]} != inputs_embeds width {emb.shape[-1]}")
            emb[0, where] = feats.astype(emb.dtype)
        return emb

    def decode(self, emb, mask, pos, past):
        out = self.s["decoder_model_merged"].run(None, {"inputs_embeds": emb, "attention_mask": mask, "position_ids": pos, **past})
        present = {n.replace("present.", "past_key_values."): v for n, v in zip(self.out_names[1:], out[1:])}
        return out[0][:, -1].astype(np.float32), present

    def empty_cache(self):
        return {i.name: np.zeros((1, i.shape[1], 0, i.shape[3]), dtype=_np_type(i.type)) for i in self.kv}

    def greedy(self, emb, inputs, ref, steps, eos):
        mask = inputs["attention_mask"].astype(np.int64)
        logits, past = self.decode(emb, mask, ref["position_ids"], self.empty_cache())
        first = logits
        tokens = []
        length = mask.shape[1]
        delta = int(ref["rope_deltas"][0, 0])
        for step in range(steps):
            tok = int(logits[0].argmax())
            tokens.append(tok)
            if tok in eos or step == steps - 1:
                break
            emb = self.embed(np.array([[tok]], dtype=np.int64))
            mask = np.ones((1, length + 1), dtype=np.int64)
            pos = np.full((3, 1, 1), length + delta, dtype=np.int64)
            logits, past = self.decode(emb, mask, pos, past)
            length += 1
        return first, tokens


def same_prefix(a, b):
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def check(onnx_dir, dtype, inputs_np, ref, steps, eos, image_token_id, hidden, providers, decode_text, log):
    """Runs one dtype; returns a summary dict and prints the lines the README shows."""
    run = OnnxRunner(onnx_dir, dtype, providers)
    emb = run.prefill_embeds(inputs_np, image_token_id)
    first, tokens = run.greedy(emb.copy(), inputs_np, ref, steps, eos)
    diff = float(np.abs(first - ref["logits"]).max())
    scale = float(np.abs(ref["logits"]).max())
    agree = same_prefix(tokens, ref["tokens"])
    total = max(len(tokens), len(ref["tokens"]))
    nan = bool(np.isnan(first).any())
    log(f"parity {dtype}: logits max|diff|={diff:.4g} (max|logit|={scale:.4g}){' NaN!' if nan else ''}; greedy {agree}/{total} tokens identical")
    summary = {"dtype": dtype, "maxAbsLogitDiff": diff, "maxAbsLogit": scale, "tokensIdentical": agree, "tokensCompared": total, "nan": nan}
    if emb.shape[-1] > hidden:
        ablated = emb.copy()
        ablated[..., hidden:] = 0
        a_first, _ = run.greedy(ablated, inputs_np, ref, 1, eos)
        a_diff = float(np.abs(a_first - ref["logits"]).max())
        same = int(a_first[0].argmax()) == int(ref["logits"][0].argmax())
        log(f"parity {dtype} without DeepStack channels: logits max|diff|={a_diff:.4g}; first token {'same' if same else 'different'}")
        summary["withoutDeepstackMaxAbsLogitDiff"] = a_diff
    if decode_text:
        log(f"  pytorch: {decode_text(ref['tokens'])!r}")
        log(f"  onnx:    {decode_text(tokens)!r}")
    return summary
