// A large BMP decoded in a worker_thread (bmp-worker.ts), so the image
// protocol, which runs in Electron's main process, never blocks the app on a
// pixel loop of seconds (issue 16: a BMP was decoded whole on the main thread).
// The worker reads and checks the file itself (header first, bmp-file.ts) and
// hands the pixels back without a copy; its heap is capped, and it ends after
// one file.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BmpPixels } from './bmp-file';
import type { BmpWorkerMessage } from './bmp-worker';

/** The worker: bmp-worker.ts through tsx from source, dist/host/bmp-decode-worker.mjs when bundled (unpacked beside the asar when packaged). */
function startWorker(workerData: Record<string, unknown>): Worker {
  const here = fileURLToPath(import.meta.url);
  // The pixels travel as a transferred ArrayBuffer, outside the worker's heap: a small heap is enough.
  const resourceLimits = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 32 };
  if (here.endsWith('.ts')) {
    const entry = pathToFileURL(join(dirname(here), 'bmp-worker.ts')).href;
    return new Worker(resolve(dirname(here), '../../scripts/ts-worker.mjs'), { workerData: { ...workerData, entry }, resourceLimits });
  }
  const bundled = resolve(dirname(here), '../host/bmp-decode-worker.mjs');
  const unpacked = bundled.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
  return new Worker(unpacked !== bundled && existsSync(unpacked) ? unpacked : bundled, { workerData, resourceLimits });
}

/** The BMP's RGB, decoded off this thread; rejects with the decoder's one-line reason. */
export function decodeBmpOffThread(path: string, maxPixels: number): Promise<BmpPixels> {
  return new Promise((resolvePixels, reject) => {
    const worker = startWorker({ path, maxPixels });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: BmpWorkerMessage) =>
      settle(() => (m.type === 'done' ? resolvePixels({ rgb: m.rgb, width: m.width, height: m.height }) : reject(new Error(m.message)))),
    );
    worker.on('error', (err) => settle(() => reject(new Error(`BMP decoder: ${String(err.message).split('\n')[0]}`))));
    worker.on('exit', (code) => settle(() => reject(new Error(`BMP decoder stopped (exit code ${code})`))));
  });
}
