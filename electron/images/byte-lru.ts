// A small LRU of served images, bounded by entry count and total bytes (serve.ts
// keeps re-encoded images and thumbnails in two of them).
/** Map keeps insertion order: a hit is moved to the end, eviction starts at the front. */
export class ByteLru<T extends { bytes: Buffer }> {
  readonly #entries = new Map<string, T>();
  #bytes = 0;
  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}
  get(key: string): T | undefined {
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
    }
    return hit;
  }
  set(key: string, value: T): void {
    if (value.bytes.length > this.maxBytes) return;
    // Two requests for one image can both miss and both store it: count its bytes once.
    const previous = this.#entries.get(key);
    if (previous) {
      this.#entries.delete(key);
      this.#bytes -= previous.bytes.length;
    }
    this.#entries.set(key, value);
    this.#bytes += value.bytes.length;
    for (const [oldKey, old] of this.#entries) {
      if (this.#entries.size <= this.maxEntries && this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldKey);
      this.#bytes -= old.bytes.length;
    }
  }
  get size(): number {
    return this.#entries.size;
  }
}
