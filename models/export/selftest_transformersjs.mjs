// Runs an exported folder through @huggingface/transformers itself (the app's local engine path)
// and writes what it fed the model and what it generated, for selftest_graphs.py --compare-js:
//   node models/export/selftest_transformersjs.mjs <model-dir> <image> <out.json> [steps]
// Checks on the way what the export relies on in transformers.js: external data found through
// config.json, the empty cache sized from a `batch_size` dimension, image rows copied whole
// (DeepStack channels included) into inputs_embeds, MRoPE positions from image_grid_thw.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { AutoProcessor, Qwen3VLForConditionalGeneration, RawImage, env } from '@huggingface/transformers';

const [dir, imagePath, outPath, steps = '8'] = process.argv.slice(2);
if (!dir || !imagePath || !outPath) throw new Error('usage: node selftest_transformersjs.mjs <model-dir> <image> <out.json> [steps]');
env.allowRemoteModels = false;
env.cacheDir = tmpdir();

const processor = await AutoProcessor.from_pretrained(dir);
const model = await Qwen3VLForConditionalGeneration.from_pretrained(dir, { dtype: 'fp32', device: 'cpu' });
const messages = [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: 'Locate the lime partly hidden behind the orange, output its bbox coordinates using JSON format' }] }];
const text = processor.apply_chat_template(messages, { add_generation_prompt: true });
const inputs = await processor(text, await RawImage.read(imagePath));
const output = await model.generate({ ...inputs, max_new_tokens: Number(steps), do_sample: false });
const promptLength = inputs.input_ids.dims[1];
const tokens = output.tolist()[0].slice(promptLength).map(Number);
writeFileSync(
  outPath,
  JSON.stringify({
    input_ids: inputs.input_ids.tolist()[0].map(Number),
    pixel_values: Array.from(inputs.pixel_values.data),
    pixel_dims: inputs.pixel_values.dims,
    image_grid_thw: inputs.image_grid_thw.tolist().map((r) => r.map(Number)),
    tokens,
  }),
);
console.log(`transformers.js: prompt ${promptLength} tokens, grid ${inputs.image_grid_thw.tolist()[0].join('x')}, generated ${tokens.join(',')}`);
