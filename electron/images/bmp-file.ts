// A BMP file read for decoding (bmp.ts decodes; sharp cannot): its header is
// read and checked first — the pixel limit, and a file long enough for its
// rows — so a file that is too big is refused before its bytes are read or a
// pixel buffer allocated (issue 16: a BMP was decoded whole, 34 s and 2.9 GB,
// before the 100 MP check).
import { open, readFile } from 'node:fs/promises';
import { bmpHeader, bmpSizeProblem, decodeBmp, isBmp } from './bmp';

/** Bytes that hold every BMP header form this app reads (file header + V5 info header). */
const HEADER_BYTES = 14 + 124;

export interface BmpPixels {
  rgb: Uint8Array;
  width: number;
  height: number;
}

/**
 * Whether `path` is a BMP, judged by its first bytes, and its size; throws a
 * one-line reason (no pixel read) for a BMP that may not be decoded.
 */
export async function checkBmpFile(path: string, maxPixels: number): Promise<{ bmp: false } | { bmp: true; width: number; height: number }> {
  const handle = await open(path, 'r');
  let head: Buffer;
  let size: number;
  try {
    size = (await handle.stat()).size;
    head = Buffer.alloc(Math.min(size, HEADER_BYTES));
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  if (!isBmp(head)) return { bmp: false };
  const header = bmpHeader(head);
  if ('reason' in header) throw new Error(header.reason);
  const problem = bmpSizeProblem(header, size, maxPixels);
  if (problem) throw new Error(problem);
  return { bmp: true, width: header.width, height: header.height };
}

/** The BMP's RGB, its header checked before the file is read whole; null when the file is no BMP. */
export async function readBmpFile(path: string, maxPixels: number): Promise<BmpPixels | null> {
  if (!(await checkBmpFile(path, maxPixels)).bmp) return null;
  return decodeBmp(await readFile(path), maxPixels);
}
