// Keeps the last image's vision input (pixel_values, grid, sizes), so the
// queries that follow on the same picture skip the decode and patching: the
// visible and amodal boxes of one object are two queries, a batch asks several
// phrases per image, and a user refines the phrase on the image on screen.
// Keyed by path, size and mtime (an edited file is decoded again) and the
// pixel cap. One entry, and only up to maxBytes, so a large pixel cap does not
// pin hundreds of megabytes.
import { stat } from 'node:fs/promises';
import { loadVisionInput, type VisionConfig, type VisionInput } from './vision-input';

export const VISION_CACHE_MAX_BYTES = 64 * 1024 * 1024;

export class VisionInputCache {
  private last: { key: string; input: VisionInput } | null = null;
  hits = 0;

  constructor(
    private readonly cfg: VisionConfig,
    private readonly maxBytes = VISION_CACHE_MAX_BYTES,
    private readonly load: typeof loadVisionInput = loadVisionInput,
  ) {}

  async get(path: string, maxPixels: number): Promise<VisionInput> {
    // A file that cannot be stat'ed goes to the loader, which says why in its own words.
    const info = await stat(path).catch(() => null);
    const key = info ? `${maxPixels}\u0000${info.size}\u0000${info.mtimeMs}\u0000${path}` : null;
    if (key !== null && this.last?.key === key) {
      this.hits++;
      return this.last.input;
    }
    this.last = null;
    const input = await this.load(path, this.cfg, maxPixels);
    const bytes = (input.pixelValues.data as Float32Array).byteLength;
    if (key !== null && bytes <= this.maxBytes) this.last = { key, input };
    return input;
  }

  clear(): void {
    this.last = null;
  }
}
