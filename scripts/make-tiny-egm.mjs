// `npm run fixtures`: generates test/fixtures/tiny-egm/ (gitignored), the tiny
// Qwen3-VL-layout model the integration tests and benchmarks run. Run by tsx:
// the ONNX graphs are encoded by the model builder's writer
// (electron/models/onnx-builder/onnx-proto.ts), no Python.
// Usage: npx tsx scripts/make-tiny-egm.mjs [out-dir]
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTinyEgm } from './tiny-egm/generate.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const outDir = resolve(process.argv[2] ?? resolve(root, 'test/fixtures/tiny-egm'));
const started = performance.now();
const { tokens } = await makeTinyEgm(outDir);
console.error(`make-tiny-egm: wrote ${outDir} (${tokens.length} scripted tokens) in ${Math.round(performance.now() - started)} ms`);
