// The options shared by the commands that run queries (`egm ground`, `egm batch`):
// the model — exactly one of --model <dir> (a local model in a host child
// process) or --server <base-url> (an OpenAI-compatible server), each with its
// own extras — and --kind and the integer limits.
import { CliError, type CliIo, type UsageError } from './command';
import { resolvePath } from './common';
import type { BackendChoice } from '../engine/create-backend';
import { apiKeyEnvProblem, DEVICE_REQUESTS, MAX_PIXELS_RANGE, type DeviceRequest } from '@core/settings-schemas';
import type { GroundingSettings, Point } from '@core/types';

/** parseArgs options; spread into a command's own. */
export const MODEL_OPTIONS = {
  model: { type: 'string' },
  device: { type: 'string' },
  server: { type: 'string' },
  'server-model': { type: 'string' },
  'api-key-env': { type: 'string' },
} as const;

export const MODEL_USAGE =
  `(--model <dir> [--device ${DEVICE_REQUESTS.join('|')}] | --server <base-url> [--server-model <name>] [--api-key-env VAR])`;

type ModelValues = { [K in keyof typeof MODEL_OPTIONS]?: string };

/** The backend the options choose; `usage` words a mistake with the calling command's usage line. */
export function backendChoice(values: ModelValues, io: CliIo, usage: (message: string) => UsageError): BackendChoice {
  if (values.model !== undefined && values.server !== undefined) throw usage('give either --model or --server, not both');
  if (values.model !== undefined) {
    if (values['server-model'] !== undefined || values['api-key-env'] !== undefined) throw usage('--server-model and --api-key-env go with --server');
    const device = (values.device ?? 'auto') as DeviceRequest;
    if (!DEVICE_REQUESTS.includes(device)) throw usage(`--device must be one of ${DEVICE_REQUESTS.join(', ')}, got '${values.device}'`);
    return { kind: 'local', modelDir: resolvePath(io, values.model), device };
  }
  if (values.server !== undefined) {
    if (values.device !== undefined) throw usage('--device goes with --model');
    const envName = values['api-key-env'];
    const nameProblem = envName === undefined ? null : apiKeyEnvProblem(envName);
    if (nameProblem) throw new CliError(`--api-key-env: ${nameProblem}`);
    // Read here, from the environment the command was given (io.env), not again later from process.env.
    const apiKey = envName === undefined ? undefined : io.env[envName];
    if (envName !== undefined && !apiKey) throw new CliError(`--api-key-env ${envName}: that environment variable is not set`);
    return {
      kind: 'server',
      baseUrl: values.server,
      ...(values['server-model'] ? { serverModel: values['server-model'] } : {}),
      ...(apiKey ? { apiKey } : {}),
    };
  }
  throw usage('give a model: --model <dir> or --server <base-url>');
}

/** An integer option within 1..max; `fallback` when it is not given. */
export function positiveInt<F extends number | undefined>(
  usage: (message: string) => UsageError,
  name: string,
  text: string | undefined,
  fallback: F,
  max = Infinity,
): number | F {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw usage(`--${name} must be ${max === Infinity ? 'a positive integer' : `an integer from 1 to ${max}`}, got '${text}'`);
  }
  return n;
}

/** --kind: visible, amodal or both; `fallback` when it is not given. */
export function kindsOption(usage: (message: string) => UsageError, text: string | undefined, fallback: GroundingSettings['kinds']): GroundingSettings['kinds'] {
  const kinds = text ?? fallback;
  if (kinds !== 'both' && kinds !== 'visible' && kinds !== 'amodal') throw usage(`--kind must be visible, amodal or both, got '${kinds}'`);
  return kinds;
}

/** --max-pixels: the app's cap on the pixels a model sees (the settings schema's range); undefined when not given. */
export function maxPixelsOption(usage: (message: string) => UsageError, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < MAX_PIXELS_RANGE.min || n > MAX_PIXELS_RANGE.max) {
    throw usage(`--max-pixels must be an integer from ${MAX_PIXELS_RANGE.min} to ${MAX_PIXELS_RANGE.max}, got '${text}'`);
  }
  return n;
}

/** --point x,y in original-image pixels; undefined when not given. */
export function parsePoint(usage: (message: string) => UsageError, text: string | undefined): Point | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 2 || !parts.every((v) => Number.isFinite(v) && v >= 0)) throw usage(`--point must be x,y in image pixels, got '${text}'`);
  return [parts[0]!, parts[1]!];
}

/** Seconds a time option accepts: up to a day. */
const MAX_SECONDS = 86_400;

/**
 * A time in seconds (fractions allowed), e.g. --timeout S: the longest one
 * answer may take, retries included (over it the answer is 'timeout').
 * Undefined when not given.
 */
export function secondsOption(usage: (message: string) => UsageError, name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_SECONDS) {
    throw usage(`--${name} must be a number of seconds above 0 and at most ${MAX_SECONDS}, got '${text}'`);
  }
  return seconds;
}
