// Decoded samples → the 8-bit RGB that Hugging Face's processor resizes, for
// an image given by path: transformers' load_image (PIL.Image.open,
// ImageOps.exif_transpose, .convert("RGB")) then the image processor's
// convert_to_rgb. What that gives, checked against Pillow 13 / transformers 5.24:
// - alpha is dropped, not composited: load_image's convert("RGB") runs first,
//   so convert_to_rgb sees an RGB image (RGBA, LA, 16-bit RGBA alike);
// - except a PNG whose tRNS chunk names one transparent colour (a grey or RGB
//   key, or a palette with a single fully transparent entry): Pillow carries it
//   over as info["transparency"], and convert_to_rgb composites over white, so
//   every pixel of that colour turns white (pngInfo says which); likewise a GIF
//   with a transparent palette index (gifInfo): its pixels and every pixel of
//   that index's colour turn white;
// - grey is repeated into R, G, B; 16-bit RGB(A) and grey+alpha keep the high
//   byte (v >> 8), but 16-bit grey without alpha (mode I;16) is clipped to 255;
// - CMYK: Pillow's cmyk2rgb, R = 255 − k − round(c·(255 − k)/255) (both libvips
//   and Pillow read JPEG CMYK with Adobe's inverted polarity);
// - embedded ICC profiles are ignored (PIL never applies them).
// Pure: no Node APIs.

/** Interleaved samples as decoded (sharp's raw output), upright. */
export interface DecodedSamples {
  data: Uint8Array | Uint16Array;
  width: number;
  height: number;
  channels: number;
  /**
   * 'rgb': 8-bit grey, grey+alpha, RGB or RGBA; 'cmyk': 4 channels C, M, Y, K;
   * 'grey16': 16-bit grey that Pillow opens as I;16 (no alpha channel of its
   * own; a PNG tRNS key may have given it one here), channel 0 is read.
   */
  kind: 'rgb' | 'cmyk' | 'grey16';
}

/** Which pixels Pillow + convert_to_rgb turn white. */
export interface WhiteKey {
  /** Pixels of this colour (after conversion to 8-bit RGB). */
  colour: readonly [number, number, number];
  /** Also pixels whose alpha (the last channel of 2 or 4) is 0: a GIF's transparent index, whose colour libvips does not keep. */
  alphaZero?: boolean;
}

/**
 * 8-bit interleaved RGB as Pillow gives it, with `white`'s pixels white
 * (pngInfo / gifInfo). 8-bit RGB comes back as the same array (whitened in
 * place), not a copy.
 */
export function toPillowRgb(image: DecodedSamples, white: WhiteKey | null = null): Uint8Array {
  const { data, width, height, channels, kind } = image;
  const n = width * height;
  if (data.length < n * channels) throw new Error(`toPillowRgb: ${data.length} samples for ${width}x${height}x${channels}`);
  if (kind === 'rgb' && channels === 3 && data instanceof Uint8Array) {
    const same = data.subarray(0, n * 3);
    if (white) whiten(same, white.colour);
    return same;
  }
  const out = new Uint8Array(n * 3);
  if (kind === 'cmyk') {
    if (channels !== 4) throw new Error(`toPillowRgb: CMYK needs 4 channels, got ${channels}`);
    cmykToRgb(data as Uint8Array, n, out);
  } else if (kind === 'grey16') {
    // Pillow's I;16 → RGB conversion clips instead of scaling.
    for (let i = 0, o = 0; i < n; i++, o += 3) {
      const v = data[i * channels]!;
      out[o] = out[o + 1] = out[o + 2] = v > 255 ? 255 : v;
    }
  } else if (data instanceof Uint16Array) {
    throw new Error('toPillowRgb: 16-bit samples other than grey16 are taken as 8-bit (libvips keeps the high byte)');
  } else if (channels === 4) {
    for (let i = 0, s = 0, o = 0; i < n; i++, s += 4, o += 3) {
      out[o] = data[s]!;
      out[o + 1] = data[s + 1]!;
      out[o + 2] = data[s + 2]!;
    }
  } else if (channels === 1 || channels === 2) {
    for (let i = 0, s = 0, o = 0; i < n; i++, s += channels, o += 3) out[o] = out[o + 1] = out[o + 2] = data[s]!;
  } else {
    throw new Error(`toPillowRgb: ${channels} channels`);
  }
  if (white?.alphaZero && (channels === 2 || channels === 4) && kind === 'rgb') {
    for (let i = 0, s = channels - 1, o = 0; i < n; i++, s += channels, o += 3) if (data[s] === 0) out[o] = out[o + 1] = out[o + 2] = 255;
  }
  if (white) whiten(out, white.colour);
  return out;
}

/** Pillow's cmyk2rgb (Convert.c): nk = 255 − k, R = clip(nk − MULDIV255(c, nk)). */
function cmykToRgb(data: Uint8Array, n: number, out: Uint8Array): void {
  for (let i = 0, s = 0, o = 0; i < n; i++, s += 4, o += 3) {
    const nk = 255 - data[s + 3]!;
    out[o] = nk - muldiv255(data[s]!, nk);
    out[o + 1] = nk - muldiv255(data[s + 1]!, nk);
    out[o + 2] = nk - muldiv255(data[s + 2]!, nk);
  }
}

/** Pillow's MULDIV255: a·b/255 rounded, in integers. Never above b, so nk − it needs no clip. */
function muldiv255(a: number, b: number): number {
  const t = a * b + 128;
  return ((t >> 8) + t) >> 8;
}

function whiten(rgb: Uint8Array, [r, g, b]: readonly [number, number, number]): void {
  for (let o = 0; o < rgb.length; o += 3) {
    if (rgb[o] === r && rgb[o + 1] === g && rgb[o + 2] === b) rgb[o] = rgb[o + 1] = rgb[o + 2] = 255;
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export interface PngInfo {
  depth: number;
  /** IHDR colour type: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. */
  colourType: number;
  /** The colour Pillow + convert_to_rgb turn white (see transparencyOf), or null. */
  transparent: WhiteKey | null;
}

/** A PNG's IHDR and tRNS (chunks before IDAT), or null for a file that is not a PNG. */
export function pngInfo(file: Uint8Array): PngInfo | null {
  if (file.length < 33 || PNG_SIGNATURE.some((b, i) => file[i] !== b)) return null;
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const info: PngInfo = { depth: 0, colourType: -1, transparent: null };
  let palette: Uint8Array | null = null;
  for (let at = 8; at + 8 <= file.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(file[at + 4]!, file[at + 5]!, file[at + 6]!, file[at + 7]!);
    const body = at + 8;
    if (body + length > file.length || type === 'IDAT' || type === 'IEND') break;
    if (type === 'IHDR' && length >= 13) {
      info.depth = file[body + 8]!;
      info.colourType = file[body + 9]!;
    } else if (type === 'PLTE') {
      palette = file.subarray(body, body + length);
    } else if (type === 'tRNS') {
      const colour = transparencyOf(file.subarray(body, body + length), info.colourType, info.depth, palette);
      info.transparent = colour && { colour };
    }
    at = body + length + 4;
  }
  return info;
}

/**
 * The colour Pillow + convert_to_rgb turn white, from a tRNS chunk, or null
 * (a tRNS that only gives alpha, which load_image drops). Compared with the
 * final 8-bit RGB pixels:
 * - palette: a tRNS of one 0 among 0xFF entries → that entry's PLTE colour;
 *   any other tRNS → null;
 * - grey, 2 to 8 bits: the raw key k as (k, k, k) (Pillow compares the raw key
 *   with the scaled pixels, so a 2- or 4-bit key other than 0 never matches);
 * - grey, 1 or 16 bits: Pillow keeps an integer transparency that convert_to_rgb
 *   reads as a packed colour: only a key of 0 matches (black pixels);
 * - RGB, 8 or 16 bits: the raw key (r, g, b), compared with the 8-bit pixels.
 */
function transparencyOf(trns: Uint8Array, colourType: number, depth: number, palette: Uint8Array | null): [number, number, number] | null {
  const u16 = (i: number) => (trns[i]! << 8) | trns[i + 1]!;
  if (colourType === 3) {
    // Pillow's _simple_palette: ^\xff*\x00\xff*$
    const zero = trns.indexOf(0);
    if (zero < 0 || trns.lastIndexOf(0) !== zero || trns.some((v, i) => i !== zero && v !== 0xff)) return null;
    if (!palette || palette.length < zero * 3 + 3) return null;
    return [palette[zero * 3]!, palette[zero * 3 + 1]!, palette[zero * 3 + 2]!];
  }
  if (colourType === 0 && trns.length >= 2) {
    const key = u16(0);
    if (depth === 1 || depth === 16) return key === 0 ? [0, 0, 0] : null;
    return key <= 255 ? [key, key, key] : null;
  }
  if (colourType === 2 && trns.length >= 6) {
    const [r, g, b] = [u16(0), u16(2), u16(4)];
    return r <= 255 && g <= 255 && b <= 255 ? [r, g, b] : null;
  }
  return null;
}

/**
 * A GIF's transparent colour as Pillow sees the first frame: the palette entry
 * (local table, else global) named by the graphic control extension before
 * the first image, when its transparency flag is set; null otherwise or for a
 * file that is not a GIF.
 */
export function gifInfo(file: Uint8Array): { transparent: WhiteKey | null } | null {
  const head = String.fromCharCode(...file.subarray(0, 6));
  if (head !== 'GIF87a' && head !== 'GIF89a' || file.length < 13) return null;
  const tableOf = (packed: number, at: number) => (packed & 0x80 ? { at, size: 2 << (packed & 7) } : null);
  const global = tableOf(file[10]!, 13);
  let at = 13 + (global ? 3 * global.size : 0);
  let index = -1;
  while (at < file.length) {
    const block = file[at]!;
    if (block === 0x21) {
      const label = file[at + 1]!;
      if (label === 0xf9 && file[at + 2] === 4) index = file[at + 3]! & 1 ? file[at + 6]! : -1;
      at += 2;
      // Sub-blocks: a length byte, then that many bytes, until a 0 length.
      while (at < file.length && file[at] !== 0) at += file[at]! + 1;
      at += 1;
    } else if (block === 0x2c) {
      const table = tableOf(file[at + 9]!, at + 10) ?? global;
      if (index < 0 || !table || index >= table.size || table.at + 3 * index + 2 >= file.length) return { transparent: null };
      const c = table.at + 3 * index;
      return { transparent: { colour: [file[c]!, file[c + 1]!, file[c + 2]!], alphaZero: true } };
    } else {
      break;
    }
  }
  return { transparent: null };
}
