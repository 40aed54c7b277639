// egm ground <image> --phrase <text> ...: one grounding query (or two, for
// --kind both) on one image, with a local model folder (run in a model host
// child process, never in this process's thread) or an OpenAI-compatible server.
// stdout: one JSON GroundingResult, or {visible, amodal} for --kind both, boxes
// in original-image pixels. stderr: progress and, with --verbose, the streamed
// reasoning. Exit 1 with one line when the run failed, 130 when interrupted.
import { CliError, printJson, type CliCommand } from '../command';
import { parseCommandArgs, resolvePath, usageError } from '../common';
import { MODEL_OPTIONS, MODEL_USAGE, backendChoice, kindsOption, maxPixelsOption, parsePoint, positiveInt, secondsOption } from '../query-options';
import { kindsOf } from '../../grounding/combine';
import { probeImage, ImageProblem } from '../../images/probe';
import { createBackend } from '../../engine/create-backend';
import { oneLine } from '../../engine/result';
import type { BoxKind, GroundingResult } from '@core/types';

const USAGE =
  'ground <image> --phrase <text> [--kind visible|amodal|both] [--point x,y] ' +
  `${MODEL_USAGE} [--max-pixels N] [--max-tokens N] [--timeout S] [--verbose]`;

const OPTIONS = {
  phrase: { type: 'string' },
  kind: { type: 'string' },
  point: { type: 'string' },
  ...MODEL_OPTIONS,
  'max-tokens': { type: 'string' },
  'max-pixels': { type: 'string' },
  timeout: { type: 'string' },
  verbose: { type: 'boolean' },
} as const;

function usage(message: string) {
  return usageError(USAGE, message);
}

export const groundCommand: CliCommand = {
  name: 'ground',
  usage: [USAGE],
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS, USAGE);
    if (positionals.length !== 1) throw usage(`expected one image, got ${positionals.length}`);
    const phrase = values.phrase?.trim();
    if (!phrase) throw usage('--phrase is required and must not be empty');
    const kindArg = kindsOption(usage, values.kind, 'visible');
    const kinds = kindsOf(kindArg);
    const point = parsePoint(usage, values.point);
    // The app's pixel cap (default images/model-input.ts DEFAULT_MAX_PIXELS); the model folder's own bounds apply too.
    const maxPixels = maxPixelsOption(usage, values['max-pixels']);
    const maxNewTokens = positiveInt(usage, 'max-tokens', values['max-tokens'], undefined);
    const timeoutSeconds = secondsOption(usage, 'timeout', values.timeout);
    const timeoutMs = timeoutSeconds === undefined ? undefined : Math.round(timeoutSeconds * 1000);
    const choice = backendChoice(values, io, usage);
    const verbose = Boolean(values.verbose);

    const imagePath = resolvePath(io, positionals[0]!);
    // Check the image here, before any model loads: its problem is the one-line reason.
    const image = await probeImage(imagePath).catch((err: unknown) => {
      throw new CliError(err instanceof ImageProblem ? err.message : `${imagePath}: ${oneLine(err)}`);
    });
    if (point && (point[0] >= image.width || point[1] >= image.height)) {
      throw usage(`--point ${point.join(',')} is outside the ${image.width}x${image.height} image`);
    }

    let lastShown = -10;
    const backend = await createBackend({
      ...choice,
      ...(choice.kind === 'local' && verbose
        ? {
            onProgress: (p) => {
              const pct = Math.floor(p.progress * 100);
              if (pct >= lastShown + 10 || p.progress === 1) io.stderr(`loading model: ${p.stage} ${pct}%\n`);
              lastShown = pct;
            },
          }
        : {}),
      // The model host is told to shut down once the answer is printed; one that had to be killed is worth a word.
      ...(choice.kind === 'local'
        ? {
            onHostShutdown: ({ killed, detail }) => {
              if (killed) io.stderr(`warning: the model host did not exit when told to shut down; ${detail}\n`);
              else if (verbose) io.stderr(`model host ${detail} when told to shut down\n`);
            },
          }
        : {}),
    }).catch((err: unknown) => {
      throw new CliError(oneLine(err));
    });

    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      const info = backend.info();
      if (verbose) io.stderr(`model ${info.model} on ${info.device}${info.deviceReason ? ` (${info.deviceReason})` : ''}\n`);
      const ask = (kind: BoxKind, onToken?: (t: string) => void) =>
        backend.ground(
          { imagePath, phrase, kind, ...(point ? { point } : {}), ...(maxNewTokens ? { maxNewTokens } : {}), ...(maxPixels ? { maxPixels } : {}), ...(timeoutMs ? { timeoutMs } : {}) },
          { signal: controller.signal, ...(onToken ? { onToken } : {}) },
        );
      const results: GroundingResult[] = [];
      if (verbose) {
        // One stream at a time, so the reasoning of the two queries does not interleave on stderr.
        for (const kind of kinds) {
          io.stderr(`--- ${kind} ---\n`);
          results.push(await ask(kind, (t) => io.stderr(t)));
          io.stderr('\n');
        }
      } else {
        results.push(...(await Promise.all(kinds.map((kind) => ask(kind)))));
      }
      printJson(io, kindArg === 'both' ? { visible: results[0], amodal: results[1] } : results[0]);
      const failed = results.find((r) => r.reason && r.reason !== 'no-box');
      if (failed?.reason === 'cancelled') throw new CliError('cancelled', 130);
      if (failed) throw new CliError(`${failed.kind} query failed: ${failed.reason}`);
    } finally {
      process.removeListener('SIGINT', onSigint);
      await backend.dispose();
    }
  },
};
