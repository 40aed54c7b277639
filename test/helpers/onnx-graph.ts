// Reads the nodes of an ONNX graph file (.onnx; weights stay in .onnx_data)
// with a minimal protobuf walk, no onnx package needed: ModelProto.graph (7)
// → GraphProto.node (1) → NodeProto.op_type (4), domain (7), attribute (5) →
// AttributeProto.name (1), i (3); and where its initializers' bytes lie:
// GraphProto.initializer (5) → TensorProto.name (8), external_data (13) →
// StringStringEntryProto key (1), value (2). For tests that check what the
// builder wrote, and for bench/onnx-op-counts.ts.
import { readFileSync } from 'node:fs';

/**
 * Calls `each(field, start, end, value)` for the fields of one message:
 * length-delimited ones with their span, varints with their value (spans
 * empty); fixed-width ones are skipped.
 */
function fields(buf: Uint8Array, start: number, end: number, each: (field: number, start: number, end: number, value: number) => void): void {
  let at = start;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const b = buf[at++]!;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
  };
  while (at < end) {
    const tag = varint();
    const wire = tag & 7;
    const field = Math.floor(tag / 8);
    if (wire === 0) each(field, at, at, varint());
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const len = varint();
      each(field, at, at + len, len);
      at += len;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
}

export interface OnnxNode {
  opType: string;
  /** '' for the default domain. */
  domain: string;
  /** The node's integer attributes (non-negative ones, as the builder writes them). */
  ints: Record<string, number>;
}

/** The nodes of the graph in `path`, in order. */
export function onnxNodes(path: string): OnnxNode[] {
  const buf = readFileSync(path);
  const text = new TextDecoder();
  const nodes: OnnxNode[] = [];
  fields(buf, 0, buf.length, (f, s, e) => {
    if (f !== 7) return;
    fields(buf, s, e, (gf, gs, ge) => {
      if (gf !== 1) return;
      const node: OnnxNode = { opType: '', domain: '', ints: {} };
      fields(buf, gs, ge, (nf, ns, ne) => {
        if (nf === 4) node.opType = text.decode(buf.subarray(ns, ne));
        else if (nf === 7) node.domain = text.decode(buf.subarray(ns, ne));
        else if (nf === 5) {
          let name = '';
          let i: number | undefined;
          fields(buf, ns, ne, (af, as, ae, value) => {
            if (af === 1) name = text.decode(buf.subarray(as, ae));
            else if (af === 3) i = value;
          });
          if (i !== undefined) node.ints[name] = i;
        }
      });
      nodes.push(node);
    });
  });
  return nodes;
}

/** Where an initializer stored outside the graph lies: its file (relative to the graph's folder) and span. */
export interface ExternalSpan {
  location: string;
  offset: number;
  length: number;
}

/** The graph's initializers that live in external data files, by name. */
export function onnxExternalData(path: string): Map<string, ExternalSpan> {
  const buf = readFileSync(path);
  const text = new TextDecoder();
  const out = new Map<string, ExternalSpan>();
  fields(buf, 0, buf.length, (f, s, e) => {
    if (f !== 7) return;
    fields(buf, s, e, (gf, gs, ge) => {
      if (gf !== 5) return;
      let name = '';
      const entries: Record<string, string> = {};
      fields(buf, gs, ge, (tf, ts, te) => {
        if (tf === 8) name = text.decode(buf.subarray(ts, te));
        else if (tf === 13) {
          let key = '';
          let value = '';
          fields(buf, ts, te, (kf, ks, ke) => {
            if (kf === 1) key = text.decode(buf.subarray(ks, ke));
            else if (kf === 2) value = text.decode(buf.subarray(ks, ke));
          });
          entries[key] = value;
        }
      });
      if (entries.location) out.set(name, { location: entries.location, offset: Number(entries.offset ?? 0), length: Number(entries.length) });
    });
  });
  return out;
}
