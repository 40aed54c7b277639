// BMP, decoded here (sharp's prebuilt libvips has no BMP loader; industrial
// and medical datasets use it): the Windows header forms (CORE, INFO, V4, V5),
// 1/4/8-bit palettes, 16-bit (5-5-5 or bit fields), 24-bit, 32-bit (BGRX or
// bit fields), bottom-up or top-down rows. The result is RGB, alpha dropped,
// as Pillow's convert('RGB') gives it (the model input's reference). RLE
// compression is refused with the reason. Pure (Buffer in, pixels out).

export interface BmpHeader {
  width: number;
  height: number;
  bitsPerPixel: number;
  compression: number;
  /** Rows stored top first (negative height in the file). */
  topDown: boolean;
  pixelOffset: number;
  headerSize: number;
}

export const isBmp = (bytes: Uint8Array) => bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d;

const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

/** The header, or a one-line reason the file cannot be read. */
export function bmpHeader(bytes: Buffer): BmpHeader | { reason: string } {
  if (!isBmp(bytes) || bytes.length < 26) return { reason: 'not a BMP file' };
  const pixelOffset = bytes.readUInt32LE(10);
  const headerSize = bytes.readUInt32LE(14);
  if (headerSize === 12) {
    return { width: bytes.readUInt16LE(18), height: bytes.readUInt16LE(20), bitsPerPixel: bytes.readUInt16LE(24), compression: BI_RGB, topDown: false, pixelOffset, headerSize };
  }
  if (headerSize < 40 || bytes.length < 14 + 40) return { reason: `BMP header of ${headerSize} bytes is not one this app reads` };
  const width = bytes.readInt32LE(18);
  const rawHeight = bytes.readInt32LE(22);
  const bitsPerPixel = bytes.readUInt16LE(28);
  const compression = bytes.readUInt32LE(30);
  if (width <= 0 || rawHeight === 0) return { reason: `BMP of size ${width}x${rawHeight}` };
  if (compression !== BI_RGB && compression !== BI_BITFIELDS && compression !== BI_ALPHABITFIELDS) {
    return { reason: `BMP compression ${compression} (RLE, JPEG or PNG inside a BMP) is not supported; save it uncompressed or as PNG` };
  }
  if (![1, 4, 8, 16, 24, 32].includes(bitsPerPixel)) return { reason: `BMP with ${bitsPerPixel} bits per pixel is not supported` };
  return { width, height: Math.abs(rawHeight), bitsPerPixel, compression, topDown: rawHeight < 0, pixelOffset, headerSize };
}

function maskShift(mask: number): { shift: number; max: number } {
  if (mask === 0) return { shift: 0, max: 0 };
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  return { shift, max: mask >>> shift };
}

/** How many bytes a BMP's header says its file holds at least (pixel rows included). */
export function bmpFileBytes(header: BmpHeader): number {
  return header.pixelOffset + Math.ceil((header.width * header.bitsPerPixel) / 32) * 4 * header.height;
}

/**
 * Why a BMP may not be decoded, from its header alone (no pixel read, nothing
 * allocated), or null: over `maxPixels`, or a file shorter than its rows.
 */
export function bmpSizeProblem(header: BmpHeader, fileBytes: number, maxPixels: number): string | null {
  const pixels = header.width * header.height;
  if (pixels > maxPixels) return `image is ${(pixels / 1e6).toFixed(1)} megapixels, over the ${maxPixels / 1e6} MP limit`;
  if (bmpFileBytes(header) > fileBytes) return 'truncated BMP file (fewer pixel rows than its header says)';
  return null;
}

/** RGB pixels (width × height × 3, top row first); throws a one-line reason. The size is checked from the header first. */
export function decodeBmp(bytes: Buffer, maxPixels: number): { rgb: Uint8Array; width: number; height: number } {
  const header = bmpHeader(bytes);
  if ('reason' in header) throw new Error(header.reason);
  const problem = bmpSizeProblem(header, bytes.length, maxPixels);
  if (problem) throw new Error(problem);
  const { width, height, bitsPerPixel: bpp, topDown, pixelOffset, headerSize } = header;
  const stride = Math.ceil((width * bpp) / 32) * 4;
  const rgb = new Uint8Array(width * height * 3);
  let palette: Uint8Array | null = null;
  if (bpp <= 8) {
    const entry = headerSize === 12 ? 3 : 4;
    const colours = headerSize === 12 ? 1 << bpp : bytes.readUInt32LE(46) || 1 << bpp;
    palette = new Uint8Array(256 * 3);
    for (let i = 0; i < Math.min(colours, 256); i++) {
      const at = 14 + headerSize + i * entry;
      if (at + 3 > bytes.length) break;
      palette[i * 3] = bytes[at + 2]!;
      palette[i * 3 + 1] = bytes[at + 1]!;
      palette[i * 3 + 2] = bytes[at]!;
    }
  }
  // Bit fields: in the V4/V5 header, or three masks right after the 40-byte INFO header.
  let masks: number[] | null = null;
  if (bpp === 16 || bpp === 32) {
    if (header.compression !== BI_RGB) {
      const at = 14 + 40;
      masks = [bytes.readUInt32LE(at), bytes.readUInt32LE(at + 4), bytes.readUInt32LE(at + 8)];
    } else if (bpp === 16) {
      masks = [0x7c00, 0x03e0, 0x001f];
    }
  }
  const fields = masks?.map(maskShift);
  for (let y = 0; y < height; y++) {
    const row = pixelOffset + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const out = (y * width + x) * 3;
      if (palette) {
        const bit = x * bpp;
        const byte = bytes[row + (bit >> 3)]!;
        const index = bpp === 8 ? byte : (byte >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        rgb[out] = palette[index * 3]!;
        rgb[out + 1] = palette[index * 3 + 1]!;
        rgb[out + 2] = palette[index * 3 + 2]!;
      } else if (fields) {
        const value = bpp === 16 ? bytes.readUInt16LE(row + x * 2) : bytes.readUInt32LE(row + x * 4);
        for (let c = 0; c < 3; c++) {
          const { shift, max } = fields[c]!;
          // Integer division, as Pillow's unpackers scale 5- and 6-bit samples.
          rgb[out + c] = max === 0 ? 0 : Math.floor((((value >>> shift) & max) * 255) / max);
        }
      } else {
        const at = row + x * (bpp / 8);
        rgb[out] = bytes[at + 2]!;
        rgb[out + 1] = bytes[at + 1]!;
        rgb[out + 2] = bytes[at]!;
      }
    }
  }
  return { rgb, width, height };
}
