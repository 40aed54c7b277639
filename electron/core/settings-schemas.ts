// Schemas of the grounding settings (GroundingSettings, ModelBackendSettings):
// what grounding.json may hold. Pure, so the IPC contract can check
// model:setSettings against these same rules instead of a restated copy. The
// types are inferred from the schemas (core/types.ts re-exports them), and the
// device list is the only one: engine, contract and model panel import it.
import { z } from 'zod';

/** Devices a local model may ask for (engine/local/device.ts DeviceRequest); here so the CLI checks them without loading onnxruntime. */
export const DEVICE_REQUESTS = ['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const;
export type DeviceRequest = (typeof DEVICE_REQUESTS)[number];
export const deviceSchema = z.enum(DEVICE_REQUESTS);

/** The app's own cap on model-input pixels (Qwen3-VL's processor bounds: 64·32² … 16384·32²). */
export const MAX_PIXELS_RANGE = { min: 65_536, max: 16_777_216 } as const;

export const groundingSchema = z.object({
  /** Which boxes Enter asks for. */
  kinds: z.enum(['both', 'visible', 'amodal']),
  /** Reasoning budget: max new tokens (EGM.md default 4096). */
  maxNewTokens: z.number().int().min(16).max(32_768),
  /** Self-consistency samples; 1 = greedy. */
  samples: z.number().int().min(1).max(16),
  maxPixels: z.number().int().min(MAX_PIXELS_RANGE.min).max(MAX_PIXELS_RANGE.max),
  /** Longest one answer may take, retries included (s); over it the answer is 'timeout'. */
  timeoutSeconds: z.number().min(1).max(86_400),
});
export type GroundingSettings = z.infer<typeof groundingSchema>;

/**
 * Which environment variables may hold a server's API key (the model panel's
 * *Key from environment variable*, `egm --api-key-env`): upper-case names that
 * start with `EGM_` or end with `_API_KEY`, except those of services whose
 * secrets must never reach a grounding server (issue 16: `HF_TOKEN` was named
 * and sent). A name is a choice the user makes for one server, so the rule
 * keeps a slip (or a compromised renderer) from sending another secret.
 */
const API_KEY_ENV_NAME = /^(EGM_[A-Z0-9_]+|[A-Z][A-Z0-9_]*_API_KEY)$/;
const OTHER_SERVICE_SECRET =
  /^(AWS|AZURE|ARM|GCP|GOOGLE|GCLOUD|CLOUDSDK|GITHUB|GH|GITLAB|BITBUCKET|HF|HUGGING_?FACE|NPM|NODE|PYPI|TWINE|DOCKER|SSH|GPG|SLACK|STRIPE|OPENAI|ANTHROPIC|CLAUDE|GEMINI|MISTRAL|COHERE|CLOUDFLARE|CF|DIGITALOCEAN|HEROKU|VERCEL|NETLIFY|SENTRY|TWILIO|SENDGRID|MAILGUN|DATADOG|DD)_/;

/** Why `name` may not hold a server's API key, or null when it may. */
export function apiKeyEnvProblem(name: string): string | null {
  if (name.length > 128 || !API_KEY_ENV_NAME.test(name)) {
    return `'${name.slice(0, 128)}' is not an API-key variable name: use EGM_API_KEY, or a name that starts with EGM_ or ends with _API_KEY (capitals, digits, _)`;
  }
  if (OTHER_SERVICE_SECRET.test(name)) return `${name} holds another service's secret, which is never sent to a grounding server: put this server's key in EGM_API_KEY`;
  return null;
}

export const apiKeyEnvSchema = z.string().superRefine((name, ctx) => {
  const problem = apiKeyEnvProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Why a server URL may not be saved, or null: a user:password in it would be kept and shown in plain text. */
export function serverUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null; // z.string().url() words this one
  }
  if (parsed.username || parsed.password) return 'a server URL may not hold a user name or password (user:pass@): give the key in the API key field, which keeps it out of plain text';
  return null;
}

export const serverUrlSchema = z
  .string()
  .url()
  .max(2000)
  .superRefine((url, ctx) => {
    const problem = serverUrlProblem(url);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const modelSchema = z.union([
  z.object({
    backend: z.literal('local'),
    modelDir: z.string().min(1).max(4096),
    device: deviceSchema,
    dtype: z.string().max(32).optional(),
  }),
  z.object({
    backend: z.literal('server'),
    baseUrl: serverUrlSchema,
    serverModel: z.string().max(500).optional(),
  }),
]);
export type ModelBackendSettings = z.infer<typeof modelSchema>;

/**
 * Server origin (scheme://host:port) → the environment variable of the app
 * that holds that server's API key. Like a stored key, a variable is named for
 * one server and its key read for that server only.
 */
export const keyEnvsSchema = z.record(z.string().max(2000), apiKeyEnvSchema);

/** What grounding.json holds: the model backend (none yet: null), how to ask it, and which servers take their key from a variable. */
export interface GroundingPrefs {
  model: ModelBackendSettings | null;
  grounding: GroundingSettings;
  keyEnvs: Record<string, string>;
}

/** model:setSettings: what to change (fields left out stay as they are). */
export const settingsPatchSchema = z.object({
  model: modelSchema.nullable().optional(),
  grounding: groundingSchema.partial().optional(),
  /** Server API key, for the server in `model` (else the saved one) only: stored with safeStorage; empty string clears it. */
  apiKey: z.string().max(4096).optional(),
  /**
   * The environment variable of the app that holds the API key, for the
   * server in `model` (else the saved one) only, as apiKey; '' clears it.
   * A later model with another server never takes it along.
   */
  apiKeyEnv: z.union([z.literal(''), apiKeyEnvSchema]).optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
