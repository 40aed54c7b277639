// Image fixtures generated at test time with sharp (no binary files in git):
// every EXIF orientation, and each kind of file the probe must refuse.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** Stored (pre-rotation) size of the orientation fixtures: wider than tall, so a 90° turn shows. */
export const STORED = { width: 60, height: 30 };

export interface ImageFixtures {
  dir: string;
  /** orientation n -> file, with the size a viewer displays (EXIF applied). */
  oriented: { orientation: number; path: string; width: number; height: number }[];
  zeroByte: string;
  textAsJpg: string;
  truncatedJpeg: string;
  hugePng: string;
  withSpaces: string;
  nonAscii: string;
}

export async function solidJpeg(width: number, height: number, orientation?: number): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } });
  return (orientation ? image.withMetadata({ orientation }) : image).jpeg({ quality: 80 }).toBuffer();
}

/** A PNG that declares width x height in its header and holds no pixel data: huge without allocating it. */
export function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // libspng reads chunks up to the first IDAT before it reports the header, so one (a few
  // bytes of zlib) must be there; the pixel data it would need is simply absent.
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(64))), chunk('IEND', Buffer.alloc(0))]);
}

export async function makeImageFixtures(dir: string): Promise<ImageFixtures> {
  await mkdir(dir, { recursive: true });
  const oriented: ImageFixtures['oriented'] = [];
  for (let orientation = 1; orientation <= 8; orientation++) {
    const path = join(dir, `orient-${orientation}.jpg`);
    await writeFile(path, await solidJpeg(STORED.width, STORED.height, orientation));
    const turned = orientation >= 5;
    oriented.push({ orientation, path, width: turned ? STORED.height : STORED.width, height: turned ? STORED.width : STORED.height });
  }
  const zeroByte = join(dir, 'empty.jpg');
  await writeFile(zeroByte, Buffer.alloc(0));
  const textAsJpg = join(dir, 'notes.jpg');
  await writeFile(textAsJpg, 'this is a text file, not a JPEG\n');
  const truncatedJpeg = join(dir, 'truncated.jpg');
  const whole = await sharp({ create: { width: 256, height: 256, channels: 3, background: '#3366aa' } })
    .composite([{ input: Buffer.from('<svg width="256" height="256"><circle cx="128" cy="128" r="90" fill="#fc0"/></svg>') }])
    .jpeg({ quality: 95 })
    .toBuffer();
  await writeFile(truncatedJpeg, whole.subarray(0, Math.floor(whole.length / 2)));
  const hugePng = join(dir, 'huge.png');
  await writeFile(hugePng, pngHeaderOnly(20_000, 6_000)); // 120 MP declared, a few bytes on disk
  const sub = join(dir, 'sub folder');
  await mkdir(sub, { recursive: true });
  const withSpaces = join(sub, 'my photo 2.png');
  await writeFile(withSpaces, await sharp({ create: { width: 40, height: 50, channels: 3, background: '#0a0' } }).png().toBuffer());
  const nonAscii = join(sub, 'фото 日本 é.jpg');
  await writeFile(nonAscii, await solidJpeg(33, 44));
  return { dir, oriented, zeroByte, textAsJpg, truncatedJpeg, hugePng, withSpaces, nonAscii };
}
