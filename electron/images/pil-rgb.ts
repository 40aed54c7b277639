// Decoded samples → the 8-bit RGB that Hugging Face's processor resizes, for
// an image given by path: transformers' load_image (PIL.Image.open,
// ImageOps.exif_transpose, .convert("RGB")) then the image processor's
// convert_to_rgb. What that gives, checked against Pillow 13 / transformers 5.24:
// - alpha is dropped, not composited: load_image's convert("RGB") runs first,
//   so convert_to_rgb sees an RGB image (RGBA, LA, 16-bit RGBA alike);
// - except a PNG whose tRNS chunk names one transparent colour (a grey or RGB
//   key, or a palette with a single fully transparent entry): Pillow carries it
//   over as info["transparency"], and convert_to_rgb composites over white, so
//   every pixel of that colour turns white (pngInfo says which);
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

/**
 * 8-bit interleaved RGB as Pillow gives it; pixels equal to `transparent`
 * (pngInfo's `transparent`) become white. 8-bit RGB comes back as the same
 * array (whitened in place), not a copy.
 */
export function toPillowRgb(image: DecodedSamples, transparent: readonly [number, number, number] | null = null): Uint8Array {
  const { data, width, height, channels, kind } = image;
  const n = width * height;
  if (data.length < n * channels) throw new Error(`toPillowRgb: ${data.length} samples for ${width}x${height}x${channels}`);
  if (kind === 'rgb' && channels === 3 && data instanceof Uint8Array) {
    const same = data.subarray(0, n * 3);
    if (transparent) whiten(same, transparent);
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
  if (transparent) whiten(out, transparent);
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
  transparent: [number, number, number] | null;
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
      info.transparent = transparencyOf(file.subarray(body, body + length), info.colourType, info.depth, palette);
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
