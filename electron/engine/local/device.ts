// Chooses where the local model runs. 'auto' means the platform's GPU provider
// (Linux: CUDA, Windows: DirectML, macOS: CoreML), kept only if a real
// onnxruntime session can be created on it: listSupportedBackends() says what
// was compiled in, not whether the CUDA libraries load (EGM.md). Any failure
// falls back to CPU and the reason travels to info().deviceReason.
import * as ort from 'onnxruntime-node';

import type { DeviceRequest } from '@core/settings-schemas';

export type { DeviceRequest };

export interface DeviceChoice {
  device: Exclude<DeviceRequest, 'auto'>;
  reason: string;
}

/**
 * A 100-byte ONNX graph (y = -x, opset 17) made with electron/models/onnx-builder/onnx-proto.ts:
 * creating and running a session on it exercises the provider without loading weights.
 */
// Copied out of Buffer's shared pool: onnxruntime-node reads the whole underlying ArrayBuffer.
const PROBE_MODEL = Uint8Array.from(
  Buffer.from(
    'CAgSG2VnbS1hbm5vdGF0b3IgbWFrZS10aW55LWVnbTo9ChIKAXgSAXkaBU5lZ195IgNOZWcSBXByb2JlWg8KAXgSCgoICAESBAoCCAFiDwoBeRIKCggIARIECgIIAUIECgAQEQ==',
    'base64',
  ),
);

export function platformGpu(platform: NodeJS.Platform = process.platform): Exclude<DeviceRequest, 'auto' | 'cpu'> | null {
  if (platform === 'linux') return 'cuda';
  if (platform === 'win32') return 'dml';
  if (platform === 'darwin') return 'coreml';
  return null;
}

/** Resolves with null when the provider works, else the one-line reason it does not. */
export async function probeProvider(device: string): Promise<string | null> {
  // ORT's default logger prints a failed provider load as a multi-line error on
  // stderr before throwing; the exception carries the same reason, which we
  // report, so keep its logger for fatal errors only (set before first use).
  ort.env.logLevel = 'fatal';
  try {
    const session = await ort.InferenceSession.create(PROBE_MODEL, { executionProviders: [device], logSeverityLevel: 4 });
    try {
      const x = new ort.Tensor('float32', Float32Array.from([2]), [1]);
      const out = await session.run({ x });
      if (out.y?.data[0] !== -2) return `${device} session ran but returned a wrong value`;
    } finally {
      await session.release();
    }
    return null;
  } catch (err) {
    return String(err instanceof Error ? err.message : err).split('\n')[0] ?? 'unknown error';
  }
}

export async function chooseDevice(
  requested: DeviceRequest,
  probe: (device: string) => Promise<string | null> = probeProvider,
): Promise<DeviceChoice> {
  if (requested === 'cpu') return { device: 'cpu', reason: 'cpu requested' };
  const gpu = requested === 'auto' ? platformGpu() : requested;
  if (!gpu) return { device: 'cpu', reason: `no GPU provider for platform ${process.platform}; using cpu` };
  const failure = await probe(gpu);
  if (failure === null) return { device: gpu, reason: requested === 'auto' ? `auto: ${gpu} probe succeeded` : `${gpu} requested` };
  return { device: 'cpu', reason: `${gpu} unavailable (${failure}); fell back to cpu` };
}
