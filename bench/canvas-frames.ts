// The in-page frame loop of bench/canvas.bench.ts: every requestAnimationFrame
// dispatches a wheel zoom and a middle-button pan move on the canvas, and the
// frame timestamps give the frame rate. A string, so no transpiler helper leaks
// into the page.
import type { Page } from 'playwright-core';

export interface FrameStats {
  frames: number;
  ms: number;
  p95: number;
  max: number;
}

export async function panZoomFrames(page: Page, seconds: number, mode: string): Promise<FrameStats> {
  return (await page.evaluate(`(async () => {
    const mode = ${JSON.stringify(mode)};
    const host = document.querySelector('[data-testid="canvas"]');
    const r = host.getBoundingClientRect();
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    const ptr = (type, x, y, buttons) => host.dispatchEvent(new PointerEvent(type, { bubbles: true, pointerId: 1, isPrimary: true, pointerType: 'mouse', button: 1, buttons, clientX: x, clientY: y }));
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
    return { frames: times.length - 1, ms: times[times.length - 1] - times[0], p95: gaps[Math.floor(gaps.length * 0.95)], max: gaps[gaps.length - 1] };
  })()`)) as FrameStats;
}
