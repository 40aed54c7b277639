"""Tracing the graphs to ONNX, saving them in the transformers.js file layout, 4-bit quantization.

Every graph is saved as <name><suffix>.onnx plus ONE external-data file <name><suffix>.onnx_data
(transformers.js fetches exactly `${file}_data` when config.json's
transformers.js_config.use_external_data_format says 1 chunk), whatever its size.
"""

import inspect
import logging
import os
import shutil
import tempfile
import warnings

import onnx
import torch

from egm_onnx_graphs import Decoder, EmbedTokens, VisionEncoder, deepstack_count

OPSET = 17
SUFFIX = {"fp32": "", "fp16": "_fp16", "q4f16": "_q4f16", "q4": "_q4"}
GRAPHS = ("vision_encoder", "embed_tokens", "decoder_model_merged")


def onnx_name(graph, dtype):
    return f"{graph}{SUFFIX[dtype]}.onnx"


def save_consolidated(model_proto, out_path):
    """Write the graph and all of its initializers into out_path + out_path_data."""
    data_name = os.path.basename(out_path) + "_data"
    data_path = os.path.join(os.path.dirname(out_path), data_name)
    if os.path.exists(data_path):
        os.remove(data_path)  # onnx appends to an existing data file
    onnx.save_model(
        model_proto,
        out_path,
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location=data_name,
        size_threshold=0,  # every initializer external, so the _data file always exists
        convert_attribute=False,
    )
    onnx.checker.check_model(out_path)


def _export(module, args, path, input_names, output_names, dynamic_axes):
    # torch >= 2.5 has a dynamo exporter (default from 2.9); ask for the TorchScript one, which
    # keeps dynamic_axes names verbatim. Older torch has only that one and no `dynamo` argument.
    extra = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    # The TorchScript exporter warns once per dynamic Slice that it cannot fold it: expected, noise.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Constant folding - Only steps=1")
        torch.onnx.export(
            module,
            args,
            path,
            input_names=input_names,
            output_names=output_names,
            dynamic_axes=dynamic_axes,
            opset_version=OPSET,
            do_constant_folding=True,
            **extra,
        )


def export_graphs(model, out_dir, dtype, device, log):
    """Trace the three graphs of `model` (already in the wanted dtype/device) into out_dir/onnx/."""
    cfg = model.config
    text = cfg.text_config
    hidden = int(text.hidden_size)
    width = hidden * (1 + deepstack_count(cfg))
    onnx_dir = os.path.join(out_dir, "onnx")
    os.makedirs(onnx_dir, exist_ok=True)
    fdtype = next(model.parameters()).dtype
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".trace-") as tmp:
        # Vision: a 4x6 patch grid (multiples of the 2x2 merge), one image.
        vcfg = cfg.vision_config
        patch_dim = vcfg.in_channels * vcfg.temporal_patch_size * vcfg.patch_size**2
        grid = torch.tensor([[1, 4, 6]], dtype=torch.int64, device=device)
        pixels = torch.randn(24, patch_dim, device=device)
        log(f"tracing vision_encoder ({dtype}) ...")
        _export(
            VisionEncoder(model.model.visual).eval(),
            (pixels, grid),
            os.path.join(tmp, "vision_encoder.onnx"),
            ["pixel_values", "image_grid_thw"],
            ["image_features"],
            {"pixel_values": {0: "num_patches"}, "image_grid_thw": {0: "num_images"}, "image_features": {0: "num_image_tokens"}},
        )
        log(f"tracing embed_tokens ({dtype}) ...")
        ids = torch.randint(0, 1000, (2, 5), dtype=torch.int64, device=device)
        _export(
            EmbedTokens(model.model.language_model.embed_tokens, width - hidden).eval(),
            (ids,),
            os.path.join(tmp, "embed_tokens.onnx"),
            ["input_ids"],
            ["inputs_embeds"],
            {"input_ids": {0: "batch_size", 1: "sequence_length"}, "inputs_embeds": {0: "batch_size", 1: "sequence_length"}},
        )
        log(f"tracing decoder_model_merged ({dtype}) ...")
        decoder = Decoder(model).eval()
        b, s, past = 2, 5, 3  # non-trivial sizes so no dimension is specialised to 1 or 0
        embeds = torch.randn(b, s, width, device=device)
        mask = torch.ones(b, past + s, dtype=torch.int64, device=device)
        pos = (torch.arange(s, device=device) + past).view(1, 1, s).expand(3, b, s).contiguous()
        cache = []
        names_in, names_out = ["inputs_embeds", "attention_mask", "position_ids"], ["logits"]
        axes = {
            "inputs_embeds": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
            "position_ids": {1: "batch_size", 2: "sequence_length"},
            "logits": {0: "batch_size"},
        }
        for i in range(len(decoder.layers)):
            for kind in ("key", "value"):
                cache.append(torch.randn(b, decoder.kv_heads, past, decoder.head_dim, device=device, dtype=fdtype))
                names_in.append(f"past_key_values.{i}.{kind}")
                names_out.append(f"present.{i}.{kind}")
                axes[f"past_key_values.{i}.{kind}"] = {0: "batch_size", 2: "past_sequence_length"}
                axes[f"present.{i}.{kind}"] = {0: "batch_size", 2: "total_sequence_length"}
        _export(decoder, (embeds, mask, pos, *cache), os.path.join(tmp, "decoder_model_merged.onnx"), names_in, names_out, axes)
        for graph in GRAPHS:
            log(f"saving onnx/{onnx_name(graph, dtype)} (+ _data) ...")
            proto = onnx.load(os.path.join(tmp, f"{graph}.onnx"), load_external_data=True)
            save_consolidated(proto, os.path.join(onnx_dir, onnx_name(graph, dtype)))
    return [f"onnx/{onnx_name(g, dtype)}" for g in GRAPHS]


def quantize_q4(out_dir, source_dtype, target_dtype, block_size, quantize_vision, exclude_lm_head, log):
    """MatMulNBits (4-bit, symmetric, block `block_size`) from the fp16/fp32 graphs.

    embed_tokens is a Gather, which MatMulNBits does not cover: it is copied. The vision encoder
    is copied too unless quantize_vision (its precision shows directly in box coordinates).
    """
    try:
        from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer
    except ImportError:  # onnxruntime < 1.20 names it MatMul4BitsQuantizer
        from onnxruntime.quantization.matmul_4bits_quantizer import MatMul4BitsQuantizer as MatMulNBitsQuantizer
    # The quantizer logs every node it skips at INFO: thousands of lines for a real model.
    logging.getLogger("onnxruntime.quantization").setLevel(logging.WARNING)
    onnx_dir = os.path.join(out_dir, "onnx")
    written = []
    for graph in GRAPHS:
        src = os.path.join(onnx_dir, onnx_name(graph, source_dtype))
        dst = os.path.join(onnx_dir, onnx_name(graph, target_dtype))
        proto = onnx.load(src, load_external_data=True)
        if graph == "decoder_model_merged" or (graph == "vision_encoder" and quantize_vision):
            exclude = [n.name for n in proto.graph.node if exclude_lm_head and n.op_type == "MatMul" and "lm_head" in n.name]
            log(f"quantizing {graph} to {target_dtype} (block {block_size}{', lm_head kept' if exclude else ''}) ...")
            q = MatMulNBitsQuantizer(proto, block_size=block_size, is_symmetric=True, nodes_to_exclude=exclude)
            q.process()
            proto = q.model.model
        else:
            log(f"copying {graph} as {target_dtype} (not quantized) ...")
        save_consolidated(proto, dst)
        written.append(f"onnx/{onnx_name(graph, target_dtype)}")
    return written


def remove_outputs(out_dir, dtype):
    for graph in GRAPHS:
        for suffix in ("", "_data"):
            path = os.path.join(out_dir, "onnx", onnx_name(graph, dtype) + suffix)
            if os.path.exists(path):
                os.remove(path)


def copy_if_exists(src_dir, name, out_dir):
    src = os.path.join(src_dir, name)
    if os.path.exists(src):
        shutil.copyfile(src, os.path.join(out_dir, name))
        return True
    return False
