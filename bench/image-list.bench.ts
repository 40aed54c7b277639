// The image list at scale (issue 18, item 5), in headless Chromium through the
// e2e harness (built renderer + real handlers) on a project of 20,000 images /
// 100,000 boxes written through the store (test/helpers/big-project.ts), at
// 1920×1080 with thumbnails:
//  - image_list_dom_rows: image rows in the page, the most seen after opening,
//    after scrolling to the middle and to the end, and during a search.
//  - image_list_search_keystroke_p95_ms: real key presses (CDP) into the
//    search field — a name typed, then erased key by key, then another —
//    each from the keydown's timeStamp to the end of the first frame after
//    it (requestAnimationFrame, then a message: style, layout and paint of
//    that frame are done). Each key's list is checked against the names.
//  - image_list_scroll_long_frames: frames whose main-thread work passed
//    50 ms (Long Animation Frames API) during 10 s of fast wheel scrolling
//    over the list, from the first (cold) scroll on, its speed swinging
//    between 100 and 1,600 px per wheel event so thumbnails are fetched,
//    cancelled and decoded all along. Info lines: the frame intervals seen
//    by requestAnimationFrame, the thumbnails fetched, the longest frame.
// Info lines also give the long frames of a category filter and its clearing.
//   node scripts/build.mjs renderer && npx tsx bench/image-list.bench.ts
// Diagnostics: BENCH_SECONDS (scroll), BENCH_IMAGES, BENCH_BOXES, BENCH_KEEP=<dir> (reuse/keep the project there),
// BENCH_WHY=1 (each long frame of the scroll and the category filter: its scripts over 5 ms by function, and its render),
// BENCH_PROFILE=1 (the main thread's CPU profile over the scroll and the category filter, by function in the renderer's sources).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { bigImageName, makeBigProject } from '../test/helpers/big-project';
import { startHarness } from '../test/e2e/harness';
import { ImageListPage } from '../test/e2e/pages/image-list.page';
import { childrenCpuMs } from './canvas-frames';
import { profileMainThread } from './cpu-profile';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 20_000);
const BOXES = Number(process.env.BENCH_BOXES ?? 100_000);
const SCROLL_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LONG_FRAME_MS = 50;

const pct = (values: number[], q: number): number => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? NaN;
};

/**
 * In-page probes: long animation frames (>= 50 ms of main-thread work, the
 * browser's own measure) and rAF intervals are collected between start and
 * stop; a keydown's latency is closed by the first frame after it.
 */
const PROBE = `(() => {
  const w = window;
  w.__bench = { loaf: [], frames: [], keys: [], why: [], on: false };
  new PerformanceObserver((list) => {
    if (!w.__bench.on) return;
    for (const e of list.getEntries()) {
      w.__bench.loaf.push(e.duration);
      if (e.duration > 50) {
        const end = e.startTime + e.duration;
        const scripts = e.scripts.map((s) => s.invoker + ' ' + Math.round(s.duration) + 'ms' + (s.sourceFunctionName ? ' in ' + s.sourceFunctionName + '@' + s.sourceCharPosition : '') + ' (forced style+layout ' + Math.round(s.forcedStyleAndLayoutDuration) + 'ms)').join(', ');
        w.__bench.why.push('frame ' + Math.round(e.duration) + ' ms: scripts [' + scripts + '], render ' + Math.round(e.renderStart ? end - e.renderStart : 0) + ' ms (style+layout ' + Math.round(e.styleAndLayoutStart ? end - e.styleAndLayoutStart : 0) + ' ms)');
      }
    }
  }).observe({ type: 'long-animation-frame' });
  let last = null;
  const tick = (t) => {
    if (w.__bench.on && last !== null) w.__bench.frames.push(t - last);
    last = t;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const channel = new MessageChannel();
  let pending = [];
  channel.port1.onmessage = () => {
    const now = performance.now();
    const count = document.querySelector('[data-testid="image-list-count"]')?.textContent ?? '';
    for (const stamp of pending) w.__bench.keys.push({ ms: now - stamp, count });
    pending = [];
  };
  window.addEventListener('keydown', (e) => {
    if (!w.__bench.keysOn) return;
    pending.push(e.timeStamp);
    requestAnimationFrame(() => channel.port2.postMessage(0));
  }, { capture: true });
})()`;

interface Window {
  loaf: number[];
  frames: number[];
}

async function measured<T>(page: Page, fn: () => Promise<T>): Promise<{ out: T } & Window> {
  await page.evaluate('window.__bench.loaf = []; window.__bench.frames = []; window.__bench.on = true');
  const out = await fn();
  // Entries are delivered after their frame: one more frame and a task, then stop.
  await page.evaluate('new Promise((done) => requestAnimationFrame(() => setTimeout(done, 100)))');
  const got = (await page.evaluate('window.__bench.on = false; ({ loaf: window.__bench.loaf, frames: window.__bench.frames })')) as Window;
  return { out, ...got };
}

async function domRows(page: Page): Promise<number> {
  return page.getByTestId('image-row').count();
}

// The machine is shared: the load beside the figures says whether a miss may be the neighbours' work.
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`machine load average at start ${load()} (1, 5, 15 min; ${availableParallelism()} cores)`);
const dir = process.env.BENCH_KEEP ?? (await mkdtemp(join(tmpdir(), 'egm-bench-list-')));
const made = performance.now();
const project = existsSync(join(dir, 'big.egm'))
  ? { path: join(dir, 'big.egm'), images: IMAGES, boxes: BOXES }
  : await makeBigProject(dir, { images: IMAGES, boxes: BOXES });
console.log(`project: ${project.images} images, ${project.boxes} boxes, written in ${((performance.now() - made) / 1000).toFixed(1)} s`);
const harness = await startHarness({ viewport: { width: 1920, height: 1080 }, dialogs: { openProject: project.path } });
try {
  const page = harness.page;
  const list = new ImageListPage(page);
  await page.evaluate(PROBE);
  await page.getByTestId('welcome-open').click();
  await list.wb.waitReady();
  await page.locator('[data-testid="image-list-count"]', { hasText: `${IMAGES} of ${IMAGES} images` }).waitFor();
  if ((await page.getByTestId('btn-compact-list').getAttribute('aria-pressed')) === 'true') await page.getByTestId('btn-compact-list').click();
  const rows: number[] = [await domRows(page)];

  // Fast scroll with thumbnails, cold.
  const box = (await list.scroller.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const thumbsBefore = (await page.evaluate(`performance.getEntriesByType('resource').filter((e) => e.name.includes('thumb=1')).length`)) as number;
  const profiling = process.env.BENCH_PROFILE ? await profileMainThread(page) : null;
  const scroll = await measured(page, async () => {
    const start = performance.now();
    let direction = 1;
    let wheels = 0;
    while (performance.now() - start < SCROLL_SECONDS * 1000) {
      const s = (performance.now() - start) / 1000;
      const speed = 850 + 750 * Math.sin(s * 2.1); // 100 .. 1600 px per wheel event
      await page.mouse.wheel(0, direction * speed);
      wheels += 1;
      if (wheels % 40 === 0) {
        const at = (await list.scroller.evaluate((el) => {
          const e = el as unknown as { scrollTop: number; scrollHeight: number; clientHeight: number };
          return e.scrollTop / Math.max(1, e.scrollHeight - e.clientHeight);
        })) as number;
        if (at > 0.98) direction = -1;
        else if (at < 0.02) direction = 1;
        rows.push(await domRows(page));
      }
      await new Promise((r) => setTimeout(r, 16));
    }
    return wheels;
  });
  const thumbs = ((await page.evaluate(`performance.getEntriesByType('resource').filter((e) => e.name.includes('thumb=1')).length`)) as number) - thumbsBefore;
  const longScroll = scroll.loaf.filter((d) => d > LONG_FRAME_MS);
  const why = async (phase: string) => {
    if (process.env.BENCH_WHY) for (const line of (await page.evaluate('window.__bench.why.splice(0)')) as string[]) console.log(`long (${phase}) ${line}`);
  };
  await why('scroll');
  if (profiling) for (const line of await profiling()) console.log(`scroll ${line}`);
  console.log(
    `scroll: ${scroll.out} wheel events in ${SCROLL_SECONDS} s, ${scroll.frames.length} frames, interval median ${pct(scroll.frames, 0.5).toFixed(1)} ms, p95 ${pct(scroll.frames, 0.95).toFixed(1)} ms, ` +
      `max ${Math.max(...scroll.frames).toFixed(1)} ms; intervals > ${LONG_FRAME_MS} ms: ${scroll.frames.filter((f) => f > LONG_FRAME_MS).length}; ` +
      `longest main-thread frame ${Math.max(0, ...scroll.loaf).toFixed(1)} ms; thumbnails fetched ${thumbs}; load average ${load()}`,
  );

  for (const at of [IMAGES / 2, IMAGES - 1]) {
    await list.scrollToRow(at);
    await page.locator(`[data-testid="image-row"][data-file="${bigImageName(at)}"]`).waitFor();
    rows.push(await domRows(page));
  }

  // Search keystrokes: type, erase key by key, type another.
  await list.search.click();
  await page.evaluate('window.__bench.keys = []; window.__bench.keysOn = true');
  const cpuBefore = childrenCpuMs();
  const typed: string[] = [];
  const press = async (key: string, text: string) => {
    await page.keyboard.press(key);
    typed.push(text);
    await new Promise((r) => setTimeout(r, 120)); // a quick typist's pace; each key is its own frame
    rows.push(await domRows(page));
  };
  let text = '';
  for (const word of ['kitchen-123', 'street-00']) {
    for (const ch of word) await press(ch, (text += ch));
    while (text.length > 0) await press('Backspace', (text = text.slice(0, -1)));
  }
  await page.evaluate('window.__bench.keysOn = false');
  const cpuPerKey = (childrenCpuMs() - cpuBefore) / typed.length;
  const keys = (await page.evaluate('window.__bench.keys')) as { ms: number; count: string }[];
  if (keys.length !== typed.length) throw new Error(`image-list bench: ${typed.length} keys typed, ${keys.length} measured`);
  keys.forEach((k, i) => {
    const needle = typed[i]!.trim().toLowerCase();
    let n = 0;
    for (let j = 0; j < IMAGES; j++) if (bigImageName(j).includes(needle)) n += 1;
    if (k.count !== `${n} of ${IMAGES} images`) throw new Error(`image-list bench: after typing "${typed[i]}" the list said "${k.count}", not ${n} images`);
  });
  const keyMs = keys.map((k) => k.ms);
  console.log(`search: ${keys.length} keys, median ${pct(keyMs, 0.5).toFixed(1)} ms, max ${Math.max(...keyMs).toFixed(1)} ms (each key's list checked); Chromium CPU ${cpuPerKey.toFixed(1)} ms per key (all its processes, the pause between keys included); load average ${load()}`);

  // Category filter and clearing it (its list comes through the harness's IPC: info only).
  const profilingFilter = process.env.BENCH_PROFILE ? await profileMainThread(page) : null;
  const filter = await measured(page, async () => {
    await page.getByTestId('filter-category').selectOption({ label: 'lime' });
    await page.locator('[data-testid="image-list-count"]', { hasText: `${IMAGES / 5} of ${IMAGES} images` }).waitFor();
    rows.push(await domRows(page));
    await page.getByTestId('btn-clear-filters').click();
    await page.locator('[data-testid="image-list-count"]', { hasText: `${IMAGES} of ${IMAGES} images` }).waitFor();
  });
  await why('category filter');
  if (profilingFilter) for (const line of await profilingFilter()) console.log(`category filter ${line}`);
  console.log(`category filter and clear: longest main-thread frame ${Math.max(0, ...filter.loaf).toFixed(1)} ms, frames > ${LONG_FRAME_MS} ms: ${filter.loaf.filter((d) => d > LONG_FRAME_MS).length}`);
  console.log(`dom rows seen: ${rows.length} samples, min ${Math.min(...rows)}, max ${Math.max(...rows)}`);
  console.log(`machine load average at end ${load()}`);
  if (harness.errors.length) console.log(`page errors: ${harness.errors.slice(0, 3).join(' | ')}`);
  console.log(`bench image_list_dom_rows=${Math.max(...rows)} rows`);
  console.log(`bench image_list_search_keystroke_p95_ms=${pct(keyMs, 0.95).toFixed(1)} ms`);
  console.log(`bench image_list_scroll_long_frames=${longScroll.length} frames`);
} finally {
  await harness.close();
  if (!process.env.BENCH_KEEP) await rm(dir, { recursive: true, force: true });
}
