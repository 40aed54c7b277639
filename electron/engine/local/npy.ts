// NumPy's .npy format (version 1.0, little-endian, C order) for the arrays the
// engine exchanges with Python tools: `egm prepare-input` writes pixel_values
// so anyone can compare them with Hugging Face's processor, and the parity run
// reads the reference's arrays. Only the dtypes those need.
import { readFileSync, writeFileSync } from 'node:fs';

export type NpyArray = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

const DESCR: [string, new (buffer: ArrayBuffer, offset: number, length: number) => NpyArray, number][] = [
  ['<f4', Float32Array, 4],
  ['<f8', Float64Array, 8],
  ['<i4', Int32Array, 4],
  ['<i8', BigInt64Array, 8],
  ['|u1', Uint8Array, 1],
];
const MAGIC = '\x93NUMPY';

function descrOf(data: NpyArray): string {
  const found = DESCR.find(([, ctor]) => data instanceof ctor);
  if (!found) throw new Error('npy: unsupported array type');
  return found[0];
}

export function encodeNpy(data: NpyArray, shape: readonly number[]): Buffer {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`npy: shape [${shape.join(', ')}] holds ${count} values, the array ${data.length}`);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descrOf(data)}', 'fortran_order': False, 'shape': (${dims}), }`;
  // Magic (6) + version (2) + length (2) + header + '\n' is a multiple of 64.
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const head = Buffer.alloc(10);
  head.write(MAGIC, 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

export function writeNpy(path: string, data: NpyArray, shape: readonly number[]): void {
  writeFileSync(path, encodeNpy(data, shape));
}

export interface Npy {
  data: NpyArray;
  shape: number[];
}

export function decodeNpy(bytes: Buffer, where = 'npy'): Npy {
  if (bytes.toString('latin1', 0, 6) !== MAGIC) throw new Error(`${where}: not a .npy file`);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.toString('latin1', start, start + headerLength);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  if (/'fortran_order':\s*True/.test(header)) throw new Error(`${where}: Fortran order is not supported`);
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const found = DESCR.find(([d]) => d === descr);
  if (!found) throw new Error(`${where}: dtype ${descr} is not supported`);
  const [, ctor, size] = found;
  const offset = start + headerLength;
  const count = shape.reduce((a, b) => a * b, 1);
  // Copied into an aligned buffer: the data offset need not be a multiple of the element size.
  const copy = bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + count * size) as ArrayBuffer;
  return { data: new ctor(copy, 0, count), shape };
}

export function readNpy(path: string): Npy {
  return decodeNpy(readFileSync(path), path);
}
