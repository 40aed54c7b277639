// Serves a project image's bytes by image id, for the app's egm-image://
// protocol and the e2e harness's /image/<token>/<id> route. The only way in is an id
// the open project knows, so no renderer-supplied path is ever read.
//
// Project identity (issue 16): ids repeat across projects (image 1 of A and
// image 1 of B), and Chromium keeps what it decoded for a URL for the life of
// the page, so a URL by id alone showed A's picture in B. Every URL names the
// opening of the project it was made for (ProjectInfo.token); a request for
// any other opening is a 404, never another project's bytes.
//
// Orientation: every consumer must see the same upright pixels (DESIGN.md).
// Browsers honour EXIF orientation for <img> but canvases and decoders differ,
// so a file whose orientation is not 1 is re-encoded upright here with the same
// sharp .rotate() the model input uses (model-input.ts); the stored width and
// height (probe.ts, uprightSize) match what is served. Those re-encodes are the
// expensive case, so the last few are kept in a small LRU keyed by file identity.
//
// Thumbnails (issue 11: the image list's pictures): `?thumb=1` on the same URL
// answers a small upright JPEG, longest side THUMB_SIZE px (never enlarged),
// made with the same sharp .rotate(); a list of thousands scrolls through
// them, so many are kept (a separate LRU, a few KB each).
import { readFile, stat } from 'node:fs/promises';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { ByteLru } from './byte-lru';
import { oneLine } from '@core/errors';
import type { ProjectStore } from '../store/api';
import { decodeBmp } from './bmp';
import { checkBmpFile, type BmpPixels } from './bmp-file';
import { decodeBmpOffThread } from './bmp-off-thread';
import { MAX_IMAGE_PIXELS } from './probe';

export interface ServedImage {
  bytes: Buffer;
  mimeType: string;
}

/** A failure with the HTTP status the protocol answers with. */
export class ServeError extends Error {
  constructor(
    readonly status: 404 | 415 | 500,
    message: string,
  ) {
    super(message);
    this.name = 'ServeError';
  }
}

/** What serving needs from the store (a narrow view, so callers can pass a session's current store). */
export type ImageSource = Pick<ProjectStore, 'path' | 'token' | 'imageFilePath'>;

const PASS_THROUGH: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
};

/** Longest side of a thumbnail, in pixels. */
export const THUMB_SIZE = 160;

/** What a URL asks for: an image id of one opening of a project (its token), whole or as a thumbnail. */
export interface ImageRequest {
  project: string;
  id: number;
  thumb: boolean;
}

/** A project token as URLs carry it (sqlite-store.ts makes them: base64url). */
const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

/** BMPs of more pixels than this are decoded off the main thread (bmp-off-thread.ts); smaller ones take milliseconds. */
const BMP_OFF_THREAD_PIXELS = 2_000_000;

/**
 * A BMP decoded by bmp.ts (sharp cannot read BMP) as raw RGB input for sharp;
 * null when the file is no BMP; the 415 that says why not. Its header is
 * checked (the pixel limit) before the file is read, and a large one is
 * decoded in a worker: this runs in Electron's main process.
 */
async function bmpInput(file: string, imageId: number): Promise<Sharp | null> {
  let pixels: BmpPixels;
  try {
    const check = await checkBmpFile(file, MAX_IMAGE_PIXELS);
    if (!check.bmp) return null;
    pixels = check.width * check.height > BMP_OFF_THREAD_PIXELS ? await decodeBmpOffThread(file, MAX_IMAGE_PIXELS) : decodeBmp(await readFile(file), MAX_IMAGE_PIXELS);
  } catch (err) {
    throw new ServeError(415, `image ${imageId}: ${file} is not a readable image (${oneLine(err)})`);
  }
  const { rgb, width, height } = pixels;
  return sharp(Buffer.from(rgb.buffer, rgb.byteOffset, rgb.length), { raw: { width, height, channels: 3 } });
}

/**
 * The image's header as sharp reads it, or a 415. The file may have been
 * replaced since it was probed: refuse what adding it would have refused.
 */
async function checkedMetadata(bytes: Buffer, imageId: number, file: string): Promise<Metadata> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new ServeError(415, `image ${imageId}: ${file} is not a readable image (${oneLine(err)})`);
  }
  if ((meta.width ?? 0) * (meta.height ?? 0) > MAX_IMAGE_PIXELS) {
    throw new ServeError(415, `image ${imageId}: ${file} is over the ${MAX_IMAGE_PIXELS / 1e6} MP limit`);
  }
  return meta;
}

export class ImageServer {
  readonly #cache: ByteLru<ServedImage>;
  readonly #thumbs: ByteLru<ServedImage>;
  /** Re-encodes done so far (tests check the cache with it). */
  reencodes = 0;
  /** Thumbnails made so far (tests check their cache with it). */
  thumbnails = 0;

  constructor(options: { cacheEntries?: number; cacheBytes?: number; thumbEntries?: number; thumbBytes?: number } = {}) {
    this.#cache = new ByteLru(options.cacheEntries ?? 8, options.cacheBytes ?? 96 * 1024 * 1024);
    this.#thumbs = new ByteLru(options.thumbEntries ?? 4000, options.thumbBytes ?? 48 * 1024 * 1024);
  }

  /** The request in a URL's path part ("<token>/12") and query (`thumb=1` for the thumbnail); a bad token or id is a 404. */
  static parseRequest(pathText: string, query: URLSearchParams): ImageRequest {
    const cut = pathText.indexOf('/');
    const project = cut < 0 ? '' : pathText.slice(0, cut);
    if (!TOKEN.test(project)) throw new ServeError(404, `not an image URL: '${pathText.slice(0, 80)}' (expected <project token>/<image id>)`);
    return { project, id: ImageServer.parseId(pathText.slice(cut + 1)), thumb: query.get('thumb') === '1' };
  }

  /** The whole image or its thumbnail, as the request asks. */
  serveRequest(store: ImageSource | null, request: ImageRequest): Promise<ServedImage> {
    if (store && store.token !== request.project) {
      return Promise.reject(new ServeError(404, `image ${request.id}: asked for a project that is no longer open`));
    }
    return request.thumb ? this.thumbnail(store, request.id) : this.serve(store, request.id);
  }

  /**
   * A small upright JPEG of the image: longest side THUMB_SIZE (a smaller image
   * keeps its size), EXIF orientation applied as everywhere else.
   */
  async thumbnail(store: ImageSource | null, imageId: number): Promise<ServedImage> {
    const { file, key } = await this.#locate(store, imageId);
    const cached = this.#thumbs.get(key);
    if (cached) return cached;
    let input = await bmpInput(file, imageId);
    if (!input) {
      const bytes = await readFile(file);
      await checkedMetadata(bytes, imageId, file);
      input = sharp(bytes, { limitInputPixels: false }).rotate();
    }
    let served: ServedImage;
    try {
      this.thumbnails++;
      // flatten: a transparent PNG gets a white ground instead of JPEG's black.
      const jpeg = await input
        .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 80 })
        .toBuffer();
      served = { bytes: jpeg, mimeType: 'image/jpeg' };
    } catch (err) {
      throw new ServeError(500, `image ${imageId}: cannot make a thumbnail of ${file} (${oneLine(err)})`);
    }
    this.#thumbs.set(key, served);
    return served;
  }

  /** The file behind an image id and its identity key (path, size, mtime), or the 404 that says why not. */
  async #locate(store: ImageSource | null, imageId: number): Promise<{ file: string; key: string }> {
    if (!store) throw new ServeError(404, `image ${imageId}: no project is open`);
    if (!Number.isSafeInteger(imageId) || imageId <= 0) throw new ServeError(404, `not an image id: ${imageId}`);
    // The path alone (one indexed lookup): getImage would also count annotations and proposals, per request.
    let file: string | undefined;
    try {
      file = store.imageFilePath(imageId);
    } catch (err) {
      throw new ServeError(404, oneLine(err)); // a network or device path: never opened
    }
    if (!file) throw new ServeError(404, `image ${imageId} is not in this project`);
    let info;
    try {
      info = await stat(file);
    } catch (err) {
      // Not found is the usual case (moved or deleted); anything else (EACCES...) is said as it is.
      const code = (err as NodeJS.ErrnoException).code;
      throw new ServeError(404, code === 'ENOENT' ? `image ${imageId}: file ${file} not found` : `image ${imageId}: cannot read ${file} (${code ?? oneLine(err)})`);
    }
    if (!info.isFile()) throw new ServeError(404, `image ${imageId}: ${file} is not a regular file`);
    return { file, key: `${store.path}\0${imageId}\0${file}\0${info.size}\0${info.mtimeMs}` };
  }

  /** Parses the id part of a URL path ("12", "12/"): a positive integer or a 404. */
  static parseId(text: string): number {
    const trimmed = text.replace(/\/+$/, '');
    if (!/^[1-9][0-9]{0,15}$/.test(trimmed)) throw new ServeError(404, `not an image id: '${trimmed.slice(0, 40)}'`);
    return Number(trimmed);
  }

  async serve(store: ImageSource | null, imageId: number): Promise<ServedImage> {
    const { file, key } = await this.#locate(store, imageId);
    const cached = this.#cache.get(key);
    if (cached) return cached;
    // Browsers show BMP, but sharp cannot read it to check it: decode (bmp.ts) and serve a PNG.
    const input = await bmpInput(file, imageId);
    if (input) {
      let served: ServedImage;
      try {
        served = { bytes: await input.png().toBuffer(), mimeType: 'image/png' };
      } catch (err) {
        throw new ServeError(415, `image ${imageId}: ${file} is not a readable image (${oneLine(err)})`);
      }
      this.#cache.set(key, served);
      return served;
    }
    const bytes = await readFile(file);
    const meta = await checkedMetadata(bytes, imageId, file);
    const orientation = meta.orientation ?? 1;
    const passMime = PASS_THROUGH[meta.format ?? ''];
    if (orientation === 1 && passMime) return { bytes, mimeType: passMime };
    // Rotated, or a format browsers do not show (TIFF, HEIF): re-encode upright.
    const served = await this.#reencode(bytes, meta.format === 'jpeg', imageId, file);
    this.#cache.set(key, served);
    return served;
  }

  async #reencode(bytes: Buffer, asJpeg: boolean, imageId: number, file: string): Promise<ServedImage> {
    this.reencodes++;
    try {
      const upright = sharp(bytes, { limitInputPixels: false }).rotate();
      // JPEG stays JPEG (a PNG of a photo is several times larger); others go lossless.
      return asJpeg
        ? { bytes: await upright.jpeg({ quality: 95 }).toBuffer(), mimeType: 'image/jpeg' }
        : { bytes: await upright.png().toBuffer(), mimeType: 'image/png' };
    } catch (err) {
      throw new ServeError(500, `image ${imageId}: cannot re-encode ${file} (${oneLine(err)})`);
    }
  }
}
