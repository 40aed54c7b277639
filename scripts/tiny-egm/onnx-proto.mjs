// The tiny model's graphs are encoded by the model builder's ONNX writer
// (electron/models/onnx-builder/onnx-proto.ts); these wrappers keep graphs.mjs terse:
// inline constant tensors, nodes named after their first output, opset 17.
import { inlineTensor, modelProto, nodeProto, valueInfo } from '../../electron/models/onnx-builder/onnx-proto.ts';

export { valueInfo };

/** A constant tensor stored inline; values are numbers or bigints. */
export function tensor(name, type, dims, values) {
  let raw;
  if (type === 'float') raw = new Uint8Array(Float32Array.from(values).buffer);
  else if (type === 'int64') raw = new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer);
  else if (type === 'int32') raw = new Uint8Array(Int32Array.from(values).buffer);
  else throw new Error(`onnx-proto: unsupported tensor type ${type}`);
  return inlineTensor(name, type, dims, raw);
}

/** One graph node: op(inputs) → outputs, with integer or string attributes. */
export function node(op, inputs, outputs, attributes = {}) {
  return nodeProto(op, inputs, outputs, `${op}_${outputs[0]}`, attributes);
}

/** Serialises a model: IR 8, default-domain opset 17 (what the tiny graphs were checked with). */
export function model({ name, nodes, inputs, outputs, initializers = [] }) {
  return modelProto({ name, nodes, inputs, outputs, initializers, opsets: { '': 17 }, producer: 'egm-annotator make-tiny-egm' });
}
