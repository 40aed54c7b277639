// Canvas frame rate with 2,000 boxes on one image while panning and zooming,
// in headless Chromium (the e2e harness: built renderer + real handlers).
// Every animation frame the page dispatches one wheel zoom and one middle-
// button pan move, so every frame shows a new view; frames are counted with
// requestAnimationFrame timing. The same gesture on an image with no boxes, in
// the same page, is the baseline; the two alternate (ROUNDS times) so a burst
// of load on this shared machine hits both. Info lines: the baseline, the
// ratio, Chromium's CPU per frame (all its processes; far steadier under load
// than fps), main-thread busy time per frame, the load average, and how many
// layer canvases were drawn vs moved by a CSS transform (canvas/gesture-layers.ts).
//   node scripts/build.mjs renderer && npx tsx bench/canvas.bench.ts
// Diagnostics: BENCH_SECONDS (per run), BENCH_ROUNDS, BENCH_BOXES, BENCH_MODE=idle|zoom|pan|both,
// BENCH_PROFILE=1 (top JS self-time), BENCH_TRACE=1 (top trace events per thread),
// BENCH_RENDERER_DIR (compare another build), BENCH_SCREENSHOT=<file.png> (the loaded scene, fitted).
import { loadavg } from 'node:os';
import { startHarness } from '../test/e2e/harness';
import { WorkbenchPage } from '../test/e2e/pages/workbench.page';
import { mergeFrames, panZoomFrames, seedBoxes, type FrameStats } from './canvas-frames';

const BOXES = Number(process.env.BENCH_BOXES ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const MODE = process.env.BENCH_MODE ?? 'both';
/** Top trace events by total time per thread (BENCH_TRACE=1): where a frame's time goes. */
function printTrace(buf: Buffer): void {
  const { traceEvents } = JSON.parse(buf.toString()) as { traceEvents: { name: string; ph: string; dur?: number; tid: number; pid: number; args?: { name?: string } }[] };
  const threads = new Map<string, string>();
  for (const e of traceEvents) if (e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
  const total = new Map<string, number>();
  for (const e of traceEvents) {
    if (e.ph !== 'X' || !e.dur) continue;
    const k = `${threads.get(`${e.pid}:${e.tid}`) ?? e.tid} ${e.name}`;
    total.set(k, (total.get(k) ?? 0) + e.dur / 1000);
  }
  for (const [k, ms] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`trace: ${ms.toFixed(0)} ms ${k}`);
}

const fps = (r: FrameStats) => (r.frames * 1000) / r.ms;
const line = (r: FrameStats) => `${r.frames} frames in ${(r.ms / 1000).toFixed(1)} s, worst frame p95 ${r.p95.toFixed(1)} ms, max ${r.max.toFixed(1)} ms, main thread ${r.busyMs.toFixed(1)} ms/frame, Chromium CPU ${r.cpuMs.toFixed(1)} ms/frame`;

/** Runs fn under the optional profiler (BENCH_PROFILE=1) or trace (BENCH_TRACE=1) and prints their summary. */
async function diagnosed<T>(fn: () => Promise<T>): Promise<T> {
  const page = harness.page;
  const cdp = process.env.BENCH_PROFILE === '1' ? await page.context().newCDPSession(page) : null;
  if (cdp) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
  const trace = process.env.BENCH_TRACE === '1';
  if (trace) await harness.browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'cc', 'viz'] });
  const out = await fn();
  if (trace) printTrace(await harness.browser.stopTracing());
  if (cdp) {
    const { profile } = await cdp.send('Profiler.stop');
    const self = new Map<string, number>();
    const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
    for (const id of profile.samples ?? []) {
      const f = byId.get(id)!;
      const k = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
      self.set(k, (self.get(k) ?? 0) + 1);
    }
    for (const [k, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`profile: ${n} samples ${k}`);
  }
  return out;
}

const harness = await startHarness(process.env.BENCH_RENDERER_DIR ? { rendererDir: process.env.BENCH_RENDERER_DIR } : {});
try {
  await harness.handlers['project:sample']({});
  const store = harness.session.current!;
  const [image, empty] = store.listImages();
  if (!image || !empty) throw new Error('canvas bench: the sample project needs at least 2 images');
  seedBoxes(store, image, BOXES);
  const page = harness.page;
  const wb = new WorkbenchPage(page);
  // Events from opening the project are evaluate() calls already queued; one more
  // evaluate returns after them, so the reload cannot cut a delivery short.
  await page.evaluate('0');
  await page.reload();
  await wb.waitReady();

  const baselines: FrameStats[] = [];
  const runs: FrameStats[] = [];
  const load0 = loadavg()[0]!;
  for (let round = 0; round < ROUNDS; round++) {
    await wb.selectImage(empty.fileName);
    baselines.push(await panZoomFrames(page, SECONDS, MODE));
    await wb.selectImage(image.fileName);
    await page.locator(`[data-testid="box-list"] .panel-head :text-is("${BOXES}")`).waitFor();
    if (round === 0 && process.env.BENCH_SCREENSHOT) await page.screenshot({ path: process.env.BENCH_SCREENSHOT });
    const last = round === ROUNDS - 1;
    runs.push(await (last ? diagnosed(() => panZoomFrames(page, SECONDS, MODE)) : panZoomFrames(page, SECONDS, MODE)));
  }
  const baseline = mergeFrames(baselines);
  const loaded = mergeFrames(runs);

  if (harness.errors.length) throw new Error(`canvas bench: page errors: ${harness.errors.join('; ')}`);
  console.log(`canvas bench: ${empty.fileName} with no boxes (baseline): ${line(baseline)}, ${fps(baseline).toFixed(1)} fps`);
  console.log(`canvas bench: ${image.fileName} (${image.width}x${image.height}) with ${BOXES} boxes: ${line(loaded)}, ${fps(loaded).toFixed(1)} fps`);
  console.log(`canvas bench: ratio to the baseline: ${(fps(loaded) / fps(baseline)).toFixed(2)}x the frame rate, ${(loaded.cpuMs / baseline.cpuMs).toFixed(2)}x the CPU per frame; per round ${runs.map((r, i) => `${fps(r).toFixed(1)}/${fps(baselines[i]!).toFixed(1)}`).join(', ')} fps; load average ${load0.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)}`);
  const l = loaded.layers;
  console.log(`canvas bench: layer canvases in the ${BOXES}-box runs: ${l.draws} drawn, ${l.moves} moved by a CSS transform (${(l.draws / Math.max(1, loaded.frames)).toFixed(2)} draws per frame)`);
  console.log(`bench canvas_fps_2000_boxes=${fps(loaded).toFixed(1)} fps`);
} finally {
  await harness.close();
}
