// Decodes one BMP file in a worker_thread (started by bmp-off-thread.ts): the
// decoder is a synchronous pixel loop (seconds for a large file), so the
// process that serves the window's images — Electron main — never runs it.
// Posts the pixels (their buffer transferred, not copied) or a one-line error.
import { parentPort, workerData } from 'node:worker_threads';
import { readBmpFile, type BmpPixels } from './bmp-file';

export type BmpWorkerMessage = ({ type: 'done' } & BmpPixels) | { type: 'error'; message: string };

const { path, maxPixels } = workerData as { path: string; maxPixels: number };
const post = (m: BmpWorkerMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);

readBmpFile(path, maxPixels).then(
  (pixels) => (pixels ? post({ type: 'done', ...pixels }, [pixels.rgb.buffer as ArrayBuffer]) : post({ type: 'error', message: 'not a BMP file' })),
  (err: unknown) => post({ type: 'error', message: String((err as Error)?.message ?? err).split('\n')[0]! }),
);
