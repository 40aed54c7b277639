// Decodes one BMP file in a worker_thread (started by bmp-off-thread.ts): the
// decoder is a synchronous pixel loop (seconds for a large file), so the
// process that serves the window's images — Electron main — never runs it.
// Answers the pixels (their buffer transferred, not copied) or a one-line error.
import { workerData } from 'node:worker_threads';
import { workerAnswer } from '../workers/run-once';
import { readBmpFile } from './bmp-file';

const { path, maxPixels } = workerData as { path: string; maxPixels: number };

workerAnswer(
  readBmpFile(path, maxPixels).then((pixels) => {
    if (!pixels) throw new Error('not a BMP file');
    return pixels;
  }),
  (pixels) => [pixels.rgb.buffer as ArrayBuffer],
);
