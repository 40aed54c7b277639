// The local GroundingBackend: an EGM / Qwen3-VL ONNX export run by
// transformers.js on onnxruntime-node, in whatever process calls it (the app
// and the CLI call it inside the model host process, never on a UI thread:
// onnxruntime's run blocks its thread). One query runs at a time: a second
// waits, as the sessions and the stopping criteria are shared.
import type { BackendInfo, GroundOptions, GroundRequest, GroundingBackend } from '../backend';
import type { GroundingResult } from '@core/types';
import { failedResult, makeResult, type ResultContext } from '../result';
import { DEFAULT_MAX_PIXELS } from '../../images/model-input';
import { loadLocalModel, type LoadedModel, type LocalModelOptions } from './load-model';
import { TokenTextStream, type DecodingTokenizer } from './streamer';
import type { VisionInput } from './vision-input';
import { VisionInputCache } from './vision-cache';
import { VisionOffThread } from './vision-off-thread';
import { decodeTokens, type Prefill } from './decode-loop';
import { QueryInputs } from './query-input';
import { SAMPLING } from '../server/chat';

export const DEFAULT_MAX_NEW_TOKENS = 4096;

/**
 * What one query fed the model and what came back, for checks against a
 * reference (npm run parity). Given while the query's buffers are still
 * leased: copy what you keep.
 */
export interface QueryTrace {
  inputIds: BigInt64Array;
  image: VisionInput;
  prefill: Prefill;
  /** Generated ids, the end token included when reached. */
  ids: number[];
}

export interface LocalGroundOptions extends GroundOptions {
  onTrace?: (trace: QueryTrace) => void;
}

export interface LocalBackendOptions extends LocalModelOptions {
  /** Default pixel cap for requests that name none. */
  maxPixels?: number;
  /** Decode, resize and patch images in a worker_thread (default); false: on this thread. */
  offThread?: boolean;
}

export class LocalBackend implements GroundingBackend {
  /** One generation at a time: onnxruntime runs one session call on this thread. */
  readonly concurrency = 1;
  private queue: Promise<unknown> = Promise.resolve();
  /** Queries waiting for their turn, oldest first. */
  private readonly waiting: { request: GroundRequest; signal?: AbortSignal | undefined }[] = [];
  private disposed = false;
  private readonly tokenizer: NonNullable<LoadedModel['processor']['tokenizer']>;
  private readonly inputs: QueryInputs;

  /**
   * Images are decoded, resized and patched here, in a worker_thread: the
   * model's run() blocks this thread, so the next image (prefetched on
   * selection, or the next one of a batch) is prepared beside the running
   * query instead of between its passes.
   */
  private readonly decoder: VisionOffThread | null;

  constructor(
    private readonly loaded: LoadedModel,
    private readonly maxPixels = DEFAULT_MAX_PIXELS,
    { offThread = true }: { offThread?: boolean } = {},
  ) {
    const tokenizer = loaded.processor.tokenizer;
    if (!tokenizer) throw new Error(`model folder ${loaded.folder.dir}: the processor has no tokenizer`);
    this.tokenizer = tokenizer;
    this.decoder = offThread ? new VisionOffThread() : null;
    this.inputs = new QueryInputs(loaded.processor, this.decoder?.load);
  }

  /** The last two images' pixel_values: reused by a query on the same file, filled ahead for the next queued one. */
  get images(): VisionInputCache {
    return this.inputs.images;
  }

  info(): BackendInfo {
    return { kind: 'local', model: this.loaded.folder.name, device: this.loaded.device, deviceReason: this.loaded.deviceReason };
  }

  ground(request: GroundRequest, options: LocalGroundOptions = {}): Promise<GroundingResult> {
    let started = false;
    const waiting = { request, signal: options.signal };
    this.waiting.push(waiting);
    const run = this.queue.then(() => {
      started = true;
      this.waiting.splice(this.waiting.indexOf(waiting), 1);
      return this.run(request, options);
    });
    this.queue = run.catch(() => undefined);
    const signal = options.signal;
    if (!signal) return run;
    // A query cancelled while still waiting its turn answers at once (the host
    // client would otherwise take the silence for a stuck process and kill it).
    return new Promise((resolve) => {
      const onAbort = () => {
        if (!started) resolve(failedResult(this.context(request), 'cancelled'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      void run.then((result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      });
    });
  }

  private context(request: GroundRequest): ResultContext {
    return { phrase: request.phrase, kind: request.kind, model: this.info().model, ...(request.point ? { point: request.point } : {}) };
  }

  private async run(request: GroundRequest, options: LocalGroundOptions): Promise<GroundingResult> {
    const started = performance.now();
    const context = this.context(request);
    if (this.disposed) return failedResult(context, 'model was unloaded');
    if (options.signal?.aborted) return failedResult(context, 'cancelled');
    const { model } = this.loaded;
    let timings = { preprocessMs: 0, modelMs: 0, totalMs: 0 };
    let text = '';
    let tokens = 0;
    let cancelled = false;
    const interrupt = () => {
      cancelled = true;
    };
    try {
      const maxPixels = request.maxPixels ?? this.maxPixels;
      // Leased for the query: the cache recycles its buffer only after the encoder has read it.
      return await this.images.use(request.imagePath, maxPixels, async (image) => {
        // The next query's image is prepared (in the image worker) while this one generates.
        const next = this.waiting.find((w) => !w.signal?.aborted)?.request;
        if (next) void this.images.prefetch(next.imagePath, next.maxPixels ?? this.maxPixels);
        const { inputIds } = this.inputs.prompt(request, image);
        timings.preprocessMs = performance.now() - started;

        options.signal?.addEventListener('abort', interrupt, { once: true });
        if (options.signal?.aborted) interrupt();
        const modelStarted = performance.now();
        let prefill: Prefill | undefined;
        const stream = options.onToken ? new TokenTextStream(this.tokenizer as unknown as DecodingTokenizer, options.onToken) : undefined;
        const ids = await decodeTokens(
          model,
          { inputIds, pixelValues: image.pixelValues, imageGridThw: image.imageGridThw },
          {
            maxNewTokens: request.maxNewTokens ?? DEFAULT_MAX_NEW_TOKENS,
            // One of N self-consistency samples: sample (as the server backend does); otherwise greedy (EGM.md).
            ...((request.samples ?? 1) > 1 ? { sampling: { temperature: SAMPLING.temperature, topP: SAMPLING.top_p, topK: 20 } } : {}),
            ...(stream ? { onToken: (id: number) => stream.push(id) } : {}),
            ...(options.onTrace ? { onPrefill: (p: Prefill) => (prefill = p) } : {}),
            shouldStop: () => cancelled || this.disposed,
          },
        );
        if (options.onTrace && prefill) options.onTrace({ inputIds, image, prefill, ids });
        stream?.end();
        timings.modelMs = performance.now() - modelStarted;
        tokens = ids.length;
        text = this.tokenizer.decode(ids, { skip_special_tokens: true });
        timings.totalMs = performance.now() - started;
        if (cancelled) return failedResult(context, 'cancelled', { raw: text, tokens, timings });
        return makeResult(context, { text, tokens, timings, width: image.originalWidth, height: image.originalHeight });
      });
    } catch (err) {
      timings = { ...timings, totalMs: performance.now() - started };
      return failedResult(context, cancelled ? 'cancelled' : err, { raw: text, tokens, timings });
    } finally {
      options.signal?.removeEventListener('abort', interrupt);
    }
  }

  /**
   * Decodes and patches an image a query is likely to ask about soon (the one
   * the user just selected), into the vision cache, so that query costs what a
   * repeat query on the same image costs. Never queued behind running queries
   * (it runs in the image worker); resolves once the image is ready.
   * Rejects, in one line, only where the image cannot be read.
   */
  async prefetch(imagePath: string, maxPixels = this.maxPixels): Promise<void> {
    if (this.disposed) return;
    await this.images.ahead(imagePath, maxPixels);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    this.images.clear();
    await this.decoder?.close();
    await this.loaded.model.dispose();
  }
}

/** Checks the folder, probes the device and loads; throws one-line errors (ModelFolderProblem, ...). */
export async function loadLocalBackend(options: LocalBackendOptions): Promise<LocalBackend> {
  return new LocalBackend(await loadLocalModel(options), options.maxPixels, { offThread: options.offThread ?? true });
}
