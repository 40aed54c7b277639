// Counts the nodes of ONNX graphs by op type, side by side (for the decoder's
// before/after in models/ENGINE.md). Reads only the graph structure (.onnx,
// weights stay in .onnx_data), with a minimal protobuf walk:
// ModelProto.graph (7) → GraphProto.node (1) → NodeProto.op_type (4), domain (7).
//   npx tsx bench/onnx-op-counts.ts <a.onnx> [<b.onnx> …]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** Calls `each(field, wireType, start, end)` for the length-delimited fields of one message; skips the others. */
function fields(buf: Uint8Array, start: number, end: number, each: (field: number, start: number, end: number) => void): void {
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
    if (wire === 0) varint();
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const len = varint();
      each(Math.floor(tag / 8), at, at + len);
      at += len;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
}

export function opCounts(path: string): Map<string, number> {
  const buf = readFileSync(path);
  const text = new TextDecoder();
  const counts = new Map<string, number>();
  fields(buf, 0, buf.length, (f, s, e) => {
    if (f !== 7) return;
    fields(buf, s, e, (gf, gs, ge) => {
      if (gf !== 1) return;
      let op = '';
      let domain = '';
      fields(buf, gs, ge, (nf, ns, ne) => {
        if (nf === 4) op = text.decode(buf.subarray(ns, ne));
        else if (nf === 7) domain = text.decode(buf.subarray(ns, ne));
      });
      const key = domain && domain !== 'ai.onnx' ? `${domain}:${op}` : op;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    });
  });
  return counts;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('onnx-op-counts.ts')) {
  const files = process.argv.slice(2);
  if (!files.length) throw new Error('usage: npx tsx bench/onnx-op-counts.ts <a.onnx> [<b.onnx> …]');
  const all = files.map(opCounts);
  const ops = [...new Set(all.flatMap((c) => [...c.keys()]))].sort();
  const width = Math.max(8, ...ops.map((o) => o.length));
  console.log(['op'.padEnd(width), ...files.map((f) => basename(f).padStart(12))].join('  '));
  for (const op of ops) console.log([op.padEnd(width), ...all.map((c) => String(c.get(op) ?? 0).padStart(12))].join('  '));
  console.log(['total'.padEnd(width), ...all.map((c) => String([...c.values()].reduce((a, b) => a + b, 0)).padStart(12))].join('  '));
}
