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

export const modelSchema = z.union([
  z.object({
    backend: z.literal('local'),
    modelDir: z.string().min(1).max(4096),
    device: deviceSchema,
    dtype: z.string().max(32).optional(),
  }),
  z.object({
    backend: z.literal('server'),
    baseUrl: z.string().url().max(2000),
    serverModel: z.string().max(500).optional(),
    /** Name of an environment variable of the app that holds the API key. */
    apiKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name').max(128).optional(),
  }),
]);
/** apiKeyEnv: the key is read from this environment variable of the app (instead of a stored key). */
export type ModelBackendSettings = z.infer<typeof modelSchema>;

/** What grounding.json holds: the model backend (none yet: null) and how to ask it. */
export interface GroundingPrefs {
  model: ModelBackendSettings | null;
  grounding: GroundingSettings;
}

/** model:setSettings: what to change (fields left out stay as they are). */
export const settingsPatchSchema = z.object({
  model: modelSchema.nullable().optional(),
  grounding: groundingSchema.partial().optional(),
  /** Server API key, for the server in `model` (else the saved one) only: stored with safeStorage; empty string clears it. */
  apiKey: z.string().max(4096).optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
