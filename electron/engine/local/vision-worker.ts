// The local engine's image preparation off the model's thread (started by
// vision-off-thread.ts): the decode (libvips, through sharp), Pillow's RGB
// conversion, its bicubic resize and patching into pixel_values: the same
// code loadVisionInput runs (vision-input.ts), here in a worker_thread.
// onnxruntime-node's run() blocks the thread that calls it, so on that
// thread an image's JS work would wait for the model's pass, and hold up the
// next one; here it runs beside it. The bundle is self-contained but for
// sharp (native), which is loaded when the worker starts; the worker reports
// whether it could ('decoder'). Where it cannot (a packaged app whose
// unpacked sharp does not resolve from the worker's file), the main side
// decodes and sends the samples with the 'load'. Decoding here keeps the
// 36 MB of a 12 MP image's samples, and their copy into the message, off the
// model's thread.
//
// Per image: 'load' (a path, or the samples) → decode → resize → 'need' (the pixel_values length) →
// the main side answers 'buffer' with the array to patch into (its recycled
// one, transferred) → 'done' with it transferred back. An ImageProblem comes
// back as its path and reason, so the main side throws the same error.
import { parentPort } from 'node:worker_threads';
import { oneLine } from '@core/errors';
import type SharpModule from 'sharp';
import { decodeSamplesWith } from '../../images/decode-samples';
import type { ModelImage } from '../../images/model-input';
import { ImageProblem } from '../../images/image-problem';
import type { StoredSamples } from '../../images/pil-pixels';
import { patchify, patchValuesLength, visionPixelsOf, type VisionConfig, type VisionSizes } from './vision-patches';

export type VisionWorkerRequest =
  /** `stored`: the samples, decoded on the main side; absent: decode `path` here. */
  | { type: 'load'; id: number; path: string; stored?: StoredSamples; cfg: VisionConfig; maxPixels: number }
  | { type: 'buffer'; id: number; buffer: ArrayBuffer };

export type VisionWorkerReply =
  /** Once, at start: whether this worker decodes (sharp loaded), and why not. */
  | { type: 'decoder'; available: boolean; reason?: string }
  | { type: 'need'; id: number; length: number }
  | { type: 'done'; id: number; buffer: ArrayBuffer; gridH: number; gridW: number; sizes: VisionSizes }
  | { type: 'error'; id: number; message: string; path?: string; reason?: string };

const port = parentPort!;
const waiting = new Map<number, { image: ModelImage; cfg: VisionConfig }>();
const post = (reply: VisionWorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

function failed(id: number, err: unknown): void {
  waiting.delete(id);
  if (err instanceof ImageProblem) post({ type: 'error', id, message: err.message, path: err.path, reason: err.reason });
  else post({ type: 'error', id, message: oneLine(err) });
}

// sharp, loaded once (an external import in the bundle, so a failure to resolve it is caught here).
const sharpLoaded: Promise<typeof SharpModule | null> = import('sharp').then(
  (m: { default: typeof SharpModule }) => {
    post({ type: 'decoder', available: true });
    return m.default;
  },
  (err: unknown) => {
    post({ type: 'decoder', available: false, reason: oneLine(err) });
    return null;
  },
);

async function samplesOf(m: Extract<VisionWorkerRequest, { type: 'load' }>): Promise<StoredSamples> {
  if (m.stored) return m.stored;
  const sharp = await sharpLoaded;
  if (!sharp) throw new Error('the image worker cannot decode (sharp did not load)');
  return decodeSamplesWith(sharp, m.path);
}

port.on('message', (m: VisionWorkerRequest) => {
  if (m.type === 'load') {
    samplesOf(m).then(
      (stored) => {
        const image = visionPixelsOf(stored, m.path, m.cfg, m.maxPixels);
        waiting.set(m.id, { image, cfg: m.cfg });
        post({ type: 'need', id: m.id, length: patchValuesLength(image.width, image.height, m.cfg) });
      },
    ).catch((err: unknown) => failed(m.id, err));
    return;
  }
  const pending = waiting.get(m.id);
  if (!pending) return;
  waiting.delete(m.id);
  try {
    const { image, cfg } = pending;
    const { data, gridH, gridW } = patchify(image.data, image.width, image.height, cfg, new Float32Array(m.buffer));
    const sizes = { width: image.width, height: image.height, originalWidth: image.originalWidth, originalHeight: image.originalHeight };
    post({ type: 'done', id: m.id, buffer: data.buffer as ArrayBuffer, gridH, gridW, sizes }, [data.buffer as ArrayBuffer]);
  } catch (err) {
    failed(m.id, err);
  }
});
