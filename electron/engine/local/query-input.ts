// What one grounding query feeds the model: the image's vision input
// (pixel_values and grid, vision-input.ts, cached by vision-cache.ts) and the
// prompt token ids (the EGM prompt in the model's chat template, tokenised,
// one <|image_pad|> per visual token: prompt-ids.ts). Built from the model
// folder's processor (tokenizer, chat template, preprocessor config) alone, so
// `egm prepare-input` can show these inputs without loading the ONNX sessions,
// and the local backend builds its queries with the very same object.
import { AutoProcessor } from '@huggingface/transformers';
import { buildPrompt } from '@core/egm/prompt';
import { toGrid } from '@core/egm/coordinates';
import type { GroundRequest } from '../backend';
import { checkModelFolder } from './model-folder';
import type { Processor } from './load-model';
import { PromptIds, chatRenderer, type ChatTokenizer } from './prompt-ids';
import { configureTransformers } from './transformers-env';
import { VisionInputCache } from './vision-cache';
import { visionConfigFrom, type loadVisionInput, type VisionConfig, type VisionInput } from './vision-input';

export interface QueryPrompt {
  /** The user turn's text (EGM.md prompt, with the point hint when there is one). */
  prompt: string;
  /** Whole prompt ids, chat template included, ready for the prefill. */
  inputIds: BigInt64Array;
}

export class QueryInputs {
  readonly vision: VisionConfig;
  /** The last images' pixel_values, shared by queries, prefetch and the next queued query. */
  readonly images: VisionInputCache;
  private readonly promptIds: PromptIds;

  /** `load`: how images become vision inputs (default loadVisionInput on this thread; the backend's runs in a worker). */
  constructor(processor: Processor, load?: typeof loadVisionInput) {
    const tokenizer = processor.tokenizer;
    if (!tokenizer) throw new Error('the model folder has no tokenizer');
    this.promptIds = new PromptIds(chatRenderer(processor as never), tokenizer as unknown as ChatTokenizer);
    this.vision = visionConfigFrom((processor.image_processor as { config?: Record<string, unknown> }).config ?? {});
    this.images = new VisionInputCache(this.vision, undefined, load);
  }

  /** The prompt for a request on an image already loaded (the point hint is mapped with the original size). */
  prompt(request: Pick<GroundRequest, 'phrase' | 'kind' | 'point'>, image: VisionInput): QueryPrompt {
    const point0to1000 = request.point ? toGrid(request.point, image.originalWidth, image.originalHeight) : undefined;
    const prompt = buildPrompt({ phrase: request.phrase, kind: request.kind, ...(point0to1000 ? { point0to1000 } : {}) });
    return { prompt, inputIds: this.promptIds.ids(prompt, image.visualTokens) };
  }
}

/** Processor only (no ONNX sessions): for `egm prepare-input`. Throws the model folder's one-line problem. */
export async function loadQueryInputs(modelDir: string, cacheDir?: string): Promise<QueryInputs> {
  const folder = checkModelFolder(modelDir);
  configureTransformers(cacheDir);
  return new QueryInputs(await AutoProcessor.from_pretrained(folder.dir, { local_files_only: true }));
}
