// Model builder speed and memory (issue 12, Benchmarks): a random bf16
// checkpoint with EGM-4B's layer shapes but fewer layers (≥ 1 GB: the full
// 151,936 × 2560 embedding, 2 text layers, 4 vision layers, 3 DeepStack
// mergers), built to fp16 and to q4f16, each in a child process whose peak
// RSS is the build's. The baseline is copying the same shard bytes
// (read + write, 8 MB blocks) in this run, on the same disk, each copy
// flushed to the disk (fdatasync) as the build flushes its files: a build
// counts only once its bytes are on the disk (build-model.ts renames the
// folder into place after the fsyncs), so a copy left in the page cache does
// other work (on this VM it runs at ~2.7 GB/s against ~350 MB/s to the disk);
// that copy is printed too.
// The copies and the builds alternate, --rounds rounds (default 3), and each
// figure is the median of its rounds. Each one starts right after this bench
// writes and deletes a file as large as what it writes (primePages): on this
// VM, memory freed more than a few seconds ago goes back to the host, and
// taking it again costs 6–10x the CPU (1.5 GB written into new page-cache
// pages: 0.4 CPU-s just after a delete, 2.6–4.4 CPU-s after 10–20 s idle),
// so whichever of a copy and a build followed a recent delete won by that
// alone. Primed, both run as on a machine whose memory is its own.
//   bench model_build_mb_per_s=<MB/s>      weights (checkpoint tensor bytes) per second, the slower dtype
//   bench model_build_vs_copy=<ratio>      that speed / the flushed copy's (target ≥ 0.5)
//   bench model_build_vs_cached_copy=<ratio> that speed / the page-cache copy's (no flush)
//   bench model_build_peak_rss_mb=<MB>     the larger peak RSS of the two builds (target < 1,500)
//   bench model_build_cpu_vs_copy=<ratio>  the copy's CPU seconds / the slower build's, per byte: what
//                                          the build could reach beside the copy with one free core each,
//                                          whatever else loads the machine (wall times on a shared machine
//                                          swing with the load; CPU time much less)
// and the same per dtype (…_fp16, …_q4f16). Options: --text-layers N --vision-depth N (default 2, 4);
// --vocab N (default 151,936) only to try the bench quickly on a smaller checkpoint; --rounds N.
import { execFileSync } from 'node:child_process';
import { closeSync, fdatasyncSync, mkdirSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeRandomCheckpoint } from './random-checkpoint';
import { median } from './median';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const textLayers = arg('text-layers', 2);
const vocab = arg('vocab', 151936);
const visionDepth = arg('vision-depth', 4);
const rounds = Math.max(1, arg('rounds', 3));
const deepstack = [1, 2, 3].filter((i) => i < visionDepth);
// Beside each timing: other work on a shared machine moves it.
const load = () => `load ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs`;

/**
 * Writes `bytes` into a file under `dir` and deletes it: the page-cache pages
 * the next step writes into are then ones this VM's guest still holds (see
 * the header). Not flushed: dirty pages deleted before writeback cost no I/O.
 */
function primePages(dir: string, bytes: number): void {
  const path = join(dir, 'prime.bin');
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(8 * 2 ** 20);
  for (let at = 0; at < bytes; at += block.length) writeSync(fd, block, 0, block.length, at);
  closeSync(fd);
  rmSync(path);
}

/** Copies the files into `to` (read + write, 8 MB blocks), each flushed to the disk when `flush`; MB/s and CPU seconds. */
function copyBytes(files: string[], to: string, flush: boolean): { bytes: number; mbPerS: number; cpuS: number } {
  mkdirSync(to);
  const t = performance.now();
  const cpu = process.cpuUsage();
  const buf = Buffer.alloc(8 * 2 ** 20);
  let bytes = 0;
  for (const file of files) {
    const src = openSync(file, 'r');
    const dst = openSync(join(to, `${bytes}.copy`), 'w');
    for (;;) {
      const n = readSync(src, buf, 0, buf.length, null);
      if (n === 0) break;
      writeSync(dst, buf, 0, n);
      bytes += n;
    }
    if (flush) fdatasyncSync(dst);
    closeSync(src);
    closeSync(dst);
  }
  const { user, system } = process.cpuUsage(cpu);
  const mbPerS = bytes / 1e6 / ((performance.now() - t) / 1000);
  rmSync(to, { recursive: true, force: true });
  return { bytes, mbPerS, cpuS: (user + system) / 1e6 };
}

const dir = mkdtempSync(join(tmpdir(), 'egm-bench-build-'));
try {
  const t = performance.now();
  const weights = writeRandomCheckpoint(join(dir, 'checkpoint'), { textLayers, visionDepth, deepstack, vocab, shardBytes: 700e6 });
  console.error(`model-build: checkpoint of ${(weights / 1e9).toFixed(2)} GB (${textLayers} text, ${visionDepth} vision layers) written in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const shards = readdirSync(join(dir, 'checkpoint')).filter((n) => n.endsWith('.safetensors')).map((n) => join(dir, 'checkpoint', n));
  // The checkpoint on the disk before anything is timed: its writeback would otherwise land in the first build's flushes.
  for (const shard of shards) {
    const fd = openSync(shard, 'r+');
    fdatasyncSync(fd);
    closeSync(fd);
  }
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const dtypes = ['fp16', 'q4f16'] as const;
  type Build = { mbPerS: number; rss: number; cpuS: number };
  const builds: Record<string, Build[]> = { fp16: [], q4f16: [] };
  const copies: Record<'flushed' | 'cached', ReturnType<typeof copyBytes>[]> = { flushed: [], cached: [] };
  const shardSizes = shards.map((shard) => statSync(shard).size);
  const checkpointBytes = shardSizes.reduce((sum, size) => sum + size, 0);
  for (let round = 1; round <= rounds; round++) {
    primePages(dir, checkpointBytes);
    const flushed = copyBytes(shards, join(dir, 'copy-flushed'), true);
    copies.flushed.push(flushed);
    for (const dtype of dtypes) {
      const out = join(dir, `out-${dtype}`);
      primePages(dir, checkpointBytes);
      const line = execFileSync(process.execPath, ['--import', tsx, resolve(import.meta.dirname, 'model-build-child.ts'), join(dir, 'checkpoint'), out, dtype], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
      const r = JSON.parse(line.trim().split('\n').at(-1)!) as { ms: number; weightBytes: number; outBytes: number; peakRssMb: number; cpuMs: number };
      const build = { mbPerS: r.weightBytes / 1e6 / (r.ms / 1000), rss: r.peakRssMb, cpuS: r.cpuMs / 1000 };
      builds[dtype]!.push(build);
      console.error(`model-build: round ${round}: ${dtype}: ${(r.weightBytes / 1e9).toFixed(2)} GB of weights in ${(r.ms / 1000).toFixed(1)} s → ${(r.outBytes / 1e9).toFixed(2)} GB on disk, peak RSS ${r.peakRssMb.toFixed(0)} MB, CPU ${(r.cpuMs / 1000).toFixed(1)} s (all threads), ${(build.mbPerS / flushed.mbPerS).toFixed(3)}x this round's flushed copy; ${load()}`);
      rmSync(out, { recursive: true, force: true });
    }
    primePages(dir, checkpointBytes);
    copies.cached.push(copyBytes(shards, join(dir, 'copy-cached'), false));
    for (const how of ['flushed', 'cached'] as const) {
      const c = copies[how].at(-1)!;
      console.error(`model-build: round ${round}: copying the ${shards.length} shards (${(c.bytes / 1e9).toFixed(2)} GB), ${how}: ${c.mbPerS.toFixed(0)} MB/s, CPU ${c.cpuS.toFixed(1)} s; ${load()}`);
    }
  }
  const copyMbPerS = median(copies.flushed.map((c) => c.mbPerS));
  const results = Object.fromEntries(dtypes.map((dtype) => [dtype, { mbPerS: median(builds[dtype]!.map((b) => b.mbPerS)), rss: Math.max(...builds[dtype]!.map((b) => b.rss)), cpuS: median(builds[dtype]!.map((b) => b.cpuS)) }]));
  console.error(`model-build: medians of ${rounds} rounds; shard sizes ${shardSizes.join(', ')}`);
  for (const [dtype, r] of Object.entries(results)) {
    console.log(`bench model_build_mb_per_s_${dtype}=${r.mbPerS.toFixed(1)} MB/s`);
    console.log(`bench model_build_vs_copy_${dtype}=${(r.mbPerS / copyMbPerS).toFixed(3)} x`);
    console.log(`bench model_build_peak_rss_mb_${dtype}=${r.rss.toFixed(0)} MB`);
  }
  const slowest = Math.min(...Object.values(results).map((r) => r.mbPerS));
  console.log(`bench model_build_mb_per_s=${slowest.toFixed(1)} MB/s`);
  console.log(`bench model_build_vs_copy=${(slowest / copyMbPerS).toFixed(3)} x`);
  console.log(`bench model_build_vs_cached_copy=${(slowest / median(copies.cached.map((c) => c.mbPerS))).toFixed(3)} x`);
  console.log(`bench model_build_peak_rss_mb=${Math.max(...Object.values(results).map((r) => r.rss)).toFixed(0)} MB`);
  console.log(`bench model_build_copy_mb_per_s=${copyMbPerS.toFixed(1)} MB/s`);
  console.log(`bench model_build_cached_copy_mb_per_s=${median(copies.cached.map((c) => c.mbPerS)).toFixed(1)} MB/s`);
  // Both build the same checkpoint bytes, so CPU seconds compare directly.
  console.log(`bench model_build_cpu_vs_copy=${(median(copies.flushed.map((c) => c.cpuS)) / Math.max(...Object.values(results).map((r) => r.cpuS))).toFixed(3)} x`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
