// The builder's data work, as self-contained jobs that any thread can run:
// read rows of a checkpoint tensor, convert them to the graph's precision
// (and transpose, or quantise to 4-bit blocks), and write the result into
// spans the graph reserved in its .onnx_data file. A job names files and byte
// positions only (no shared state), so convert-pool.ts runs them in
// worker_threads side by side: the spans are disjoint, positional writes to
// one file from several threads are safe, and the file's bytes are the same
// whatever order the jobs finish in. One tensor of up to BLOCK_VALUES values
// is one job and one write.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { bf16ToFloat16, bf16ToFloat32, f16ToFloat32, quantizeQ4, toFloat16, type Fp16Losses } from './precision';
import { kernelQuantizes, weightKernels } from './weight-kernels';

export type Compute = 'float' | 'float16';

/** Where a tensor's bytes lie in its shard, and how they are laid out (rows along the first axis). */
export interface TensorSource {
  /** Absolute path of the shard. */
  path: string;
  /** Absolute byte position of the tensor in it. */
  begin: number;
  dtype: 'F32' | 'F16' | 'BF16';
  rows: number;
  /** Values per row (the product of the other dimensions). */
  rowLength: number;
  /** Bytes of the whole tensor in the checkpoint (for progress). */
  bytes: number;
}

/** A span reserved in a weights file (absolute offset). */
export interface Span {
  path: string;
  offset: number;
  length: number;
}

/** Rows [start, start + count) of one tensor. */
interface RowsJob {
  source: TensorSource;
  start: number;
  count: number;
  /** The graph that asked for it (progress only). */
  graph: string;
}

/** Where one MatMulNBits weight goes: its 4-bit data, its scales (in `scalesType`) and packed zero points (asymmetric only). */
export interface Q4Target {
  data: Span;
  scales: Span;
  scalesType: Compute;
  zeroPoints: Span | null;
}

export type TensorJob =
  /** Converted to `to`, written as stored (into each of `outs`) and transposed ([rowLength, rows], into each of `transposed`). */
  | (RowsJob & { kind: 'convert'; to: Compute; outs: Span[]; transposed: Span[] })
  /** 4-bit blocks for MatMulNBits, written to each target. */
  | (RowsJob & { kind: 'q4'; blockSize: number; symmetric: boolean; targets: Q4Target[] })
  /** SHA-256 of a whole file (the manifest's hashes, taken in parallel too). */
  | { kind: 'sha256'; path: string };

export interface JobResult {
  /** Checkpoint bytes this job converted (progress). */
  consumed: number;
  /** Bytes written, per file. */
  written: Record<string, number>;
  losses: Fp16Losses;
  sha256?: string;
}

const bytesOf = (a: Float32Array | Uint16Array | Uint8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * The job's working arrays, reused from job to job on this thread (a job runs
 * to its end, writes included, before the next starts): a fresh 32–64 MB
 * array per block cost page faults and zeroing on every job, about a fifth
 * of a build's CPU. Three slots, as one job holds at most three at once:
 * the rows read, their float32 form, their transpose.
 */
const scratch = { raw: new ArrayBuffer(0), float: new ArrayBuffer(0), transposed: new ArrayBuffer(0) };
function scratchBytes(slot: keyof typeof scratch, bytes: number): ArrayBuffer {
  if (scratch[slot].byteLength < bytes) scratch[slot] = new ArrayBuffer(bytes);
  return scratch[slot];
}

function readFull(path: string, buffer: Uint8Array, position: number): void {
  const fd = openSync(path, 'r');
  try {
    let done = 0;
    while (done < buffer.length) {
      const n = readSync(fd, buffer, done, buffer.length - done, position + done);
      if (n === 0) throw new Error(`${path}: truncated while reading at byte ${position + done}`);
      done += n;
    }
  } finally {
    closeSync(fd);
  }
}

/** Positional writes into a file the graph created; `pieces` are [position, bytes] pairs (one for most jobs). */
function writeAll(path: string, pieces: [number, Uint8Array][]): void {
  const fd = openSync(path, 'r+');
  try {
    for (const [position, bytes] of pieces) {
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
    }
  } finally {
    closeSync(fd);
  }
}

/** The job's rows as stored: float32 values, or bf16/fp16 bit patterns; into the WebAssembly kernels' memory when `kernels`. */
function readRows({ source, start, count }: RowsJob, kernels: boolean): Float32Array | Uint16Array {
  const element = source.dtype === 'F32' ? 4 : 2;
  const rowBytes = source.rowLength * element;
  if (start < 0 || count < 0 || start + count > source.rows) throw new Error(`${source.path}: rows ${start}..${start + count} out of range (${source.rows} rows)`);
  const raw = kernels ? weightKernels()!.input(count * rowBytes) : new Uint8Array(scratchBytes('raw', count * rowBytes), 0, count * rowBytes);
  readFull(source.path, raw, source.begin + start * rowBytes);
  return source.dtype === 'F32' ? new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4) : new Uint16Array(raw.buffer, raw.byteOffset, raw.length / 2);
}

/** Whether the WebAssembly kernels take this source: bf16 or float32 (fp16 sources, rare, keep the plain path). */
const kernelsFor = (dtype: TensorSource['dtype']): dtype is 'BF16' | 'F32' => dtype !== 'F16' && weightKernels() !== null;

/** Whether rows become `to` in the kernels' memory: fp16 from bf16 or float32. */
const convertsInKernels = (to: Compute, dtype: TensorSource['dtype']): dtype is 'BF16' | 'F32' => to === 'float16' && kernelsFor(dtype);

/**
 * The job's rows in the compute type: float32, or fp16 bits (in place: by the
 * kernels when `inKernels` (convertsInKernels), or from bf16 by table; from fp16 as they are).
 */
function convertedRows(job: RowsJob, to: Compute, losses: Fp16Losses, inKernels: boolean): Float32Array | Uint16Array {
  const { dtype } = job.source;
  const data = readRows(job, inKernels);
  if (inKernels) return weightKernels()!.toFloat16(dtype as 'BF16' | 'F32', data.length, losses);
  if (to === 'float') return asFloat32(dtype, data);
  if (dtype === 'F16') return data;
  return dtype === 'BF16' ? bf16ToFloat16(data as Uint16Array, losses) : toFloat16(data as Float32Array, losses);
}

/** Rows as float32 (what the 4-bit quantiser reads). */
function asFloat32(dtype: TensorSource['dtype'], data: Float32Array | Uint16Array): Float32Array {
  if (dtype === 'F32') return data as Float32Array;
  const into = new Float32Array(scratchBytes('float', data.length * 4), 0, data.length);
  return dtype === 'BF16' ? bf16ToFloat32(data as Uint16Array, into) : f16ToFloat32(data as Uint16Array, into);
}

/** Edge of the square tiles the transpose walks: both the rows read and the columns written stay in cache. */
const TILE = 64;

// Two copies of one loop, so each stays monomorphic (one array type): V8 runs a
// loop over a Uint16Array | Float32Array union several times slower.
function transpose16(src: Uint16Array, dst: Uint16Array, rows: number, cols: number): void {
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(rows, r0 + TILE);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = Math.min(cols, c0 + TILE);
      for (let c = c0; c < c1; c++) {
        const out = c * rows;
        for (let r = r0; r < r1; r++) dst[out + r] = src[r * cols + c]!;
      }
    }
  }
}
function transpose32(src: Float32Array, dst: Float32Array, rows: number, cols: number): void {
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(rows, r0 + TILE);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = Math.min(cols, c0 + TILE);
      for (let c = c0; c < c1; c++) {
        const out = c * rows;
        for (let r = r0; r < r1; r++) dst[out + r] = src[r * cols + c]!;
      }
    }
  }
}

/**
 * Rows [start, start + count) of W [n, k] into Wᵀ [k, n], as [position in
 * the span, bytes]: column j of the block is the run Wᵀ[j, start .. start +
 * count). A block of every row is the whole of Wᵀ, one write; a block of some
 * rows is k runs.
 */
function transposedPieces(values: Float32Array | Uint16Array, job: RowsJob, inKernels: boolean): [number, Uint8Array][] {
  const { start, count } = job;
  const { rows: n, rowLength: k } = job.source;
  const element = values.BYTES_PER_ELEMENT;
  // fp16 halves the kernels converted are transposed there too (8 × 8 tiles), where the shape allows.
  let out: Float32Array | Uint16Array | null = inKernels ? weightKernels()!.transpose16(count, k) : null;
  if (!out) {
    const space = scratchBytes('transposed', values.byteLength);
    out = values instanceof Uint16Array ? new Uint16Array(space, 0, values.length) : new Float32Array(space, 0, values.length);
    if (values instanceof Uint16Array) transpose16(values, out as Uint16Array, count, k);
    else transpose32(values, out as Float32Array, count, k);
  }
  const bytes = bytesOf(out);
  if (count === n) return [[0, bytes]];
  const run = count * element;
  return Array.from({ length: k }, (_, j) => [(j * n + start) * element, bytes.subarray(j * run, (j + 1) * run)] as [number, Uint8Array]);
}

function checkInside(span: Span, at: number, length: number): void {
  if (at < span.offset || at + length > span.offset + span.length) throw new Error(`${span.path}: write at ${at}+${length} outside its span ${span.offset}+${span.length}`);
}

function runConvert(job: Extract<TensorJob, { kind: 'convert' }>, losses: Fp16Losses): void {
  const inKernels = convertsInKernels(job.to, job.source.dtype);
  const values = convertedRows(job, job.to, losses, inKernels);
  const element = values.BYTES_PER_ELEMENT;
  for (const out of job.outs) {
    const at = out.offset + job.start * job.source.rowLength * element;
    checkInside(out, at, values.byteLength);
    writeAll(out.path, [[at, bytesOf(values)]]);
  }
  if (!job.transposed.length) return;
  const pieces = transposedPieces(values, job, inKernels);
  for (const span of job.transposed) {
    const placed = pieces.map(([at, bytes]) => [span.offset + at, bytes] as [number, Uint8Array]);
    for (const [at, bytes] of placed) checkInside(span, at, bytes.length);
    writeAll(span.path, placed);
  }
}

function runQ4(job: Extract<TensorJob, { kind: 'q4' }>, losses: Fp16Losses): void {
  const { start, count } = job;
  const { dtype, rowLength } = job.source;
  // The kernels where they take the shape, quantizeQ4 otherwise.
  const inKernels = kernelsFor(dtype) && kernelQuantizes(rowLength, job.blockSize);
  const rows = readRows(job, inKernels);
  const q = inKernels ? weightKernels()!.quantizeQ4(dtype, count, rowLength, job.blockSize, job.symmetric)! : quantizeQ4(asFloat32(dtype, rows), count, rowLength, job.blockSize, job.symmetric);
  const rowBytes = q.blocks * (job.blockSize / 2);
  for (const target of job.targets) {
    // Scales in the activations' type, as MatMulNBits requires.
    const half = target.scalesType === 'float16';
    const scales = half ? bytesOf(q.halfScales ? q.halfScales(losses) : toFloat16(q.scales, losses)) : bytesOf(q.scales);
    const writes: [Span, number, Uint8Array][] = [
      [target.data, target.data.offset + start * rowBytes, q.data],
      [target.scales, target.scales.offset + start * q.blocks * (half ? 2 : 4), scales],
    ];
    if (target.zeroPoints && q.zeroPoints) writes.push([target.zeroPoints, target.zeroPoints.offset + start * Math.ceil(q.blocks / 2), q.zeroPoints]);
    for (const [span, at, bytes] of writes) checkInside(span, at, bytes.length);
    // The three spans lie in one weights file (the graph's): one open, three writes.
    for (const path of new Set(writes.map(([span]) => span.path))) writeAll(path, writes.filter(([span]) => span.path === path).map(([, at, bytes]) => [at, bytes]));
  }
}

function sha256(path: string): string {
  const hash = createHash('sha256');
  const buffer = new Uint8Array(8 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let at = 0; ; ) {
      const n = readSync(fd, buffer, 0, buffer.length, at);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
      at += n;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** Runs one job on this thread. */
export function runTensorJob(job: TensorJob): JobResult {
  const losses: Fp16Losses = { overflow: 0, flushed: 0 };
  if (job.kind === 'sha256') return { consumed: 0, written: {}, losses, sha256: sha256(job.path) };
  const spans = job.kind === 'convert' ? [...job.outs, ...job.transposed] : job.targets.flatMap((t) => [t.data, t.scales, ...(t.zeroPoints ? [t.zeroPoints] : [])]);
  const written: Record<string, number> = {};
  // A span's share of this job: the job covers count of the tensor's rows.
  for (const span of spans) written[span.path] = (written[span.path] ?? 0) + (span.length * job.count) / job.source.rows;
  let destinations: number;
  if (job.kind === 'convert') {
    runConvert(job, losses);
    destinations = job.outs.length + job.transposed.length;
    // Converted once for all destinations; reported as each destination's own conversion (as built one by one).
    losses.overflow *= destinations;
    losses.flushed *= destinations;
  } else {
    runQ4(job, losses);
    destinations = job.targets.length;
  }
  return { consumed: ((job.source.bytes * job.count) / job.source.rows) * destinations, written, losses };
}

/**
 * Jobs that convert the same rows the same way become one job writing to
 * every destination: the graphs of several dtypes that hold the same weights
 * (the fp16 vision encoder in fp16 and q4f16, the 4-bit blocks of q4f16 and
 * q4) share one read and one conversion. The bytes written are the same.
 * (Within one dtype a tensor is written once: layers.ts' `written`.)
 */
export function mergeJobs(jobs: TensorJob[]): TensorJob[] {
  const byKey = new Map<string, TensorJob>();
  const out: TensorJob[] = [];
  for (const job of jobs) {
    if (job.kind === 'sha256') {
      out.push(job);
      continue;
    }
    const { path, begin } = job.source;
    const how = job.kind === 'convert' ? `c:${job.to}` : `q:${job.blockSize}:${job.symmetric}`;
    const key = `${path}\u0000${begin}\u0000${job.start}\u0000${job.count}\u0000${how}`;
    const found = byKey.get(key);
    if (!found) {
      const copy = job.kind === 'convert' ? { ...job, outs: [...job.outs], transposed: [...job.transposed] } : { ...job, targets: [...job.targets] };
      byKey.set(key, copy);
      out.push(copy);
    } else if (found.kind === 'convert' && job.kind === 'convert') {
      found.outs.push(...job.outs);
      found.transposed.push(...job.transposed);
    } else if (found.kind === 'q4' && job.kind === 'q4') {
      found.targets.push(...job.targets);
    }
  }
  return out;
}
