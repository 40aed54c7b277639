// egm ground <image> --phrase <text> ...: one grounding query (or two, for
// --kind both) on one image, with a local model folder (run in a model host
// child process, never in this process's thread) or an OpenAI-compatible server.
// stdout: one JSON GroundingResult, or {visible, amodal} for --kind both, boxes
// in original-image pixels. stderr: progress and, with --verbose, the streamed
// reasoning. Exit 1 with one line when the run failed, 130 when interrupted.
import { CliError, UsageError, printJson, type CliCommand, type CliIo } from '../command';
import { parseCommandArgs, resolvePath } from '../../coco/cli-common';
import { probeImage, ImageProblem } from '../../images/probe';
import { createBackend, type BackendChoice } from '../../engine/create-backend';
import { DEVICES, type DeviceRequest } from '../../engine/local/device';
import { oneLine } from '../../engine/result';
import type { BoxKind, GroundingResult, Point } from '../../core/types';

const USAGE =
  'ground <image> --phrase <text> [--kind visible|amodal|both] [--point x,y] ' +
  '(--model <dir> [--device auto|cpu|cuda|dml|coreml|webgpu] | --server <base-url> [--server-model <name>] [--api-key-env VAR]) ' +
  '[--max-tokens N] [--verbose]';

const OPTIONS = {
  phrase: { type: 'string' },
  kind: { type: 'string' },
  point: { type: 'string' },
  model: { type: 'string' },
  device: { type: 'string' },
  server: { type: 'string' },
  'server-model': { type: 'string' },
  'api-key-env': { type: 'string' },
  'max-tokens': { type: 'string' },
  verbose: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

function usage(message: string): UsageError {
  return new UsageError(`${message} (usage: egm ${USAGE})`);
}

/** The model options shared with other commands that run queries: exactly one of --model / --server. */
export function backendChoice(values: Pick<Values, 'model' | 'device' | 'server' | 'server-model' | 'api-key-env'>, io: CliIo): BackendChoice {
  if (values.model !== undefined && values.server !== undefined) throw usage('give either --model or --server, not both');
  if (values.model !== undefined) {
    if (values['server-model'] !== undefined || values['api-key-env'] !== undefined) throw usage('--server-model and --api-key-env go with --server');
    const device = (values.device ?? 'auto') as DeviceRequest;
    if (!DEVICES.includes(device)) throw usage(`--device must be one of ${DEVICES.join(', ')}, got '${values.device}'`);
    return { kind: 'local', modelDir: resolvePath(io, values.model), device };
  }
  if (values.server !== undefined) {
    if (values.device !== undefined) throw usage('--device goes with --model');
    const envName = values['api-key-env'];
    if (envName !== undefined && !io.env[envName]) throw new CliError(`--api-key-env ${envName}: that environment variable is not set`);
    return {
      kind: 'server',
      baseUrl: values.server,
      ...(values['server-model'] ? { serverModel: values['server-model'] } : {}),
      ...(envName ? { apiKeyEnv: envName } : {}),
    };
  }
  throw usage('give a model: --model <dir> or --server <base-url>');
}

function parsePoint(text: string | undefined): Point | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 2 || !parts.every((v) => Number.isFinite(v) && v >= 0)) throw usage(`--point must be x,y in image pixels, got '${text}'`);
  return [parts[0]!, parts[1]!];
}

function parseMaxTokens(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw usage(`--max-tokens must be a positive integer, got '${text}'`);
  return n;
}

export const groundCommand: CliCommand = {
  name: 'ground',
  usage: [USAGE],
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS, USAGE);
    if (positionals.length !== 1) throw usage(`expected one image, got ${positionals.length}`);
    const phrase = values.phrase?.trim();
    if (!phrase) throw usage('--phrase is required and must not be empty');
    const kindArg = values.kind ?? 'visible';
    if (!['visible', 'amodal', 'both'].includes(kindArg)) throw usage(`--kind must be visible, amodal or both, got '${kindArg}'`);
    const kinds: BoxKind[] = kindArg === 'both' ? ['visible', 'amodal'] : [kindArg as BoxKind];
    const point = parsePoint(values.point);
    const maxNewTokens = parseMaxTokens(values['max-tokens']);
    const choice = backendChoice(values, io);
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
          { imagePath, phrase, kind, ...(point ? { point } : {}), ...(maxNewTokens ? { maxNewTokens } : {}) },
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
