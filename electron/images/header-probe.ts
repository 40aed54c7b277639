// The probe's fast path for the two formats datasets are made of: JPEG and PNG
// headers read straight from the file's first bytes (size, EXIF orientation)
// plus the same end-marker check probe.ts does, with no sharp call. sharp's
// metadata() costs ~0.4 ms a file on the thread pool, which was 9 of the 11 s
// of a 20,000-image COCO import; this costs a few synchronous reads.
// Anything it is not sure of (another format, no size before the image data,
// a PNG with an eXIf chunk) returns null and the caller asks sharp, so the
// answers are sharp's (test/unit/header-probe.test.ts holds them side by side).
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { ImageProblem, MAX_IMAGE_PIXELS, uprightSize, type ImageProbe } from './probe';

/** Bytes read from the start: JPEG EXIF (with its thumbnail) and PNG chunks before IDAT fit in practice. */
const HEAD_BYTES = 64 * 1024;
/** Bytes read from the end for the end marker, as probe.ts. */
const TAIL_BYTES = 1024;

/** What the header says, or null when it cannot tell (the caller falls back to sharp). Exported for tests. */
export function parseHeader(head: Buffer): { format: 'jpeg' | 'png'; width: number; height: number; orientation: number } | null {
  if (head.length >= 24 && head.readUInt32BE(0) === 0x89504e47 && head.readUInt32BE(4) === 0x0d0a1a0a) return parsePng(head);
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xd8) return parseJpeg(head);
  return null;
}

function parsePng(head: Buffer) {
  if (head.toString('latin1', 12, 16) !== 'IHDR') return null;
  const width = head.readUInt32BE(16);
  const height = head.readUInt32BE(20);
  // Chunks up to the image data: an eXIf chunk may carry an orientation, which sharp reads; leave those to it.
  for (let at = 8; ; ) {
    if (at + 8 > head.length) return null;
    const length = head.readUInt32BE(at);
    const type = head.toString('latin1', at + 4, at + 8);
    if (type === 'eXIf') return null;
    if (type === 'IDAT') break;
    at += 12 + length;
  }
  return { format: 'png' as const, width, height, orientation: 1 };
}

// Start-of-frame markers that carry the frame size (not DHT C4, JPG C8, DAC CC).
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function parseJpeg(head: Buffer) {
  let orientation: number | null = null;
  let at = 2;
  while (at + 4 <= head.length) {
    if (head[at] !== 0xff) return null;
    const marker = head[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return null; // image data before a frame header
    const length = head.readUInt16BE(at + 2);
    const body = at + 4;
    if (SOF.has(marker)) {
      if (body + 5 > head.length) return null;
      const height = head.readUInt16BE(body + 1);
      const width = head.readUInt16BE(body + 3);
      return { format: 'jpeg' as const, width, height, orientation: orientation ?? 1 };
    }
    // The first EXIF segment's orientation, as libvips reads it.
    if (marker === 0xe1 && orientation === null && body + length - 2 <= head.length && head.toString('latin1', body, body + 6) === 'Exif\0\0') {
      orientation = exifOrientation(head.subarray(body + 6, body + length - 2));
    }
    at = body + length - 2;
  }
  return null;
}

/** Orientation tag (0x0112) of IFD0 in a TIFF-structured EXIF block; 1 when absent or out of range. */
function exifOrientation(tiff: Buffer): number {
  if (tiff.length < 8) return 1;
  const little = tiff.toString('latin1', 0, 2) === 'II';
  if (!little && tiff.toString('latin1', 0, 2) !== 'MM') return 1;
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return 1;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return 1;
    if (u16(entry) !== 0x0112) continue;
    const type = u16(entry + 2);
    const value = type === 3 ? u16(entry + 8) : type === 4 ? u32(entry + 8) : 0;
    return value >= 1 && value <= 8 ? value : 1;
  }
  return 1;
}

// No link followed (a link's target is sharp's to judge, and the import checks
// where links lead); no wait on a FIFO. Both are 0 where the OS has none.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** One head buffer for every call (they are synchronous, so never two at once): 20,000 fresh 64 KiB buffers cost more than the reads. */
const HEAD = Buffer.alloc(HEAD_BYTES);

/**
 * probeImage's answer for a JPEG or PNG whose header tells all, read with
 * synchronous calls (an import probes thousands in a row; the caller yields
 * between batches); null when sharp must look (another format, a link, a file
 * that is missing or cannot be read: sharp's path words those). A small file is
 * read whole in one call; a larger one costs an fstat and a read of its end.
 * Throws ImageProblem as probeImage does.
 */
export function probeHeaderSync(path: string): ImageProbe | null {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch {
    return null;
  }
  try {
    const head = HEAD;
    const read = readSync(fd, head, 0, HEAD_BYTES, 0);
    if (read === 0) {
      if (!fstatSync(fd).isFile()) return null;
      throw new ImageProblem(path, 'empty file (0 bytes)');
    }
    const header = parseHeader(head.subarray(0, read));
    if (!header || !header.width || !header.height) return null;
    const pixels = header.width * header.height;
    if (pixels > MAX_IMAGE_PIXELS) {
      throw new ImageProblem(path, `image is ${(pixels / 1e6).toFixed(1)} megapixels, over the ${MAX_IMAGE_PIXELS / 1e6} MP limit`);
    }
    let tail: Buffer;
    if (read < HEAD_BYTES) {
      tail = head.subarray(Math.max(0, read - TAIL_BYTES), read); // the whole file is in head
    } else {
      const size = fstatSync(fd).size;
      tail = Buffer.allocUnsafe(Math.min(size, TAIL_BYTES));
      readSync(fd, tail, 0, tail.length, size - tail.length);
    }
    const ended = header.format === 'png' ? tail.includes('IEND', 0, 'latin1') : tail.lastIndexOf(Buffer.from([0xff, 0xd9])) >= 0;
    if (!ended) throw new ImageProblem(path, `truncated ${header.format.toUpperCase()} file (no end marker)`);
    return { ...uprightSize(header.width, header.height, header.orientation), orientation: header.orientation, format: header.format };
  } catch (err) {
    if (err instanceof ImageProblem) throw err;
    return null; // a read error (a folder, a FIFO with nothing in it): sharp's path reports it
  } finally {
    closeSync(fd);
  }
}
