// A Python pickle writer (protocol 2) for plain data: dicts with string keys,
// lists, strings, integers, floats, booleans and None. Enough for the refs
// file the `refer` API loads with `pickle.load` (RefCOCO's refs(unc).p), in
// Python 2 or 3. No memo, no classes: nothing in the file can run code.
// Pure: returns bytes.

export type PickleValue = null | boolean | number | string | PickleValue[] | { [key: string]: PickleValue };

const PROTO = 0x80;
const STOP = 0x2e; // .
const NONE = 0x4e; // N
const NEWTRUE = 0x88;
const NEWFALSE = 0x89;
const BININT = 0x4a; // J: 4-byte signed
const BININT1 = 0x4b; // K: 1-byte unsigned
const BININT2 = 0x4d; // M: 2-byte unsigned
const LONG1 = 0x8a; // little-endian two's complement of n bytes
const BINFLOAT = 0x47; // G: 8-byte big-endian double
const BINUNICODE = 0x58; // X: 4-byte length + UTF-8
const EMPTY_LIST = 0x5d; // ]
const EMPTY_DICT = 0x7d; // }
const MARK = 0x28; // (
const APPENDS = 0x65; // e
const SETITEMS = 0x75; // u
/** Items per APPENDS/SETITEMS, as Python's own pickler batches them. */
const BATCH = 1000;

class Bytes {
  #buf = new Uint8Array(1 << 16);
  #len = 0;
  #view = new DataView(this.#buf.buffer);

  #room(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.#room(1);
    this.#buf[this.#len++] = b;
  }

  bytes(data: Uint8Array): void {
    this.#room(data.length);
    this.#buf.set(data, this.#len);
    this.#len += data.length;
  }

  u16(v: number): void {
    this.#room(2);
    this.#view.setUint16(this.#len, v, true);
    this.#len += 2;
  }

  i32(v: number): void {
    this.#room(4);
    this.#view.setInt32(this.#len, v, true);
    this.#len += 4;
  }

  f64be(v: number): void {
    this.#room(8);
    this.#view.setFloat64(this.#len, v, false);
    this.#len += 8;
  }

  result(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}

const utf8 = new TextEncoder();

/** The pickle (protocol 2) of `value`; throws on what pickle.load could not give back as plain data. */
export function pickle(value: PickleValue): Uint8Array {
  const out = new Bytes();
  out.byte(PROTO);
  out.byte(2);
  write(out, value, 'value');
  out.byte(STOP);
  return out.result();
}

function write(out: Bytes, value: PickleValue, where: string): void {
  if (value === null) return out.byte(NONE);
  if (value === true) return out.byte(NEWTRUE);
  if (value === false) return out.byte(NEWFALSE);
  if (typeof value === 'number') return writeNumber(out, value, where);
  if (typeof value === 'string') {
    const data = utf8.encode(value);
    out.byte(BINUNICODE);
    out.i32(data.length);
    return out.bytes(data);
  }
  if (Array.isArray(value)) {
    out.byte(EMPTY_LIST);
    for (let start = 0; start < value.length; start += BATCH) {
      out.byte(MARK);
      value.slice(start, start + BATCH).forEach((item, i) => write(out, item, `${where}[${start + i}]`));
      out.byte(APPENDS);
    }
    return;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    out.byte(EMPTY_DICT);
    for (let start = 0; start < entries.length; start += BATCH) {
      out.byte(MARK);
      for (const [key, item] of entries.slice(start, start + BATCH)) {
        write(out, key, where);
        write(out, item, `${where}.${key}`);
      }
      out.byte(SETITEMS);
    }
    return;
  }
  throw new Error(`pickle: ${where} is a ${typeof value}, which has no plain pickle form`);
}

function writeNumber(out: Bytes, value: number, where: string): void {
  if (!Number.isInteger(value)) {
    if (!Number.isFinite(value)) throw new Error(`pickle: ${where} is ${value}, not a finite number`);
    out.byte(BINFLOAT);
    return out.f64be(value);
  }
  if (value >= 0 && value < 0x100) {
    out.byte(BININT1);
    return out.byte(value);
  }
  if (value >= 0 && value < 0x10000) {
    out.byte(BININT2);
    return out.u16(value);
  }
  if (value >= -0x80000000 && value < 0x80000000) {
    out.byte(BININT);
    return out.i32(value);
  }
  if (!Number.isSafeInteger(value)) throw new Error(`pickle: ${where} is ${value}, beyond the integers a double holds exactly`);
  // LONG1: little-endian two's complement, as few bytes as hold the sign.
  const bytes: number[] = [];
  let n = BigInt(value);
  for (;;) {
    const byte = Number(n & 0xffn);
    bytes.push(byte);
    n >>= 8n;
    if ((n === 0n && byte < 0x80) || (n === -1n && byte >= 0x80)) break;
  }
  out.byte(LONG1);
  out.byte(bytes.length);
  out.bytes(Uint8Array.from(bytes));
}
