// ONNX protobuf encoding for the model builder: just the messages and fields
// a graph with external weights needs (onnx/onnx.proto field numbers).
// Wire format: tag = (field << 3) | wireType; 0 varint, 2 length-delimited, 5 fixed32.
// Weights never pass through here: each initializer is a reference to a span
// of the .onnx_data file (data_location EXTERNAL), so a graph proto stays small
// whatever the model's size.

export const DATA_TYPE = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9, float16: 10 } as const;
export type DataType = keyof typeof DATA_TYPE;

const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

export class ProtoWriter {
  private parts: Uint8Array[] = [];
  private size = 0;

  private push(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.size += bytes.length;
  }
  varint(value: number | bigint): this {
    // BigInt keeps negative int64 values exact (two's complement, 10 bytes).
    let v = BigInt.asUintN(64, BigInt(value));
    const bytes: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      bytes.push(byte);
    } while (v !== 0n);
    this.push(Uint8Array.from(bytes));
    return this;
  }
  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }
  int(field: number, value: number | bigint): this {
    this.tag(field, 0);
    return this.varint(value);
  }
  bytes(field: number, data: Uint8Array): this {
    this.tag(field, 2);
    this.varint(data.length);
    this.push(data);
    return this;
  }
  string(field: number, text: string): this {
    return this.bytes(field, new TextEncoder().encode(text));
  }
  message(field: number, inner: ProtoWriter): this {
    return this.bytes(field, inner.finish());
  }
  float(field: number, value: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const p of this.parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  }
}

/** A tensor whose bytes live in the external data file at [offset, offset + length). */
export function externalTensor(name: string, type: DataType, dims: readonly number[], location: string, offset: number, length: number): ProtoWriter {
  const w = new ProtoWriter();
  for (const d of dims) w.int(1, d);
  w.int(2, DATA_TYPE[type]);
  w.string(8, name);
  for (const [key, value] of [['location', location], ['offset', String(offset)], ['length', String(length)]] as const) {
    w.message(13, new ProtoWriter().string(1, key).string(2, value));
  }
  w.int(14, 1); // data_location = EXTERNAL
  return w;
}

/** A small constant stored inline (shapes, axes, scalars). */
export function inlineTensor(name: string, type: DataType, dims: readonly number[], raw: Uint8Array): ProtoWriter {
  const w = new ProtoWriter();
  for (const d of dims) w.int(1, d);
  w.int(2, DATA_TYPE[type]);
  w.string(8, name);
  w.bytes(9, raw);
  return w;
}

export type AttributeValue = number | string | number[] | { float: number } | { floats: number[] } | { tensor: ProtoWriter };

function attribute(name: string, value: AttributeValue): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if (typeof value === 'string') return w.string(4, value).int(20, ATTR.STRING);
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`attribute ${name}: ${value} is not an integer (use {float})`);
    return w.int(3, value).int(20, ATTR.INT);
  }
  if (Array.isArray(value)) {
    for (const v of value) w.int(8, v);
    return w.int(20, ATTR.INTS);
  }
  if ('float' in value) return w.float(2, value.float).int(20, ATTR.FLOAT);
  if ('floats' in value) {
    for (const v of value.floats) w.float(7, v);
    return w.int(20, ATTR.FLOATS);
  }
  return w.message(5, value.tensor).int(20, ATTR.TENSOR);
}

export function nodeProto(op: string, inputs: readonly string[], outputs: readonly string[], name: string, attributes: Record<string, AttributeValue>, domain = ''): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of inputs) w.string(1, i);
  for (const o of outputs) w.string(2, o);
  w.string(3, name);
  w.string(4, op);
  for (const [key, value] of Object.entries(attributes)) w.message(5, attribute(key, value));
  if (domain) w.string(7, domain);
  return w;
}

/** A typed graph input/output; dims are numbers (fixed) or strings (symbolic names). */
export function valueInfo(name: string, type: DataType, dims: readonly (number | string)[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims) shape.message(1, typeof d === 'string' ? new ProtoWriter().string(2, d) : new ProtoWriter().int(1, d));
  const tensorType = new ProtoWriter().int(1, DATA_TYPE[type]).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

export interface ModelParts {
  name: string;
  nodes: ProtoWriter[];
  initializers: ProtoWriter[];
  inputs: ProtoWriter[];
  outputs: ProtoWriter[];
  /** Opset per domain ('' = ai.onnx). */
  opsets: Record<string, number>;
  producer: string;
}

export function modelProto(parts: ModelParts): Uint8Array {
  const graph = new ProtoWriter();
  for (const n of parts.nodes) graph.message(1, n);
  graph.string(2, parts.name);
  for (const t of parts.initializers) graph.message(5, t);
  for (const i of parts.inputs) graph.message(11, i);
  for (const o of parts.outputs) graph.message(12, o);
  const w = new ProtoWriter().int(1, 8).string(2, parts.producer).message(7, graph);
  for (const [domain, version] of Object.entries(parts.opsets)) w.message(8, new ProtoWriter().string(1, domain).int(2, version));
  return w.finish();
}
