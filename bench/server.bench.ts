// Server backend throughput and memory. A simulated OpenAI-compatible server
// (child process, so its CPU and memory stay out of the measurement) takes
// 700 ms per request and serves 64 at once, like the authors' harness (EGM.md:
// 64 concurrent requests). The ideal is 64 / 0.7 s ≈ 91 req/s; the backend, at
// concurrency 64, should reach ≥ 0.90 of it. Then 2,000 fast requests check
// that memory does not grow with the number of queries.
//   npx tsx bench/server.bench.ts
import { spawn, type ChildProcess } from 'node:child_process';
import { loadavg, cpus } from 'node:os';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createServerBackend } from '../electron/engine/server';

const root = resolve(import.meta.dirname, '..');
const image = resolve(root, 'assets/samples/messi5.jpg');
const CONCURRENCY = 64;
const REQUEST_MS = 700;
const THROUGHPUT_REQUESTS = 640;
const MEMORY_REQUESTS = 2_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function startServer(behaviour: Record<string, unknown>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'test/helpers/fake-openai-server.ts'), JSON.stringify(behaviour)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /LISTENING (\S+)/.exec(out);
      if (m) ok(m[1]!);
    });
    child.on('exit', (code) => fail(new Error(`fake server exited with ${code} before listening`)));
  });
  return { url, child };
}

async function serverCpuMs(url: string): Promise<number> {
  return ((await (await fetch(`${url}/__stats`)).json()) as { cpuMs: number }).cpuMs;
}

async function runBatch(backend: ReturnType<typeof createServerBackend>, count: number) {
  const latencies: number[] = [];
  const modelMs: number[] = [];
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const result = await backend.ground({ imagePath: image, phrase: `the person number ${i}`, kind: i % 2 ? 'amodal' : 'visible' });
      if (!result.box) failures += 1;
      latencies.push(result.timings.totalMs);
      modelMs.push(result.timings.modelMs);
    }),
  );
  const median = (v: number[]) => v.sort((a, b) => a - b)[v.length >> 1] ?? 0;
  return { seconds: (performance.now() - started) / 1000, failures, p50: median(latencies), modelP50: median(modelMs) };
}

// Both processes share this machine's cores: a busy machine lowers the figure.
console.log(`info: ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at start`);
const slow = await startServer({ durationMs: REQUEST_MS, slots: CONCURRENCY, record: false, chunkChars: 6 });
try {
  const backend = createServerBackend({ baseUrl: slow.url, model: 'egm', maxConcurrency: CONCURRENCY, retries: 0 });
  await runBatch(backend, CONCURRENCY); // warm: connections open, image encoded once
  const serverCpu0 = await serverCpuMs(slow.url);
  const cpu0 = process.cpuUsage();
  const run = await runBatch(backend, THROUGHPUT_REQUESTS);
  const cpu = process.cpuUsage(cpu0);
  const serverCpu = (await serverCpuMs(slow.url)) - serverCpu0;
  console.log(`info: CPU per request: backend ${((cpu.user + cpu.system) / 1000 / THROUGHPUT_REQUESTS).toFixed(2)} ms, simulated server ${(serverCpu / THROUGHPUT_REQUESTS).toFixed(2)} ms (same machine)`);
  const achieved = THROUGHPUT_REQUESTS / run.seconds;
  const ideal = CONCURRENCY / (REQUEST_MS / 1000);
  console.log(`info: ${THROUGHPUT_REQUESTS} requests in ${run.seconds.toFixed(2)} s, ${achieved.toFixed(1)} req/s vs ideal ${ideal.toFixed(1)}, p50 ${run.p50.toFixed(0)} ms (request to last byte ${run.modelP50.toFixed(0)} ms), failures ${run.failures}`);
  console.log(`bench server_throughput_vs_ideal=${(achieved / ideal).toFixed(3)} x`);
  await backend.dispose();
} finally {
  slow.child.kill('SIGTERM');
}

const fast = await startServer({ latencyMs: 2, slots: CONCURRENCY, record: false, chunkChars: 6 });
try {
  const backend = createServerBackend({ baseUrl: fast.url, model: 'egm', maxConcurrency: CONCURRENCY, retries: 0 });
  // Warm-up of the same size: JIT, sockets, and the allocator's arenas (libvips
  // and undici buffers) reach their working size, so what remains is growth.
  await runBatch(backend, MEMORY_REQUESTS);
  gc();
  const before = process.memoryUsage();
  const run = await runBatch(backend, MEMORY_REQUESTS);
  gc();
  const after = process.memoryUsage();
  const mb = (n: number) => (n / 1048576).toFixed(1);
  console.log(`info: ${MEMORY_REQUESTS} requests in ${run.seconds.toFixed(2)} s (${(MEMORY_REQUESTS / run.seconds).toFixed(0)} req/s), failures ${run.failures}`);
  console.log(`info: rss ${mb(before.rss)} → ${mb(after.rss)} MB, JS heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)} MB`);
  console.log(`bench server_rss_growth_mb=${mb(after.rss - before.rss)} MB`);
  await backend.dispose();
} finally {
  fast.child.kill('SIGTERM');
}
