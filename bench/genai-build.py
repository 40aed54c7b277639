"""onnxruntime-genai's model builder, run with its 4-bit pass one MatMul at a time.

`npm run bench:model` builds the same random text decoder with
onnxruntime-genai's own builder (`python -m onnxruntime_genai.models.builder`),
the reference the app's decoder is measured against. Its int4 pass
(`Model.to_nbits`) converts the whole float32 model to one ModelProto before
quantizing it: for a 4B model that is 16 GB of float32 plus the quantizer's
copies, more than a 24 GB machine has. This runs the same builder with that one
method replaced: each MatMul the stock pass would quantize goes through the
same MatMulNBitsQuantizer, with the same settings (bits, block size, symmetry,
accuracy level, algorithm, excluded nodes), as a one-node model, and its
MatMulNBits node and initializers replace the MatMul in the builder's graph.
Everything else (graph, attention, KV cache layout, genai_config.json) is the
builder's own (the CUDA-only fpA_intB weight prepack post-pass is not run).
Arguments are the builder's.
"""
import os
import runpy
import sys

import numpy as np
import onnx
import onnx_ir as ir
import onnxruntime_genai.models as genai_models
from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer
from onnxruntime.quantization.quant_utils import QuantFormat

MODELS_DIR = os.path.dirname(genai_models.__file__)
sys.path.insert(0, MODELS_DIR)
import builders.base as base  # noqa: E402  (the builder's own module, as builder.py imports it)


def one_node_model(node, op_types):
    """The node as a model of its own: its constant weight as the initializer, its other input as a graph input."""
    if node.op_type == "MatMul":
        a_value, w_value = node.inputs[0], node.inputs[1]
        weight = np.asarray(w_value.const_value.numpy(), dtype=np.float32)
        k, n = weight.shape
        rank = len(a_value.shape) if a_value.shape is not None else 3
        dims = ["d%d" % d for d in range(rank - 1)]
        g = onnx.helper.make_graph(
            [onnx.helper.make_node("MatMul", ["A", w_value.name], ["Y"], name=node.name)],
            "one_node",
            [onnx.helper.make_tensor_value_info("A", onnx.TensorProto.FLOAT, dims + [k])],
            [onnx.helper.make_tensor_value_info("Y", onnx.TensorProto.FLOAT, dims + [n])],
            [onnx.numpy_helper.from_array(weight, w_value.name)],
        )
        return g, {"A": a_value}, w_value
    # Gather over a constant table (the embedding): data is input 0.
    w_value, idx_value = node.inputs[0], node.inputs[1]
    table = np.asarray(w_value.const_value.numpy(), dtype=np.float32)
    axis = node.attributes["axis"].value if "axis" in node.attributes else 0
    g = onnx.helper.make_graph(
        [onnx.helper.make_node("Gather", [w_value.name, "I"], ["Y"], name=node.name, axis=axis)],
        "one_node",
        [onnx.helper.make_tensor_value_info("I", onnx.TensorProto.INT64, ["b", "s"])],
        [onnx.helper.make_tensor_value_info("Y", onnx.TensorProto.FLOAT, ["b", "s", table.shape[1]])],
        [onnx.numpy_helper.from_array(table, w_value.name)],
    )
    return g, {"I": idx_value}, w_value


def to_nbits_per_node(self):
    a = self.quant_attrs
    if a.get("use_qdq"):
        raise SystemExit("genai-build.py: the QDQ format is not handled here")
    graph = self.model.graph
    exclude = set(a["nodes_to_exclude"])
    op_types = set(a["op_types_to_quantize"])
    if op_types - {"MatMul", "Gather"}:
        raise SystemExit(f"genai-build.py: only MatMul and Gather quantization are handled here, asked for {sorted(op_types)}")

    def const(v):
        return v is not None and v.const_value is not None

    todo = [
        n
        for n in graph
        if n.name not in exclude
        and n.op_type in op_types
        and ((n.op_type == "MatMul" and const(n.inputs[1])) or (n.op_type == "Gather" and const(n.inputs[0])))
    ]
    print(f"genai-build.py: quantizing {len(todo)} nodes one at a time")
    for i, node in enumerate(todo):
        g, graph_inputs, w_value = one_node_model(node, op_types)
        q = MatMulNBitsQuantizer(
            model=onnx.helper.make_model(g, opset_imports=[onnx.helper.make_opsetid("", 21)]),
            bits=a["bits"],
            block_size=a["matmul_block_size"],
            is_symmetric=a["is_symmetric"],
            accuracy_level=a["accuracy_level"],
            quant_format=QuantFormat.QOperator,
            op_types_to_quantize=(node.op_type,),
            algo_config=a["algo_config"],
        )
        q.process()
        out = q.model.model.graph
        if len(out.node) != 1:
            raise SystemExit(f"genai-build.py: {node.name} became {len(out.node)} nodes")
        qnode = out.node[0]
        inits = {t.name: onnx.numpy_helper.to_array(t) for t in out.initializer}
        inputs = []
        for name in qnode.input:
            if not name:
                inputs.append(None)
            elif name in graph_inputs:
                inputs.append(graph_inputs[name])
            else:
                # The quantizer names them after the weight (x.weight_Q4, x.weight_scales, ...), as the
                # stock pass does: tied embeddings refer to lm_head's by those names.
                value = ir.Value(name=name, const_value=ir.tensor(inits[name], name=name))
                graph.register_initializer(value)
                inputs.append(value)
        attrs = {}
        for attr in qnode.attribute:
            v = onnx.helper.get_attribute_value(attr)
            attrs[attr.name] = v.decode() if isinstance(v, bytes) else v
        new = ir.node(qnode.op_type, inputs, attributes=attrs, domain=qnode.domain, name=qnode.name or node.name, num_outputs=1)
        graph.insert_before(node, new)
        old_out = node.outputs[0]
        out_name = old_out.name
        ir.convenience.replace_all_uses_with(old_out, new.outputs[0], replace_graph_outputs=True)
        graph.remove(node, safe=True)
        new.outputs[0].name = out_name
        if not list(w_value.uses()):
            graph.initializers.pop(w_value.name, None)
        if (i + 1) % 20 == 0 or i + 1 == len(todo):
            print(f"genai-build.py: {i + 1}/{len(todo)}")
    self.model.opset_imports.setdefault("com.microsoft", 1)
    return self.model


base.Model.to_nbits = to_nbits_per_node
sys.argv = [os.path.join(MODELS_DIR, "builder.py")] + sys.argv[1:]
runpy.run_path(os.path.join(MODELS_DIR, "builder.py"), run_name="__main__")
