// Schemas of the grounding settings (GroundingSettings, ModelBackendSettings):
// what grounding.json may hold. Pure, so the IPC contract can check
// model:setSettings against these same rules instead of a restated copy.
import { z } from 'zod';

/** Devices a local model may ask for (engine/local/device.ts DeviceRequest); here so the CLI checks them without loading onnxruntime. */
export const DEVICE_REQUESTS = ['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const;

/** The app's own cap on model-input pixels (Qwen3-VL's processor bounds: 64·32² … 16384·32²). */
export const MAX_PIXELS_RANGE = { min: 65_536, max: 16_777_216 } as const;

export const groundingSchema = z.object({
  kinds: z.enum(['both', 'visible', 'amodal']),
  maxNewTokens: z.number().int().min(16).max(32_768),
  samples: z.number().int().min(1).max(16),
  maxPixels: z.number().int().min(MAX_PIXELS_RANGE.min).max(MAX_PIXELS_RANGE.max),
  timeoutSeconds: z.number().min(1).max(86_400),
});

export const modelSchema = z.union([
  z.object({
    backend: z.literal('local'),
    modelDir: z.string().min(1).max(4096),
    device: z.enum(DEVICE_REQUESTS),
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
