// The local GroundingBackend: an EGM / Qwen3-VL ONNX export run by
// transformers.js on onnxruntime-node, in whatever process calls it (the app
// and the CLI call it inside the model host process, never on a UI thread:
// onnxruntime's run blocks its thread). One query runs at a time: a second
// waits, as the sessions and the stopping criteria are shared.
import { InterruptableStoppingCriteria, type Tensor } from '@huggingface/transformers';
import type { BackendInfo, GroundOptions, GroundRequest, GroundingBackend } from '../backend';
import type { GroundingResult } from '../../core/types';
import { buildPrompt } from '../../core/egm/prompt';
import { toGrid } from '../../core/egm/coordinates';
import { failedResult, makeResult, type ResultContext } from '../result';
import { DEFAULT_MAX_PIXELS } from '../../images/model-input';
import { loadLocalModel, type LoadedModel, type LocalModelOptions } from './load-model';
import { CallbackStreamer } from './streamer';
import { loadVisionInput, visionConfigFrom, type VisionConfig } from './vision-input';
import { SAMPLING } from '../server/chat';

const IMAGE_PAD = '<|image_pad|>';

export const DEFAULT_MAX_NEW_TOKENS = 4096;

export interface LocalBackendOptions extends LocalModelOptions {
  /** Default pixel cap for requests that name none. */
  maxPixels?: number;
}

export class LocalBackend implements GroundingBackend {
  private readonly stopping = new InterruptableStoppingCriteria();
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private readonly vision: VisionConfig;
  private readonly tokenizer: NonNullable<LoadedModel['processor']['tokenizer']>;

  constructor(
    private readonly loaded: LoadedModel,
    private readonly maxPixels = DEFAULT_MAX_PIXELS,
  ) {
    const tokenizer = loaded.processor.tokenizer;
    if (!tokenizer) throw new Error(`model folder ${loaded.folder.dir}: the processor has no tokenizer`);
    this.tokenizer = tokenizer;
    this.vision = visionConfigFrom((loaded.processor.image_processor as { config?: Record<string, unknown> }).config ?? {});
  }

  info(): BackendInfo {
    return { kind: 'local', model: this.loaded.folder.name, device: this.loaded.device, deviceReason: this.loaded.deviceReason };
  }

  ground(request: GroundRequest, options: GroundOptions = {}): Promise<GroundingResult> {
    let started = false;
    const run = this.queue.then(() => {
      started = true;
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

  private async run(request: GroundRequest, options: GroundOptions): Promise<GroundingResult> {
    const started = performance.now();
    const context = this.context(request);
    if (this.disposed) return failedResult(context, 'model was unloaded');
    if (options.signal?.aborted) return failedResult(context, 'cancelled');
    const { processor, model } = this.loaded;
    let timings = { preprocessMs: 0, modelMs: 0, totalMs: 0 };
    let text = '';
    let tokens = 0;
    let cancelled = false;
    const interrupt = () => {
      cancelled = true;
      this.stopping.interrupt();
    };
    try {
      const image = await loadVisionInput(request.imagePath, this.vision, request.maxPixels ?? this.maxPixels);
      const point0to1000 = request.point ? toGrid(request.point, image.originalWidth, image.originalHeight) : undefined;
      const prompt = buildPrompt({ phrase: request.phrase, kind: request.kind, ...(point0to1000 ? { point0to1000 } : {}) });
      const messages = [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: prompt }] }];
      const chat = processor.apply_chat_template(messages as never, { add_generation_prompt: true, tokenize: false }) as string;
      // What Qwen2VLProcessor does with the text: one pad token per visual token.
      const promptText = chat.replace(IMAGE_PAD, () => IMAGE_PAD.repeat(image.visualTokens));
      const inputs = { ...this.tokenizer(promptText), pixel_values: image.pixelValues, image_grid_thw: image.imageGridThw };
      const promptLength = (inputs.input_ids as Tensor).dims[1] ?? 0;
      timings.preprocessMs = performance.now() - started;

      // reset() first: an interrupt left over from a cancelled query would stop this one at once.
      this.stopping.reset();
      options.signal?.addEventListener('abort', interrupt, { once: true });
      if (options.signal?.aborted) interrupt();
      const modelStarted = performance.now();
      const streamer = options.onToken ? new CallbackStreamer(this.tokenizer as never, options.onToken) : undefined;
      // One of N self-consistency samples: sample (as the server backend does); otherwise greedy (EGM.md).
      const sampling = (request.samples ?? 1) > 1 ? { do_sample: true, ...SAMPLING, top_k: 20 } : { do_sample: false };
      const output = (await model.generate({
        ...inputs,
        max_new_tokens: request.maxNewTokens ?? DEFAULT_MAX_NEW_TOKENS,
        ...sampling,
        stopping_criteria: [this.stopping],
        ...(streamer ? { streamer } : {}),
      })) as Tensor;
      timings.modelMs = performance.now() - modelStarted;
      const generated = output.slice(null, [promptLength, output.dims[1] ?? promptLength]);
      tokens = generated.dims[1] ?? 0;
      text = processor.batch_decode(generated, { skip_special_tokens: true })[0] ?? '';
      timings.totalMs = performance.now() - started;
      if (cancelled) return failedResult(context, 'cancelled', { raw: text, tokens, timings });
      return makeResult(context, { text, tokens, timings, width: image.originalWidth, height: image.originalHeight });
    } catch (err) {
      timings = { ...timings, totalMs: performance.now() - started };
      return failedResult(context, cancelled ? 'cancelled' : err, { raw: text, tokens, timings });
    } finally {
      options.signal?.removeEventListener('abort', interrupt);
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.stopping.interrupt();
    await this.queue;
    await this.loaded.model.dispose();
  }
}

/** Checks the folder, probes the device and loads; throws one-line errors (ModelFolderProblem, ...). */
export async function loadLocalBackend(options: LocalBackendOptions): Promise<LocalBackend> {
  return new LocalBackend(await loadLocalModel(options), options.maxPixels);
}
