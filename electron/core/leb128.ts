// LEB128 integers and section framing for the WebAssembly modules the app
// assembles by hand (the argmax and the Pillow-exact resize kernels).

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

/** Signed LEB128. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

/** A module section: id, byte length, content. */
export const wasmSection = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];
