// Loads an EGM / Qwen3-VL export with transformers.js: folder check first
// (one-line reasons), then the device probe, then processor and the three ONNX
// sessions. Progress is reported as 0..1 over those steps and the files.
import { AutoProcessor, Qwen3VLForConditionalGeneration, type ProgressInfo } from '@huggingface/transformers';
import { chooseDevice, type DeviceRequest } from './device';
import { checkModelFolder, type DtypeRequest, type ModelFolder } from './model-folder';
import { configureTransformers } from './transformers-env';

export interface LoadProgress {
  /** 'checking' | 'probing-device' | 'loading' | 'ready'. */
  stage: string;
  /** File being read, when there is one. */
  file?: string;
  /** 0..1 over the whole load. */
  progress: number;
}

export interface LocalModelOptions {
  modelDir: string;
  device?: DeviceRequest;
  dtype?: DtypeRequest;
  /** Writable folder for transformers.js (defaults to the OS temp folder). */
  cacheDir?: string;
  onProgress?: (progress: LoadProgress) => void;
}

export type Processor = Awaited<ReturnType<typeof AutoProcessor.from_pretrained>>;
export type VlModel = Awaited<ReturnType<typeof Qwen3VLForConditionalGeneration.from_pretrained>>;

type Dtype = NonNullable<NonNullable<Parameters<typeof Qwen3VLForConditionalGeneration.from_pretrained>[1]>['dtype']>;

export interface LoadedModel {
  folder: ModelFolder;
  processor: Processor;
  model: VlModel;
  device: string;
  deviceReason: string;
  loadMs: number;
}

/**
 * onnxruntime's worker threads busy-wait for the next parallel section; by
 * default they go on spinning after a run returns. Between decoder steps our
 * own loop runs on the main thread, and the next query's image decodes on
 * libvips' thread meanwhile: threads spinning then take the cores those need
 * (on a 2-core machine the tiny model's whole model phase took about twice as
 * long). So spinning stops when a run returns (`force_spinning_stop`), and
 * inside a run a worker spins at most 100 µs before it sleeps. Not sleeping
 * at once between the parallel sections of one run matters: EGM-4B q4's
 * decoder step wakes the worker for each of its ~400 matrix products, and
 * woken from sleep each time it took 118.0 against 108.0 ms a step with the
 * 100 µs spin (bench/decoder-step.ts, 8 alternations; 20 µs: 111.5, 1 ms: 109.9).
 * With both cores taken by other busy processes the spin costs ~5% instead
 * (226 against 215 ms, 10 alternations); the quiet machine is the case kept.
 */
export const SESSION_OPTIONS = {
  extra: { session: { force_spinning_stop: '1', 'intra_op.spin_duration_us': '100', 'inter_op.allow_spinning': '0' } },
};

export async function loadLocalModel(options: LocalModelOptions): Promise<LoadedModel> {
  const started = performance.now();
  const report = (p: LoadProgress) => {
    try {
      options.onProgress?.(p);
    } catch {
      // Progress is advisory: a listener's bug must not fail the load.
    }
  };
  report({ stage: 'checking', progress: 0 });
  const folder = checkModelFolder(options.modelDir, options.dtype);
  configureTransformers(options.cacheDir);

  report({ stage: 'probing-device', progress: 0.05 });
  const { device, reason } = await chooseDevice(options.device ?? 'auto');

  // Byte progress per file, folded into one 0.1..0.95 figure.
  const files = new Map<string, { loaded: number; total: number }>();
  const onFile = (info: ProgressInfo) => {
    if (info.status !== 'progress' && info.status !== 'done') return;
    const entry = files.get(info.file) ?? { loaded: 0, total: 1 };
    if (info.status === 'progress') files.set(info.file, { loaded: info.loaded, total: Math.max(1, info.total) });
    else files.set(info.file, { loaded: entry.total, total: entry.total });
    let loaded = 0;
    let total = 0;
    for (const f of files.values()) {
      loaded += f.loaded;
      total += f.total;
    }
    report({ stage: 'loading', file: info.file, progress: 0.1 + 0.85 * (total ? loaded / total : 0) });
  };

  const modelDir = folder.dir;
  const processor = await AutoProcessor.from_pretrained(modelDir, { local_files_only: true, progress_callback: onFile });
  report({ stage: 'loading', file: 'onnx', progress: 0.3 });
  const model = await Qwen3VLForConditionalGeneration.from_pretrained(modelDir, {
    local_files_only: true,
    device,
    // Checked against DTYPE_SUFFIX (the same table transformers.js uses) by checkModelFolder.
    dtype: folder.dtype as Dtype,
    ...(Object.keys(folder.externalData).length ? { use_external_data_format: folder.externalData } : {}),
    // No progress_callback here: with one, transformers.js first asks every
    // model file's size by opening it as a FileResponse, which reads the whole
    // file into a queue nobody drains (gigabytes of weights, after the load;
    // see transformers-env.ts). Its byte progress for these files was never
    // real on Node anyway (it reports paths at 100 % before onnxruntime reads
    // them); the sessions' creation is the wait, reported as one stage.
    session_options: SESSION_OPTIONS,
  });
  report({ stage: 'ready', progress: 1 });
  return { folder, processor, model, device, deviceReason: reason, loadMs: performance.now() - started };
}
