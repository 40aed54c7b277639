// Keeps the last two images' vision inputs (pixel_values, grid, sizes), so the
// queries that follow on the same picture skip the decode and patching: the
// visible and amodal boxes of one object are two queries, a batch asks several
// phrases per image, and a user refines the phrase on the image on screen.
// Keyed by path, size and mtime (an edited file is decoded again) and the
// pixel cap; a stale entry for the same path is dropped. Two entries (the
// running query's image and the next one's, prefetched), each only up to
// maxBytes, so a large pixel cap does not pin hundreds of megabytes.
import { stat } from 'node:fs/promises';
import { loadVisionInput, type VisionConfig, type VisionInput } from './vision-input';

export const VISION_CACHE_MAX_BYTES = 64 * 1024 * 1024;

interface Entry {
  key: string;
  /** A promise, so that a prefetch in flight is shared by the query that asks next. */
  input: Promise<VisionInput>;
}

export class VisionInputCache {
  /** Most recent first: the running query's image and the next one's (prefetched). */
  private entries: Entry[] = [];
  hits = 0;

  constructor(
    private readonly cfg: VisionConfig,
    private readonly maxBytes = VISION_CACHE_MAX_BYTES,
    private readonly load: typeof loadVisionInput = loadVisionInput,
    private readonly capacity = 2,
  ) {}

  async get(path: string, maxPixels: number): Promise<VisionInput> {
    // A file that cannot be stat'ed goes to the loader, which says why in its own words.
    const info = await stat(path).catch(() => null);
    const key = info ? `${maxPixels}\u0000${info.size}\u0000${info.mtimeMs}\u0000${path}` : null;
    const found = key === null ? undefined : this.entries.find((e) => e.key === key);
    if (found) {
      this.hits++;
      this.entries = [found, ...this.entries.filter((e) => e !== found)];
      return found.input;
    }
    const input = this.load(path, this.cfg, maxPixels);
    const entry = key === null ? null : { key, input };
    if (entry) this.entries = [entry, ...this.entries.filter((e) => !e.key.endsWith(`\u0000${path}`))].slice(0, this.capacity);
    try {
      const loaded = await input;
      if (entry && (loaded.pixelValues.data as Float32Array).byteLength > this.maxBytes) this.drop(entry);
      return loaded;
    } catch (err) {
      // Failures are not kept: the next query tries again and reports its own error.
      if (entry) this.drop(entry);
      throw err;
    }
  }

  /**
   * Starts loading the image the next query will ask for, so its decode runs
   * (on libvips' thread) while the current query generates. A failure is left
   * for that query's own get() to report.
   */
  prefetch(path: string, maxPixels: number): void {
    this.get(path, maxPixels).catch(() => undefined);
  }

  clear(): void {
    this.entries = [];
  }

  private drop(entry: Entry): void {
    this.entries = this.entries.filter((e) => e !== entry);
  }
}
