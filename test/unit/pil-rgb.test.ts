// Decoded samples → Pillow's RGB (electron/images/pil-rgb.ts). Expected values
// were read from Pillow 13 + transformers 5.24 (load_image, convert_to_rgb);
// test/integration/vision-input-pillow.test.ts checks whole files against them.
import { describe, expect, it } from 'vitest';
import { gifInfo, pngInfo, toPillowRgb } from '../../electron/images/pil-rgb';
import { pngBytes, pngChunk, u16be } from '../helpers/png-bytes';

const rgb = (data: number[], channels: number, kind: 'rgb' | 'cmyk' = 'rgb') => Array.from(toPillowRgb({ data: Uint8Array.from(data), width: data.length / channels, height: 1, channels, kind }));

describe('toPillowRgb', () => {
  it('repeats grey and drops alpha without compositing (load_image converts to RGB first)', () => {
    expect(rgb([10, 200], 1)).toEqual([10, 10, 10, 200, 200, 200]);
    expect(rgb([10, 0, 40, 128], 2)).toEqual([10, 10, 10, 40, 40, 40]);
    expect(rgb([10, 20, 30, 0, 40, 50, 60, 128], 4)).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('hands 8-bit RGB back as the same array', () => {
    const data = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    expect(toPillowRgb({ data, width: 2, height: 1, channels: 3, kind: 'rgb' }).buffer).toBe(data.buffer);
  });

  it("converts CMYK with Pillow's integer formula", () => {
    const cmyk = [0, 0, 0, 0, 255, 255, 255, 0, 100, 50, 0, 30, 0, 0, 0, 255, 17, 200, 129, 77, 255, 0, 128, 254];
    expect(rgb(cmyk, 4, 'cmyk')).toEqual([255, 255, 255, 0, 0, 0, 137, 181, 225, 0, 0, 0, 166, 38, 88, 0, 1, 0]);
  });

  it('clips 16-bit grey at 255 (mode I;16), reading channel 0', () => {
    const data = Uint16Array.from([0, 127, 255, 256, 1000, 65535]);
    expect(Array.from(toPillowRgb({ data, width: 6, height: 1, channels: 1, kind: 'grey16' }))).toEqual([0, 127, 255, 255, 255, 255].flatMap((v) => [v, v, v]));
    const withAlpha = Uint16Array.from([300, 0, 17, 65535]);
    expect(Array.from(toPillowRgb({ data: withAlpha, width: 2, height: 1, channels: 2, kind: 'grey16' }))).toEqual([255, 255, 255, 17, 17, 17]);
  });

  it('turns exactly the transparent colour white', () => {
    const data = Uint8Array.from([1, 2, 3, 255, 4, 5, 6, 0, 1, 2, 3, 255]);
    expect(Array.from(toPillowRgb({ data, width: 3, height: 1, channels: 4, kind: 'rgb' }, { colour: [1, 2, 3] }))).toEqual([255, 255, 255, 4, 5, 6, 255, 255, 255]);
    // A GIF's transparent index: also pixels with alpha 0, whatever colour libvips gave them.
    const gif = Uint8Array.from([0, 0, 0, 0, 9, 9, 9, 255, 7, 7, 7, 255]);
    expect(Array.from(toPillowRgb({ data: gif, width: 3, height: 1, channels: 4, kind: 'rgb' }, { colour: [7, 7, 7], alphaZero: true }))).toEqual([255, 255, 255, 9, 9, 9, 255, 255, 255]);
  });

  it('refuses what it cannot read', () => {
    expect(() => toPillowRgb({ data: new Uint16Array(3), width: 1, height: 1, channels: 3, kind: 'rgb' })).toThrow(/16-bit/);
    expect(() => toPillowRgb({ data: new Uint8Array(3), width: 1, height: 1, channels: 3, kind: 'cmyk' })).toThrow(/4 channels/);
    expect(() => toPillowRgb({ data: new Uint8Array(2), width: 1, height: 1, channels: 3, kind: 'rgb' })).toThrow(/samples/);
  });
});

describe('pngInfo', () => {
  const plte = pngChunk('PLTE', [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 0, 0]);
  const palette = (trns: number[]) => pngInfo(pngBytes({ width: 4, height: 1, depth: 8, colourType: 3, rows: [Uint8Array.from([0, 1, 2, 3])], extra: [plte, pngChunk('tRNS', trns)] }));
  const grey = (depth: 1 | 2 | 8 | 16, key: number) =>
    pngInfo(pngBytes({ width: 1, height: 1, depth, colourType: 0, rows: [new Uint8Array(depth === 16 ? 2 : 1)], extra: [pngChunk('tRNS', u16be([key]))] }));

  it('palette: one fully transparent entry among opaque ones names its colour; any other tRNS only gives alpha', () => {
    expect(palette([0])?.transparent?.colour).toEqual([255, 0, 0]);
    expect(palette([255, 0, 255])?.transparent?.colour).toEqual([0, 255, 0]);
    expect(palette([0, 128])?.transparent).toBeNull();
    expect(palette([0, 0])?.transparent).toBeNull();
    expect(palette([255, 255])?.transparent).toBeNull();
  });

  it('grey: the raw key for 2 to 8 bits, black only for a key of 0 at 1 and 16 bits', () => {
    expect(grey(8, 10)?.transparent?.colour).toEqual([10, 10, 10]);
    expect(grey(2, 3)?.transparent?.colour).toEqual([3, 3, 3]); // compared with scaled pixels (0, 85, 170, 255): never matches
    expect(grey(1, 1)?.transparent).toBeNull();
    expect(grey(1, 0)?.transparent?.colour).toEqual([0, 0, 0]);
    expect(grey(16, 100)?.transparent).toBeNull();
    expect(grey(16, 0)?.transparent?.colour).toEqual([0, 0, 0]);
  });

  it('RGB: the raw key, also at 16 bits (compared with the high bytes)', () => {
    const key = (depth: 8 | 16, values: number[]) =>
      pngInfo(pngBytes({ width: 1, height: 1, depth, colourType: 2, rows: [new Uint8Array(depth === 16 ? 6 : 3)], extra: [pngChunk('tRNS', u16be(values))] }))?.transparent?.colour ?? null;
    expect(key(8, [1, 2, 3])).toEqual([1, 2, 3]);
    expect(key(16, [1, 2, 3])).toEqual([1, 2, 3]);
    expect(key(16, [1000, 2000, 3000])).toBeNull();
  });

  it('reads the header and ignores what is not a PNG or comes after IDAT', () => {
    expect(pngInfo(pngBytes({ width: 1, height: 1, depth: 16, colourType: 4, rows: [new Uint8Array(4)] }))).toEqual({ depth: 16, colourType: 4, transparent: null });
    expect(pngInfo(Buffer.from('not a png at all, just some bytes here'))).toBeNull();
    const late = pngBytes({ width: 1, height: 1, depth: 8, colourType: 0, rows: [new Uint8Array(1)] });
    const iend = late.length - 12;
    const withLateTrns = Buffer.concat([late.subarray(0, iend), pngChunk('tRNS', u16be([0])), late.subarray(iend)]);
    expect(pngInfo(withLateTrns)?.transparent).toBeNull();
  });
});

describe('gifInfo', () => {
  // GIF89a, 1×1, global table of 4 colours; a graphic control extension, then the image.
  const gif = (gce: number[] | null, local: number[] | null = null) =>
    Uint8Array.from([
      ...Array.from('GIF89a', (c) => c.charCodeAt(0)),
      1, 0, 1, 0, 0x81, 0, 0, // screen 1×1, global table of 2^(1+1) colours
      10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120,
      ...(gce ? [0x21, 0xf9, 4, ...gce, 0] : []),
      0x21, 0xfe, 3, 0x61, 0x62, 0x63, 0, // a comment extension to skip
      0x2c, 0, 0, 0, 0, 1, 0, 1, 0, local ? 0x80 : 0, ...(local ?? []),
      2, 2, 0x44, 0x01, 0, 0x3b,
    ]);
  it("names the transparent index's colour from the global or the image's local table", () => {
    expect(gifInfo(gif([1, 0, 0, 2]))?.transparent).toEqual({ colour: [70, 80, 90], alphaZero: true });
    expect(gifInfo(gif([1, 0, 0, 1], [1, 2, 3, 4, 5, 6]))?.transparent?.colour).toEqual([4, 5, 6]);
  });
  it('gives null without the transparency flag, with an index outside the table, or without a GCE', () => {
    expect(gifInfo(gif([0, 0, 0, 2]))?.transparent).toBeNull();
    expect(gifInfo(gif([1, 0, 0, 9]))?.transparent).toBeNull();
    expect(gifInfo(gif(null))?.transparent).toBeNull();
    expect(gifInfo(Uint8Array.from([1, 2, 3]))).toBeNull();
  });
});
