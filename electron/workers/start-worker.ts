// Starts one of the app's worker_threads, from source or from its bundle:
// - from source (tests, tsx, benches: this file is .ts), the entry's .ts file
//   through scripts/ts-worker.mjs, which registers tsx inside the worker;
// - bundled, dist/host/<bundle>.mjs (scripts/build.mjs writes each worker as
//   a self-contained bundle there). Every bundle that can start a worker lives
//   in a sibling of dist/host/, so '../host/' finds it from any of them. In a
//   packaged app the file is unpacked beside the asar (electron-builder.yml
//   asarUnpack), where a worker can load it.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const HERE = fileURLToPath(import.meta.url);
const FROM_SOURCE = HERE.endsWith('.ts');

/**
 * `entry`: the worker's source file, as a path relative to the repo's
 * electron/ folder (e.g. 'models/build-worker.ts'); `bundle`: its bundle's
 * name in dist/host/ (e.g. 'model-build-worker.mjs'). workerData gets `entry`
 * added when started from source.
 */
export function startWorker(entry: string, bundle: string, options: WorkerOptions = {}): Worker {
  if (FROM_SOURCE) {
    const source = pathToFileURL(resolve(dirname(HERE), '..', entry)).href;
    const workerData = { ...(options.workerData as Record<string, unknown> | undefined), entry: source };
    return new Worker(resolve(dirname(HERE), '../../scripts/ts-worker.mjs'), { ...options, workerData });
  }
  const bundled = resolve(dirname(HERE), '../host', bundle);
  const unpacked = bundled.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
  return new Worker(unpacked !== bundled && existsSync(unpacked) ? unpacked : bundled, options);
}
