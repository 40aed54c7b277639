"""The 4-bit kernel's own speed, beside the app's decoder (bench/egm4b-local.ts).

    python bench/int4-kernel.py <decoder.onnx> [--runs 9] [--threads 2]
    python bench/int4-kernel.py --blocks [--layers 12] [--threads 2]

Takes a built decoder (`egm model build`, q4 or q4f16), keeps only its
MatMulNBits nodes, each fed a random [1, 1, K] activation (one token, as a
decode step), and times one pass over all of them with onnxruntime (the same
version as onnxruntime-node, the same session options as the app: spinning
stops when a run returns and lasts at most 100 µs inside one; the given
threads). Their weights are the decoder's own: the pruned graph is written
beside the decoder (removed afterwards) and points at the same .onnx_data
spans. So the result is what a decode step would cost if it were nothing
but its 4-bit matrix products: the ceiling the rest of the graph (norms,
rotary, attention, reshapes) can only lower. Prints one JSON line:
    {"ms": median ms of a pass, "nodes": MatMulNBits nodes, "bytes": their weight bytes (4-bit values, scales, zero points)}

--blocks: the lever left, measured. Random 4-bit weights of EGM-4B's decoder
layer shapes (q, k, v, o, gate, up, down; asymmetric, float32 activations,
accuracy level 4), `--layers` of them (more than the caches hold), one graph
per block size (32, the builder's default, 64, 128), timed the same way and
scaled to 36 layers; one JSON line per block size:
    {"block": 32, "ms_36_layers": ..., "gb_s": read speed of the 4-bit values, scales and zero points}
Its quantisation error per block size is bench/q4-blocks.bench.ts'.
"""
import argparse
import json
import os
import time

import numpy as np
import onnx
import onnx.numpy_helper
import onnxruntime as ort
from onnx import TensorProto, helper


def pruned(path: str) -> tuple[onnx.ModelProto, list[int], int, int]:
    model = onnx.load(path, load_external_data=False)
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    nodes, outputs, used, ks = [], [], [], set()
    weight_bytes = 0
    activation_type = TensorProto.FLOAT
    for node in graph.node:
        if node.op_type != "MatMulNBits":
            continue
        k = next(a.i for a in node.attribute if a.name == "K")
        n = next(a.i for a in node.attribute if a.name == "N")
        scales = inits.get(node.input[2])
        if scales is not None:
            activation_type = scales.data_type
        ks.add(k)
        out = f"y{len(nodes)}"
        copy = helper.make_node("MatMulNBits", [f"a{k}", *node.input[1:]], [out], domain=node.domain)
        copy.attribute.extend(node.attribute)
        nodes.append(copy)
        outputs.append(helper.make_tensor_value_info(out, activation_type, [1, 1, n]))
        for name in node.input[1:]:
            if name and name in inits and name not in used:
                used.append(name)
                weight_bytes += int(next((e.value for e in inits[name].external_data if e.key == "length"), "0") or 0) or len(inits[name].raw_data)
    if not nodes:
        raise SystemExit(f"{path}: no MatMulNBits nodes (not a 4-bit build)")
    inputs = [helper.make_tensor_value_info(f"a{k}", activation_type, [1, 1, k]) for k in sorted(ks)]
    small = helper.make_graph(nodes, "int4_kernel", inputs, outputs, [inits[n] for n in used])
    out = helper.make_model(small, opset_imports=list(model.opset_import), ir_version=model.ir_version)
    return out, sorted(ks), len(nodes), weight_bytes


def session_options(threads: int) -> ort.SessionOptions:
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.add_session_config_entry("session.force_spinning_stop", "1")
    so.add_session_config_entry("session.intra_op.spin_duration_us", "100")
    so.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return so


def median_ms(session: ort.InferenceSession, feeds: dict, runs: int) -> float:
    for _ in range(2):
        session.run(None, feeds)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        session.run(None, feeds)
        times.append((time.perf_counter() - t) * 1000)
    return sorted(times)[len(times) // 2]


# EGM-4B's decoder layer: (K, N) of q, k, v, o, gate, up, down.
LAYER = [(2560, 4096), (2560, 1024), (2560, 1024), (4096, 2560), (2560, 9728), (2560, 9728), (9728, 2560)]


def synthetic(block: int, layers: int, rng: np.random.Generator) -> tuple[bytes, int]:
    nodes, inits, outputs, ks, weight_bytes = [], [], [], set(), 0
    for layer in range(layers):
        for j, (k, n) in enumerate(LAYER):
            name = f"{layer}_{j}"
            blocks = (k + block - 1) // block
            tensors = [
                (f"w{name}", rng.integers(0, 256, (n, blocks, block // 2), dtype=np.uint8)),
                (f"s{name}", (rng.random(n * blocks, dtype=np.float32) * 0.01)),
                (f"z{name}", rng.integers(0, 256, n * ((blocks + 1) // 2), dtype=np.uint8)),
            ]
            for tname, value in tensors:
                inits.append(onnx.numpy_helper.from_array(value, tname))
                weight_bytes += value.nbytes
            ks.add(k)
            nodes.append(helper.make_node("MatMulNBits", [f"a{k}", *(t for t, _ in tensors)], [f"y{name}"], domain="com.microsoft", K=k, N=n, bits=4, block_size=block, accuracy_level=4))
            outputs.append(helper.make_tensor_value_info(f"y{name}", TensorProto.FLOAT, [1, 1, n]))
    inputs = [helper.make_tensor_value_info(f"a{k}", TensorProto.FLOAT, [1, 1, k]) for k in sorted(ks)]
    graph = helper.make_graph(nodes, "int4_blocks", inputs, outputs, inits)
    model = helper.make_model(graph, ir_version=10, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)])
    return model.SerializeToString(), weight_bytes


def blocks(layers: int, threads: int, runs: int) -> None:
    rng = np.random.default_rng(0)
    for block in (32, 64, 128):
        raw, weight_bytes = synthetic(block, layers, rng)
        session = ort.InferenceSession(raw, session_options(threads), providers=["CPUExecutionProvider"])
        del raw
        feeds = {f"a{k}": rng.standard_normal((1, 1, k)).astype(np.float32) for k in sorted({k for k, _ in LAYER})}
        ms = median_ms(session, feeds, runs)
        print(json.dumps({"block": block, "ms_36_layers": ms * 36 / layers, "gb_s": weight_bytes / 1e9 / (ms / 1000)}), flush=True)
        del session


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("decoder", nargs="?")
    p.add_argument("--blocks", action="store_true")
    p.add_argument("--layers", type=int, default=12)
    p.add_argument("--runs", type=int, default=9)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    if a.blocks:
        blocks(a.layers, a.threads, a.runs)
        return
    if not a.decoder:
        p.error("a decoder .onnx, or --blocks")
    model, ks, count, weight_bytes = pruned(a.decoder)
    # Beside the decoder, so the initializers' relative .onnx_data location resolves.
    beside = os.path.join(os.path.dirname(os.path.abspath(a.decoder)), f".int4-kernel-{os.getpid()}.onnx")
    onnx.save(model, beside)
    try:
        session = ort.InferenceSession(beside, session_options(a.threads), providers=["CPUExecutionProvider"])
    finally:
        os.remove(beside)
    half = session.get_inputs()[0].type == "tensor(float16)"
    rng = np.random.default_rng(0)
    feeds = {f"a{k}": rng.standard_normal((1, 1, k)).astype(np.float16 if half else np.float32) for k in ks}
    print(json.dumps({"ms": median_ms(session, feeds, a.runs), "nodes": count, "bytes": weight_bytes}))


if __name__ == "__main__":
    main()
