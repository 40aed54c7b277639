// Keeps the last two images' vision inputs (pixel_values, grid, sizes), so the
// queries that follow on the same picture skip the decode and patching: the
// visible and amodal boxes of one object are two queries, a batch asks several
// phrases per image, and a user refines the phrase on the image on screen.
// Keyed by path, size and mtime (an edited file is decoded again) and the
// pixel cap; a stale entry for the same path is dropped. Two entries (the
// running query's image and the next one's, prefetched), each only up to
// maxBytes, so a large pixel cap does not pin hundreds of megabytes.
//
// pixel_values of a ~1 MP image are 24 MB. A fresh Float32Array that size
// costs page faults on every first write and counts as external memory,
// which drives V8 into extra mark-compact collections; so the buffer of an
// entry that leaves the cache is kept as a spare and the next image of the
// same grid is patched straight into it. A buffer is recycled only when
// nothing can still read it: inputs handed out by get() are never recycled,
// inputs leased by use() only once their lease ends.
import { stat } from 'node:fs/promises';
import { loadVisionInput, type VisionConfig, type VisionInput } from './vision-input';

export const VISION_CACHE_MAX_BYTES = 64 * 1024 * 1024;

const valuesOf = (input: VisionInput) => input.pixelValues.data as Float32Array;

interface Entry {
  key: string | null;
  /** A promise, so that a prefetch in flight is shared by the query that asks next. */
  input: Promise<VisionInput>;
  /** use() calls holding it; pinned synchronously when the entry is picked, before any await. */
  leases: number;
  /** Handed out by get(): the caller may keep it, so its buffer is never recycled. */
  escaped: boolean;
  /** No longer in the cache. */
  gone: boolean;
  /** Loaded ahead by a prefetch and not asked for since: kept over entries already used. */
  ahead: boolean;
}

type Hold = 'lease' | 'escape' | 'none';

export class VisionInputCache {
  /** Most recent first: the running query's image and the next one's (prefetched). */
  private entries: Entry[] = [];
  hits = 0;
  /** Buffers reused for a new image (the bench and tests read it). */
  recycled = 0;
  /** One free pixel_values buffer, taken by the next load of the same length. */
  private spare: Float32Array | null = null;

  constructor(
    private readonly cfg: VisionConfig,
    private readonly maxBytes = VISION_CACHE_MAX_BYTES,
    private readonly load: typeof loadVisionInput = loadVisionInput,
    private readonly capacity = 2,
  ) {}

  /** The input, for a caller that may keep it (its buffer is never recycled). */
  async get(path: string, maxPixels: number): Promise<VisionInput> {
    return (await this.fetch(path, maxPixels, 'escape')).input;
  }

  /** Runs fn with the input; its buffer may be recycled once fn has settled and the cache has let it go. */
  async use<T>(path: string, maxPixels: number, fn: (input: VisionInput) => Promise<T>): Promise<T> {
    const { entry, input } = await this.fetch(path, maxPixels, 'lease');
    try {
      return await fn(input);
    } finally {
      entry.leases--;
      if (entry.gone) this.release(entry);
    }
  }

  /**
   * Starts loading an image a query will likely ask for next (the next queued
   * one, or the one the user just selected), so its decode runs (on libvips'
   * thread) ahead of time. Resolves when it is ready; a failure is left for
   * that query to report.
   */
  prefetch(path: string, maxPixels: number): Promise<void> {
    return this.ahead(path, maxPixels).catch(() => undefined);
  }

  /** prefetch(), for a caller that reports the failure (the backend's prefetch rejects, in one line). */
  async ahead(path: string, maxPixels: number): Promise<void> {
    await this.fetch(path, maxPixels, 'none');
  }

  clear(): void {
    for (const entry of this.entries) this.leave(entry);
    this.entries = [];
    this.spare = null;
  }

  private async fetch(path: string, maxPixels: number, hold: Hold): Promise<{ entry: Entry; input: VisionInput }> {
    // A file that cannot be stat'ed goes to the loader, which says why in its own words.
    const info = await stat(path).catch(() => null);
    const key = info ? `${maxPixels}\u0000${info.size}\u0000${info.mtimeMs}\u0000${path}` : null;
    let entry = key === null ? undefined : this.entries.find((e) => e.key === key);
    if (entry) {
      this.hits++;
      this.entries = [entry, ...this.entries.filter((e) => e !== entry)];
    } else {
      entry = { key, input: this.load(path, this.cfg, maxPixels, (length) => this.take(length)), leases: 0, escaped: false, gone: key === null, ahead: hold === 'none' };
      if (key !== null) {
        const others = this.entries.filter((e) => !e.key!.endsWith(`\u0000${path}`));
        for (const stale of this.entries) if (!others.includes(stale)) this.leave(stale);
        // An image loaded ahead and not yet asked for stays over one already used: a
        // batch prefetches the next image while the current one is in use, and the one
        // before it, used last, is the one done with.
        const kept = [...others.filter((e) => e.ahead), ...others.filter((e) => !e.ahead)];
        for (const evicted of kept.slice(this.capacity - 1)) this.leave(evicted);
        this.entries = [entry, ...kept.slice(0, this.capacity - 1)];
      }
    }
    if (hold !== 'none') entry.ahead = false;
    // Held before the first await, so an eviction meanwhile cannot recycle it under us.
    if (hold === 'lease') entry.leases++;
    if (hold === 'escape') entry.escaped = true;
    try {
      const input = await entry.input;
      if (!entry.gone && valuesOf(input).byteLength > this.maxBytes) this.leave(entry);
      return { entry, input };
    } catch (err) {
      // Failures are not kept: the next query tries again and reports its own error.
      if (hold === 'lease') entry.leases--;
      if (!entry.gone) this.leave(entry);
      throw err;
    }
  }

  private take(length: number): Float32Array {
    const spare = this.spare;
    if (spare && spare.length === length) {
      this.spare = null;
      this.recycled++;
      return spare;
    }
    return new Float32Array(length);
  }

  /** The entry leaves the cache; its buffer is recycled once nobody can read it. */
  private leave(entry: Entry): void {
    entry.gone = true;
    this.entries = this.entries.filter((e) => e !== entry);
    this.release(entry);
  }

  private release(entry: Entry): void {
    entry.input.then(
      (input) => {
        if (!entry.gone || entry.leases > 0 || entry.escaped) return;
        const values = valuesOf(input);
        // Once only: an entry released twice must not hand its buffer out twice.
        entry.escaped = true;
        if (values.byteLength <= this.maxBytes) this.spare = values;
      },
      () => undefined,
    );
  }
}
