// Renderer responsiveness while the model works (issue 4), in headless
// Chromium through the e2e harness (built renderer + real handlers), with the
// fake OpenAI server in a child process:
//  - input_latency_p95_ms_during_query: real mouse input (CDP) panning the
//    canvas with the middle button while a query streams reasoning tokens into
//    the page; each sample is performance.now() when the pointermove is
//    dispatched → the next requestAnimationFrame after Konva's layer 'draw'
//    (the frame showing the move has been produced). Info lines give the same
//    from the event's timeStamp (adds Chromium's wait to align input with
//    the next frame, outside the app's control) and the no-query baseline.
//  - batch_ui_fps: frame rate while panning (a redraw every frame) during a
//    batch (9 images × 34 phrases, concurrency 16, 700 ms per request) with
//    the batch dialog open and the review queue filling; baseline before it.
//   node scripts/build.mjs renderer && npx tsx bench/input-latency.bench.ts
import type { ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { startHarness } from '../test/e2e/harness';
import { WorkbenchPage } from '../test/e2e/pages/workbench.page';
import { panZoomFrames } from './canvas-frames';
import { startFakeServerProcess } from './fake-server-process';

const PAN_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

async function fakeServer(behaviour: Record<string, unknown>): Promise<{ url: string; child: ChildProcess }> {
  const { url, child } = await startFakeServerProcess({ record: false, ...behaviour });
  return { url: `${url}/v1`, child };
}

/** In-page probe: one pending sample at a time, closed by the rAF after the image layer's next draw. */
const PROBE = `(() => {
  const stage = window.Konva.stages[0];
  if (!stage) throw new Error('no Konva stage on the page');
  const layer = stage.getLayers()[0];
  const host = document.querySelector('[data-testid="canvas"]');
  window.__lat = [];
  let pending = null;
  layer.on('draw.bench', () => {
    if (pending === null) return;
    const p = pending;
    pending = null;
    requestAnimationFrame(() => {
      const t = performance.now();
      window.__lat.push([t - p.dispatched, t - p.stamp]);
    });
  });
  host.addEventListener('pointermove', (e) => { if (pending === null) pending = { dispatched: performance.now(), stamp: e.timeStamp }; }, { capture: true });
})()`;

/** Middle-button pan in a circle with real (CDP) mouse events, about one move per 16 ms. */
async function panWithMouse(page: Page, seconds: number): Promise<[number, number][]> {
  await page.evaluate('window.__lat = []');
  const bb = (await page.getByTestId('canvas').boundingBox())!;
  const cx = bb.x + bb.width / 2;
  const cy = bb.y + bb.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down({ button: 'middle' });
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    const s = (performance.now() - start) / 1000;
    await page.mouse.move(cx + Math.cos(s * 3) * 120, cy + Math.sin(s * 3) * 80);
    await new Promise((r) => setTimeout(r, 16));
  }
  await page.mouse.up({ button: 'middle' });
  await new Promise((r) => setTimeout(r, 100));
  return (await page.evaluate('window.__lat')) as [number, number][];
}

function pct(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? NaN;
}

const reasoning = Array.from({ length: 60 }, (_, i) => `Step ${i}: the phrase could mean the player on the left or the ball near his foot; checking the shirt colour.`).join(' ');
const slow = await fakeServer({ reasoning, chunkChars: 4, durationMs: 30_000 });
const batchServer = await fakeServer({ durationMs: 700 });
const harness = await startHarness();
try {
  const page = harness.page;
  const wb = new WorkbenchPage(page);
  await wb.openSample();
  await wb.selectImage('messi5.jpg');
  await harness.handlers['model:setSettings']({ model: { backend: 'server', baseUrl: slow.url } });
  await page.locator('[data-testid="model-chip"][data-state="ready"]').waitFor({ timeout: 30_000 });
  await page.evaluate(PROBE);

  // Input latency: baseline, then during a streaming query.
  const idleBoth = await panWithMouse(page, 3);
  await wb.press('/');
  await page.getByTestId('phrase-bar-input').fill('the player in the red shirt');
  await page.getByTestId('phrase-bar-input').press('Enter');
  await page.locator('[data-testid="reasoning-panel"][data-streaming="true"]').waitFor();
  const tokensBefore = harness.events.filter((e) => e.event === 'ground:token').length;
  const duringBoth = await panWithMouse(page, PAN_SECONDS);
  const tokens = harness.events.filter((e) => e.event === 'ground:token').length - tokensBefore;
  const streamedChars = ((await page.getByTestId('reasoning-visible').textContent()) ?? '').length;
  await wb.press('Escape'); // cancels the query
  await page.getByTestId('btn-ground').waitFor();
  const [during, idle] = [duringBoth.map((x) => x[0]), idleBoth.map((x) => x[0])];
  const fromStamp = duringBoth.map((x) => x[1]);
  console.log(`input latency: ${during.length} samples during the query (${tokens} token events in ${PAN_SECONDS} s, ${streamedChars} chars shown), median ${pct(during, 0.5).toFixed(1)} ms, max ${Math.max(...during).toFixed(1)} ms`);
  console.log(`input latency from the event's timeStamp during the query: median ${pct(fromStamp, 0.5).toFixed(1)} ms, p95 ${pct(fromStamp, 0.95).toFixed(1)} ms`);
  console.log(`input latency baseline (no query): ${idle.length} samples, median ${pct(idle, 0.5).toFixed(1)} ms, p95 ${pct(idle, 0.95).toFixed(1)} ms`);
  if (during.length < 20 || tokens < 20) throw new Error(`input-latency bench: too little measured (${during.length} samples, ${tokens} tokens)`);
  console.log(`bench input_latency_p95_ms_during_query=${pct(during, 0.95).toFixed(1)} ms`);

  // UI frame rate during a batch.
  await harness.handlers['model:setSettings']({ model: { backend: 'server', baseUrl: batchServer.url } });
  const base = await panZoomFrames(page, 3, 'pan');
  const phrases = Array.from({ length: 34 }, (_, i) => `object number ${i}`);
  await harness.handlers['batch:start']({ phrases, imageIds: null, concurrency: 16 });
  await wb.press('Control+b');
  await page.getByTestId('batch-progress').waitFor();
  const during2 = await panZoomFrames(page, PAN_SECONDS, 'pan');
  const status = await harness.handlers['batch:status']({});
  await harness.handlers['batch:cancel']({});
  const queued = await page.getByTestId('queue-count').textContent();
  const fps = (r: { frames: number; ms: number }) => (r.frames * 1000) / r.ms;
  console.log(`batch: ${status?.done ?? 0}/${status?.total ?? 0} done at ${status?.throughput.toFixed(1) ?? '?'} req/s while measuring; review queue shows ${queued}; frame p95 ${during2.p95.toFixed(1)} ms, max ${during2.max.toFixed(1)} ms`);
  console.log(`batch ui baseline (no batch): ${fps(base).toFixed(1)} fps, frame p95 ${base.p95.toFixed(1)} ms`);
  console.log(`machine load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`bench batch_ui_fps=${fps(during2).toFixed(1)} fps`);
  if (harness.errors.length) console.log(`page errors: ${harness.errors.slice(0, 3).join(' | ')}`);
} finally {
  await harness.close(); // also ends the model host
  slow.child.kill();
  batchServer.child.kill();
}
