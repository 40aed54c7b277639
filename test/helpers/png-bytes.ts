// Hand-made PNG files for the cases no encoder writes on request: a tRNS
// colour key, a palette with one transparent entry, 2-bit grey, 16-bit
// samples with chosen values. Rows are given unfiltered (filter byte 0 added).
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function pngChunk(type: string, body: Uint8Array | number[] = []): Buffer {
  const data = Buffer.from(body);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Big-endian 16-bit samples, as PNG stores them. */
export const u16be = (values: number[]): Buffer => Buffer.from(values.flatMap((v) => [v >> 8, v & 255]));

export interface PngSpec {
  width: number;
  height: number;
  depth: 1 | 2 | 4 | 8 | 16;
  /** 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. */
  colourType: 0 | 2 | 3 | 4 | 6;
  /** One packed row per image row, without the filter byte. */
  rows: Uint8Array[];
  /** Chunks between IHDR and IDAT (PLTE, tRNS, ...). */
  extra?: Buffer[];
}

export function pngBytes({ width, height, depth, colourType, rows, extra = [] }: PngSpec): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = colourType;
  const raw = Buffer.concat(rows.flatMap((row) => [Buffer.from([0]), Buffer.from(row)]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    ...extra,
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND'),
  ]);
}
