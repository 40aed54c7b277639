// A large BMP decoded in a worker_thread (bmp-worker.ts), so the image
// protocol, which runs in Electron's main process, never blocks the app on a
// pixel loop of seconds (issue 16: a BMP was decoded whole on the main thread).
// The worker reads and checks the file itself (header first, bmp-file.ts) and
// hands the pixels back without a copy; its heap is capped, and it ends after
// one file.
import { runWorkerOnce } from '../workers/run-once';
import type { BmpPixels } from './bmp-file';

/** The pixels travel as a transferred ArrayBuffer, outside the worker's heap: a small heap is enough. */
const LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 32 };

/** The BMP's RGB, decoded off this thread; rejects with the decoder's one-line reason. */
export function decodeBmpOffThread(path: string, maxPixels: number): Promise<BmpPixels> {
  return runWorkerOnce<BmpPixels>('images/bmp-worker.ts', 'bmp-decode-worker.mjs', { path, maxPixels }, LIMITS, 'BMP decoder');
}
