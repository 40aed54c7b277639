// Turns an image file into the vision encoder's input (pixel_values
// [patches, 3·T·P·P], image_grid_thw [1, 3]) without transformers.js' image
// processor, whose generic 9-D permute in JS costs over a second for a 1 MP
// photo. The reference is Hugging Face transformers 5.24's
// Qwen2VLImageProcessorPil (what transformers loads for Qwen3-VL without
// torchvision, which the pinned CPU torch rules out): load_image, smart_resize to a multiple of
// patch·merge, Pillow BICUBIC, rescale, normalise, repeat the frame
// temporal_patch_size times, and order patches so each merge×merge group is
// contiguous. (Its torchvision "fast" twin resizes with antialiased
// torchvision bicubic, which differs slightly.)
// test/integration/vision-input-pillow.test.ts checks every pixel against it.
// The steps themselves are in vision-patches.ts (re-exported here), which the
// image worker (vision-worker.ts) runs without loading transformers.js.
import { Tensor } from '@huggingface/transformers';
import { decodeSamples } from '../../images/pil-decode';
import { patchify, patchValuesLength, visionPixelsOf, type VisionConfig, type VisionSizes } from './vision-patches';

export * from './vision-patches';

export interface VisionInput {
  pixelValues: Tensor;
  imageGridThw: Tensor;
  /** Image tokens the prompt must hold (grid cells / merge²). */
  visualTokens: number;
  originalWidth: number;
  originalHeight: number;
  /** Size the model saw. */
  width: number;
  height: number;
}

/** Gives the Float32Array pixel_values are written into (a recycled one, or a new one). */
export type ValuesAllocator = (length: number) => Float32Array;

/** pixel_values already patched (patchify's output) as the model's input tensors. */
export function visionInputOf(data: Float32Array, gridH: number, gridW: number, sizes: VisionSizes, cfg: VisionConfig): VisionInput {
  return {
    pixelValues: new Tensor('float32', data, [gridH * gridW, data.length / (gridH * gridW)]),
    imageGridThw: new Tensor('int64', BigInt64Array.from([1n, BigInt(gridH), BigInt(gridW)]), [1, 3]),
    visualTokens: (gridH * gridW) / (cfg.mergeSize * cfg.mergeSize),
    originalWidth: sizes.originalWidth,
    originalHeight: sizes.originalHeight,
    width: sizes.width,
    height: sizes.height,
  };
}

/** A file's vision input on this thread (vision-off-thread.ts does the same in a worker); `maxPixels` as visionPixelsOf. */
export async function loadVisionInput(path: string, cfg: VisionConfig, maxPixels: number, alloc?: ValuesAllocator): Promise<VisionInput> {
  const image = visionPixelsOf(await decodeSamples(path), path, cfg, maxPixels);
  const { data, gridH, gridW } = patchify(image.data, image.width, image.height, cfg, alloc?.(patchValuesLength(image.width, image.height, cfg)));
  return visionInputOf(data, gridH, gridW, image, cfg);
}
