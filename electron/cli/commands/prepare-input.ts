// egm prepare-input <image> --model <dir> --phrase <text> [--kind visible|amodal]
//                   [--point x,y] [--max-pixels N] --out <pixels.npy>
// Writes what the local engine would feed the model for this query, without
// running it: pixel_values as a .npy file (float32 [patches, 3·T·P·P]), and on
// stdout {grid:[t,h,w], imageTokens, inputIds, width, height, resizedWidth,
// resizedHeight, prompt}. Anyone can compare them with Hugging Face's processor
// on their own images (models/README.md shows how). Loads the model folder's
// processor only, never the ONNX sessions.
import { printJson, CliError, type CliCommand } from '../command';
import { parseCommandArgs, resolvePath, usageError } from '../common';
import { maxPixelsOption, parsePoint } from '../query-options';
import { probeImage, ImageProblem } from '../../images/probe';
import { DEFAULT_MAX_PIXELS } from '../../images/model-input';
import { oneLine } from '@core/errors';
import type { BoxKind } from '@core/types';

const USAGE = 'prepare-input <image> --model <dir> --phrase <text> [--kind visible|amodal] [--point x,y] [--max-pixels N] --out <pixels.npy>';

const OPTIONS = {
  model: { type: 'string' },
  phrase: { type: 'string' },
  kind: { type: 'string' },
  point: { type: 'string' },
  'max-pixels': { type: 'string' },
  out: { type: 'string' },
} as const;

const usage = (message: string) => usageError(USAGE, message);

export const prepareInputCommand: CliCommand = {
  name: 'prepare-input',
  usage: [USAGE],
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS, USAGE);
    if (positionals.length !== 1) throw usage(`expected one image, got ${positionals.length}`);
    if (!values.model) throw usage('--model <dir> is required');
    if (!values.out) throw usage('--out <pixels.npy> is required');
    const phrase = values.phrase?.trim();
    if (!phrase) throw usage('--phrase is required and must not be empty');
    const kind = (values.kind ?? 'visible') as BoxKind;
    if (kind !== 'visible' && kind !== 'amodal') throw usage(`--kind must be visible or amodal, got '${values.kind}'`);
    const point = parsePoint(usage, values.point);
    const maxPixels = maxPixelsOption(usage, values['max-pixels']) ?? DEFAULT_MAX_PIXELS;
    const imagePath = resolvePath(io, positionals[0]!);
    const out = resolvePath(io, values.out);
    const probed = await probeImage(imagePath).catch((err: unknown) => {
      throw new CliError(err instanceof ImageProblem ? err.message : `${imagePath}: ${oneLine(err)}`);
    });
    if (point && (point[0] >= probed.width || point[1] >= probed.height)) throw usage(`--point ${point.join(',')} is outside the ${probed.width}x${probed.height} image`);

    // Loaded here, not at the top: the module pulls in transformers.js and sharp.
    const { loadQueryInputs } = await import('../../engine/local/query-input');
    const { writeNpy } = await import('../../engine/local/npy');
    const inputs = await loadQueryInputs(resolvePath(io, values.model)).catch((err: unknown) => {
      throw new CliError(oneLine(err));
    });
    const image = await inputs.images.get(imagePath, maxPixels).catch((err: unknown) => {
      throw new CliError(oneLine(err));
    });
    const { prompt, inputIds } = inputs.prompt({ phrase, kind, ...(point ? { point } : {}) }, image);
    const values32 = image.pixelValues.data as Float32Array;
    writeNpy(out, values32, image.pixelValues.dims as number[]);
    io.stderr(`prepare-input: wrote ${out} (${image.pixelValues.dims.join('x')} float32)\n`);
    printJson(io, {
      grid: Array.from(image.imageGridThw.data as BigInt64Array, Number),
      imageTokens: image.visualTokens,
      inputIds: Array.from(inputIds, Number),
      width: image.originalWidth,
      height: image.originalHeight,
      resizedWidth: image.width,
      resizedHeight: image.height,
      prompt,
    });
  },
};
