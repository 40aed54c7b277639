// A minimal ONNX protobuf writer, so the tiny test model is generated from
// plain Node with no Python or onnx package. Only the messages and fields the
// tiny graphs use are encoded; field numbers are those of onnx/onnx.proto.
// Protobuf wire format: tag = (field << 3) | wireType; 0 = varint, 2 = bytes, 5 = 32-bit.

const DATA_TYPES = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9, float16: 10 };
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 };

/** Accumulates encoded fields of one message. */
class Writer {
  constructor() {
    this.parts = [];
  }
  varint(value) {
    // BigInt keeps negative int64 values exact (two's complement, 10 bytes).
    let v = BigInt.asUintN(64, BigInt(value));
    const bytes = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      bytes.push(byte);
    } while (v !== 0n);
    this.parts.push(Uint8Array.from(bytes));
  }
  tag(field, wire) {
    this.varint((field << 3) | wire);
  }
  int(field, value) {
    this.tag(field, 0);
    this.varint(value);
  }
  bytes(field, data) {
    this.tag(field, 2);
    this.varint(data.length);
    this.parts.push(data);
  }
  string(field, text) {
    this.bytes(field, new TextEncoder().encode(text));
  }
  message(field, writer) {
    this.bytes(field, writer.finish());
  }
  float(field, value) {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.parts.push(b);
  }
  finish() {
    const size = this.parts.reduce((n, p) => n + p.length, 0);
    const out = new Uint8Array(size);
    let offset = 0;
    for (const p of this.parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  }
}

/** A constant tensor. `type` is a key of DATA_TYPES; values are numbers or bigints. */
export function tensor(name, type, dims, values) {
  const w = new Writer();
  for (const d of dims) w.int(1, d);
  w.int(2, DATA_TYPES[type]);
  w.string(8, name);
  let raw;
  if (type === 'float') raw = new Uint8Array(Float32Array.from(values).buffer);
  else if (type === 'int64') raw = new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer);
  else if (type === 'int32') raw = new Uint8Array(Int32Array.from(values).buffer);
  else throw new Error(`onnx-proto: unsupported tensor type ${type}`);
  w.bytes(9, raw);
  return w;
}

function attribute(name, value) {
  const w = new Writer();
  w.string(1, name);
  if (value instanceof Writer) {
    w.message(5, value);
    w.int(20, ATTR.TENSOR);
  } else if (Array.isArray(value)) {
    for (const v of value) w.int(8, v);
    w.int(20, ATTR.INTS);
  } else if (typeof value === 'string') {
    w.string(4, value);
    w.int(20, ATTR.STRING);
  } else if (Number.isInteger(value)) {
    w.int(3, value);
    w.int(20, ATTR.INT);
  } else {
    w.float(2, value);
    w.int(20, ATTR.FLOAT);
  }
  return w;
}

/** One graph node: op(inputs) → outputs, with attributes {name: int | float | string | int[] | tensor}. */
export function node(op, inputs, outputs, attributes = {}) {
  const w = new Writer();
  for (const i of inputs) w.string(1, i);
  for (const o of outputs) w.string(2, o);
  w.string(3, `${op}_${outputs[0]}`);
  w.string(4, op);
  for (const [name, value] of Object.entries(attributes)) w.message(5, attribute(name, value));
  return w;
}

/** A typed graph input/output; dims are numbers (fixed) or strings (symbolic names). */
export function valueInfo(name, type, dims) {
  const shape = new Writer();
  for (const d of dims) {
    const dim = new Writer();
    if (typeof d === 'string') dim.string(2, d);
    else dim.int(1, d);
    shape.message(1, dim);
  }
  const tensorType = new Writer();
  tensorType.int(1, DATA_TYPES[type]);
  tensorType.message(2, shape);
  const typeProto = new Writer();
  typeProto.message(1, tensorType);
  const w = new Writer();
  w.string(1, name);
  w.message(2, typeProto);
  return w;
}

/** Serialises a model: IR 8, default-domain opset 17 (what the tiny graphs were checked with). */
export function model({ name, nodes, inputs, outputs, initializers = [] }) {
  const graph = new Writer();
  for (const n of nodes) graph.message(1, n);
  graph.string(2, name);
  for (const t of initializers) graph.message(5, t);
  for (const i of inputs) graph.message(11, i);
  for (const o of outputs) graph.message(12, o);
  const opset = new Writer();
  opset.string(1, '');
  opset.int(2, 17);
  const w = new Writer();
  w.int(1, 8);
  w.string(2, 'egm-annotator make-tiny-egm');
  w.message(7, graph);
  w.message(8, opset);
  return w.finish();
}
