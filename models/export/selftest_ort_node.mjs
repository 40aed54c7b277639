// Runs the graphs selftest_graphs.py exported (fp32) with onnxruntime-node, the runtime the app
// uses, when Python has no onnxruntime:  node models/export/selftest_ort_node.mjs /tmp/egm-selftest
// Same steps as transformers.js: vision_encoder -> embed_tokens -> copy image rows -> decoder
// prefill with an empty cache (sized from the graph's metadata) -> cached greedy steps.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';

const dir = process.argv[2] ?? '/tmp/egm-selftest';
const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
const open = (name) => ort.InferenceSession.create(join(dir, 'onnx', `${name}.onnx`));
const [vision, embed, decoder] = await Promise.all(['vision_encoder', 'embed_tokens', 'decoder_model_merged'].map(open));
const i64 = (arr, dims) => new ort.Tensor('int64', BigInt64Array.from(arr.flat(Infinity).map(BigInt)), dims);
const f32 = (arr, dims) => new ort.Tensor('float32', Float32Array.from(arr.flat(Infinity)), dims);

const ids = c.input_ids[0];
const { image_features: feats } = await vision.run({ pixel_values: f32(c.pixel_values, [c.pixel_values.length, c.pixel_values[0].length]), image_grid_thw: i64(c.image_grid_thw, [1, 3]) });
const { inputs_embeds: emb } = await embed.run({ input_ids: i64([ids], [1, ids.length]) });
const width = emb.dims[2];
if (feats.dims[1] !== width) throw new Error(`image_features width ${feats.dims[1]} != inputs_embeds width ${width}`);
let row = 0;
ids.forEach((id, j) => {
  if (id === c.image_token_id) emb.data.set(feats.data.subarray(row++ * width, row * width), j * width);
});
if (row !== feats.dims[0]) throw new Error(`${row} image tokens, ${feats.dims[0]} feature rows`);

const past = {};
decoder.inputMetadata
  .filter((m) => m.name.startsWith('past_key_values.'))
  .forEach((m) => {
    const shape = m.shape.map((d) => (typeof d === 'number' ? d : d === 'batch_size' ? 1 : 0));
    past[m.name] = new ort.Tensor('float32', new Float32Array(0), shape);
  });
const step = async (inputs_embeds, length, position_ids) => {
  const out = await decoder.run({ inputs_embeds, attention_mask: i64(Array(length).fill(1), [1, length]), position_ids, ...past });
  for (const [k, v] of Object.entries(out)) if (k.startsWith('present.')) past[k.replace('present.', 'past_key_values.')] = v;
  return out.logits.data;
};
let logits = await step(emb, ids.length, i64(c.position_ids, [3, 1, ids.length]));
const first = Float32Array.from(logits);
const tokens = [];
let length = ids.length;
for (let s = 0; s < c.steps; s++) {
  const tok = logits.reduce((best, v, i, a) => (v > a[best] ? i : best), 0);
  tokens.push(tok);
  if (tok === c.eos || s === c.steps - 1) break;
  const { inputs_embeds } = await embed.run({ input_ids: i64([[tok]], [1, 1]) });
  const p = length + c.rope_delta;
  logits = await step(inputs_embeds, length + 1, i64([p, p, p], [3, 1, 1]));
  length += 1;
}
const diff = first.reduce((m, v, i) => Math.max(m, Math.abs(v - c.expected_logits[i])), 0);
const same = tokens.length === c.expected_tokens.length && tokens.every((t, i) => t === c.expected_tokens[i]);
console.log(`onnxruntime-node vs reference: logits max|diff|=${diff.toPrecision(3)}; greedy ${same ? 'identical' : 'DIFFERENT'} (${tokens.join(',')} vs ${c.expected_tokens.join(',')})`);
process.exitCode = diff < 1e-3 && same ? 0 : 1;
