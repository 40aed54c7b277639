// Encoded model images, cached per (path, mtime, size, maxPixels). A batch asks
// about one image many times (visible + amodal, several phrases, retries), and
// a JPEG decode + resize + encode costs tens of milliseconds of a shared CPU;
// the key includes mtime and size so an edited file is re-read. Concurrent
// requests for the same key share one in-flight encode.
import { stat } from 'node:fs/promises';
import { loadModelImage } from '../../images/model-input';
import { ImageProblem } from '../../images/probe';

export interface EncodedImage {
  dataUrl: string;
  width: number;
  height: number;
  originalWidth: number;
  originalHeight: number;
  /** Time this call spent getting the image (≈0 on a cache hit). */
  ms: number;
  cached: boolean;
}

type Entry = { promise: Promise<Omit<EncodedImage, 'ms' | 'cached'>>; bytes: number };

export interface ImageCache {
  get(path: string, maxPixels: number | undefined): Promise<EncodedImage>;
  readonly size: number;
  clear(): void;
}

export function createImageCache(options: { maxEntries?: number; maxBytes?: number } = {}): ImageCache {
  const maxEntries = options.maxEntries ?? 32;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const entries = new Map<string, Entry>();
  let bytes = 0;

  const evict = () => {
    for (const [key, entry] of entries) {
      if (entries.size <= maxEntries && bytes <= maxBytes) break;
      entries.delete(key);
      bytes -= entry.bytes;
    }
  };

  return {
    async get(path, maxPixels) {
      const started = performance.now();
      let info;
      try {
        info = await stat(path);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new ImageProblem(path, code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(err)})`);
      }
      const key = `${path}\0${info.mtimeMs}\0${info.size}\0${maxPixels ?? ''}`;
      let entry = entries.get(key);
      const cached = entry !== undefined;
      if (entry) {
        entries.delete(key); // re-insert: Map order is the LRU order
        entries.set(key, entry);
      } else {
        const created: Entry = {
          bytes: 0,
          promise: loadModelImage(path, { format: 'jpeg', ...(maxPixels ? { maxPixels } : {}) }).then((image) => {
            const dataUrl = `data:image/jpeg;base64,${image.data.toString('base64')}`;
            // Count bytes only while the entry is still cached (it may have been evicted while pending).
            if (entries.get(key) === created) {
              created.bytes = dataUrl.length;
              bytes += created.bytes;
              evict();
            }
            const { width, height, originalWidth, originalHeight } = image;
            return { dataUrl, width, height, originalWidth, originalHeight };
          }),
        };
        entry = created;
        entries.set(key, created);
        // A failed encode must not stay cached: the next call tries again.
        created.promise.catch(() => {
          if (entries.get(key) === created) entries.delete(key);
        });
        evict();
      }
      const image = await entry.promise;
      return { ...image, ms: performance.now() - started, cached };
    },
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
      bytes = 0;
    },
  };
}
