// The in-page frame loop of bench/canvas.bench.ts: every requestAnimationFrame
// dispatches a wheel zoom and a middle-button pan move on the canvas, and the
// frame timestamps give the frame rate. A string, so no transpiler helper leaks
// into the page.
import { readdirSync, readFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';
import type { Annotation, Box, ImageRecord } from '@core/types';
import type { ProjectStore } from '../electron/store/api';
import { PALETTE } from '@core/annotation-rules';

/** Deterministic pseudo-random numbers (mulberry32), so every run draws the same scene. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n boxes of 4–64 px scattered over the image in 8 colours, every third with an amodal box (same scene every run). */
export function seedBoxes(store: ProjectStore, image: ImageRecord, n: number): void {
  const rand = rng(42);
  store.transaction(() => {
    for (let i = 0; i < n; i++) {
      const w = 4 + rand() * 60;
      const h = 4 + rand() * 60;
      const x = rand() * (image.width - w);
      const y = rand() * (image.height - h);
      const visible: Box = [x, y, x + w, y + h];
      const amodal: Box | null = i % 3 === 0 ? [x - 3, y - 3, x + w + 6, y + h + 6] : null;
      const input: Omit<Annotation, 'id' | 'createdAt' | 'updatedAt' | 'truncated' | 'difficult' | 'attributes'> = {
        imageId: image.id, categoryId: null, phrase: `box ${i}`, morePhrases: [], visible, amodal, occluded: amodal !== null,
        source: 'manual', model: null, score: null, reviewed: true, color: PALETTE[i % PALETTE.length]!,
      };
      store.createAnnotation(input);
    }
  });
}

/**
 * CPU time (user + system, ms) of every process under this one: Chromium's
 * browser, renderer and GPU/viz processes, all threads. Per frame it is the
 * cost of a frame, which other work on the machine moves far less than fps.
 */
export function childrenCpuMs(): number {
  const tick = 10; // USER_HZ is 100 on Linux
  const procs = new Map<number, { ppid: number; ms: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${d}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    procs.set(Number(d), { ppid: Number(f[1]), ms: (Number(f[11]) + Number(f[12])) * tick });
  }
  let total = 0;
  for (const p of procs.values()) {
    for (let up = p.ppid, n = 0; up > 1 && n < 20; up = procs.get(up)?.ppid ?? 0, n++) {
      if (up === process.pid) {
        total += p.ms;
        break;
      }
    }
  }
  return total;
}

export interface FrameStats {
  frames: number;
  ms: number;
  p95: number;
  max: number;
  /** Renderer main-thread busy time per frame (CDP TaskDuration): load moves fps, much less this. */
  busyMs: number;
  /** CPU time of all Chromium processes per frame (childrenCpuMs). */
  cpuMs: number;
  /** Layer canvases drawn for real vs moved by a CSS transform during the run (canvas/gesture-layers.ts). */
  layers: { draws: number; moves: number };
}

async function taskSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = metrics.find((x) => x.name === 'TaskDuration');
  if (!m) throw new Error('canvas bench: CDP Performance.getMetrics has no TaskDuration');
  return m.value;
}

export async function panZoomFrames(page: Page, seconds: number, mode: string): Promise<FrameStats> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const busy0 = await taskSeconds(cdp);
  const cpu0 = childrenCpuMs();
  const stats = (await page.evaluate(`(async () => {
    const mode = ${JSON.stringify(mode)};
    const host = document.querySelector('[data-testid="canvas"]');
    const r = host.getBoundingClientRect();
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    const ptr = (type, x, y, buttons) => host.dispatchEvent(new PointerEvent(type, { bubbles: true, pointerId: 1, isPrimary: true, pointerType: 'mouse', button: 1, buttons, clientX: x, clientY: y }));
    const layer = () => ({ ...(window.__egmCanvasLayers || {}) });
    const layer0 = layer();
    ptr('pointerdown', cx, cy, 4);
    const times = [];
    const start = performance.now();
    await new Promise((done) => {
      const frame = (t) => {
        times.push(t);
        const s = (t - start) / 1000;
        // zoom in and out around a moving cursor, and pan in a circle
        if (mode === 'both' || mode === 'zoom') host.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, deltaY: Math.sin(s * 2.1) * 40, clientX: cx + Math.cos(s) * 200, clientY: cy + Math.sin(s) * 120 }));
        if (mode === 'both' || mode === 'pan') ptr('pointermove', cx + Math.cos(s * 3) * 150, cy + Math.sin(s * 3) * 100, 4);
        if (t - start < ${seconds * 1000}) requestAnimationFrame(frame); else done();
      };
      requestAnimationFrame(frame);
    });
    ptr('pointerup', cx, cy, 0);
    const gaps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
    const layer1 = layer();
    const layers = { draws: (layer1.draws || 0) - (layer0.draws || 0), moves: (layer1.moves || 0) - (layer0.moves || 0) };
    return { layers, frames: times.length - 1, ms: times[times.length - 1] - times[0], p95: gaps[Math.floor(gaps.length * 0.95)], max: gaps[gaps.length - 1] };
  })()`)) as Omit<FrameStats, 'busyMs'>;
  const cpuMs = (childrenCpuMs() - cpu0) / Math.max(1, stats.frames);
  const busyMs = ((await taskSeconds(cdp)) - busy0) * 1000 / Math.max(1, stats.frames);
  await cdp.detach();
  return { ...stats, busyMs, cpuMs };
}

/** Several runs as one: frames and time summed, per-frame costs weighted by frames, the worst p95 and max. */
export function mergeFrames(runs: FrameStats[]): FrameStats {
  const frames = runs.reduce((a, r) => a + r.frames, 0);
  const per = (f: (r: FrameStats) => number) => runs.reduce((a, r) => a + f(r) * r.frames, 0) / Math.max(1, frames);
  return {
    frames,
    ms: runs.reduce((a, r) => a + r.ms, 0),
    p95: Math.max(...runs.map((r) => r.p95)),
    max: Math.max(...runs.map((r) => r.max)),
    busyMs: per((r) => r.busyMs),
    cpuMs: per((r) => r.cpuMs),
    layers: { draws: runs.reduce((a, r) => a + r.layers.draws, 0), moves: runs.reduce((a, r) => a + r.layers.moves, 0) },
  };
}
