// A small random Qwen3-VL written and built here with the app's own builder
// (bench/random-checkpoint.ts, no Python, a few seconds): hidden 64, 4 heads
// over 2 kv heads of 32, DeepStack on both vision layers. Unlike the scripted
// tiny fixture it has what `egm model build` writes: external data files and
// the decoder's 'rows-v1' cache contract.
import { join } from 'node:path';
import { buildModel } from '../../electron/models/onnx-builder/build-model';
import { writeRandomCheckpoint } from '../../bench/random-checkpoint';

/** Writes the checkpoint under `dir`/checkpoint, builds fp32 to `dir`/model and returns the model folder. */
export async function buildSmallRandomModel(dir: string, id: string, textLayers = 3): Promise<string> {
  writeRandomCheckpoint(join(dir, 'checkpoint'), {
    textLayers,
    visionDepth: 2,
    deepstack: [0, 1],
    shape: { hidden: 64, intermediate: 96, heads: 4, kvHeads: 2, headDim: 32, visionHidden: 32, visionIntermediate: 48, visionHeads: 2 },
  });
  await buildModel({ source: join(dir, 'checkpoint'), out: join(dir, 'model'), dtypes: ['fp32'], id });
  return join(dir, 'model');
}
