// Counts the nodes of ONNX graphs by op type, side by side (for the decoder's
// before/after in models/ENGINE.md). Reads only the graph structure (.onnx,
// weights stay in .onnx_data), with the minimal protobuf walk of
// test/helpers/onnx-graph.ts.
//   npx tsx bench/onnx-op-counts.ts <a.onnx> [<b.onnx> …]
import { basename } from 'node:path';
import { onnxNodes } from '../test/helpers/onnx-graph';

export function opCounts(path: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { opType, domain } of onnxNodes(path)) {
    const key = domain && domain !== 'ai.onnx' ? `${domain}:${opType}` : opType;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
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
