// The main side of vision-worker.ts: loads vision inputs with
// loadVisionInput's signature, the decode (libvips, through sharp) and the JS
// work (RGB conversion, resize, patching) in a worker_thread, so the vision cache (vision-cache.ts)
// takes it as its loader unchanged: its recycled pixel_values buffer is
// handed to the worker (transferred, no copy) once the image's size is
// known, and comes back filled. The pixels are the ones loadVisionInput gives
// on this thread (test/integration/vision-off-thread.test.ts).
//
// Where the worker reports that it cannot load sharp (or has not said yet,
// just started), the decode runs from here as before (libvips' threads, the
// samples copied into the message); `workerDecodes` says why not, and one
// stderr line per worker start reports it.
//
// The worker is started with the backend (so the first image does not wait
// for it to load), held only while a load is in flight (an idle worker
// never keeps a process alive), and started again after a crash; a crash
// fails the loads in flight in one line.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../workers/start-worker';
import { ImageProblem } from '../../images/image-problem';
import { decodeSamples, type StoredSamples } from '../../images/pil-decode';
import { visionInputOf, type ValuesAllocator, type VisionConfig, type VisionInput } from './vision-input';
import type { VisionWorkerReply, VisionWorkerRequest } from './vision-worker';

/** A view on exactly its bytes (a view on part of a larger buffer would post the whole buffer). */
const ownBytes = <T extends Uint8Array | Uint16Array>(a: T): T => (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : (a.slice() as T));

/** A 12 MP photo decodes to 36 MB of RGB in the worker's ArrayBuffers; its heap holds little. */
const LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 };

interface Load {
  path: string;
  cfg: VisionConfig;
  alloc: ValuesAllocator | undefined;
  resolve: (input: VisionInput) => void;
  reject: (err: Error) => void;
}

export class VisionOffThread {
  private worker: Worker | null = null;
  private readonly loads = new Map<number, Load>();
  private nextId = 0;
  private closed = false;
  /** Images loaded in the worker (tests read it), and how many of them it decoded itself. */
  loaded = 0;
  decodedInWorker = 0;
  /** Whether the running worker decodes (true), cannot (its reason), or has not said yet (null). */
  workerDecodes: true | string | null = null;
  private readonly decodeInWorker: boolean;

  /** `decodeInWorker` false: always decode on this side (the fallback's path, for tests). */
  constructor({ decodeInWorker = true }: { decodeInWorker?: boolean } = {}) {
    this.decodeInWorker = decodeInWorker;
    this.start();
  }

  /** loadVisionInput, in the worker. */
  readonly load = (path: string, cfg: VisionConfig, maxPixels: number, alloc?: ValuesAllocator): Promise<VisionInput> => {
    if (this.closed) return Promise.reject(new Error('the image decoder was closed'));
    if (this.decodeInWorker && this.workerDecodes === true) return this.post(path, cfg, maxPixels, alloc, undefined);
    // Decoded from here (libvips' threads), the rest in the worker.
    return decodeSamples(path).then((stored) => {
      if (this.closed) throw new Error('the image decoder was closed');
      // The samples are copied into the message (libvips' buffers cannot be transferred): only their own bytes.
      return this.post(path, cfg, maxPixels, alloc, { ...stored, samples: { ...stored.samples, data: ownBytes(stored.samples.data) } });
    });
  };

  private post(path: string, cfg: VisionConfig, maxPixels: number, alloc: ValuesAllocator | undefined, stored: StoredSamples | undefined): Promise<VisionInput> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    if (!stored) this.decodedInWorker++;
    return new Promise<VisionInput>((resolve, reject) => {
      this.loads.set(id, { path, cfg, alloc, resolve, reject });
      worker.ref();
      this.send({ type: 'load', id, path, ...(stored ? { stored } : {}), cfg, maxPixels });
    });
  }

  private send(request: VisionWorkerRequest, transfer: ArrayBuffer[] = []): void {
    this.worker!.postMessage(request, transfer);
  }

  private start(): Worker {
    const worker = startWorker('engine/local/vision-worker.ts', 'vision-worker.mjs', { resourceLimits: LIMITS });
    this.worker = worker;
    worker.unref();
    worker.on('message', (reply: VisionWorkerReply) => this.answer(reply));
    const stopped = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.workerDecodes = null; // the next worker says again
      const err = new Error(`the image decoder stopped (${why})`);
      for (const load of this.loads.values()) load.reject(err);
      this.loads.clear();
    };
    worker.on('error', (err: NodeJS.ErrnoException) => stopped(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out of memory' : err.message.split('\n')[0]!));
    worker.on('exit', (code) => stopped(`exit code ${code}`));
    return worker;
  }

  private answer(reply: VisionWorkerReply): void {
    if (reply.type === 'decoder') {
      this.workerDecodes = reply.available ? true : (reply.reason ?? 'unknown reason');
      // Said once per worker start (the host's stderr reaches the app's log): images still load, on the model's thread.
      if (reply.available !== true) process.stderr.write(`model host: the image worker cannot decode (${this.workerDecodes}); images are decoded on the model's thread\n`);
      return;
    }
    const load = this.loads.get(reply.id);
    if (!load) return;
    if (reply.type === 'need') {
      // The cache's recycled buffer when it has one of this length, else a new one; the worker patches into it.
      const values = load.alloc?.(reply.length) ?? new Float32Array(reply.length);
      const buffer = values.byteOffset === 0 && values.byteLength === values.buffer.byteLength ? (values.buffer as ArrayBuffer) : new ArrayBuffer(reply.length * 4);
      this.send({ type: 'buffer', id: reply.id, buffer }, [buffer]);
      return;
    }
    this.loads.delete(reply.id);
    if (!this.loads.size) this.worker?.unref();
    if (reply.type === 'error') {
      load.reject(reply.path !== undefined && reply.reason !== undefined ? new ImageProblem(reply.path, reply.reason) : new Error(reply.message));
      return;
    }
    this.loaded++;
    load.resolve(visionInputOf(new Float32Array(reply.buffer), reply.gridH, reply.gridW, reply.sizes, load.cfg));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    for (const load of this.loads.values()) load.reject(new Error('the image decoder was closed'));
    this.loads.clear();
    await worker?.terminate();
  }
}
