// A CPU profile of the page's main thread over one phase of a bench (CDP
// Profiler), summed by function and mapped to the renderer's sources through
// the bundle's source map: where a long frame's time went when its own
// attribution (Long Animation Frames) only names a minified function.
// Diagnostics only: the benches use it when asked (BENCH_PROFILE=1).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SourceMapConsumer, type RawSourceMap } from 'source-map-js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const maps = new Map<string, SourceMapConsumer | null>();

/** The source map of a bundle the harness served (dist/renderer/assets/<name>.js.map), or null. */
function mapFor(url: string): SourceMapConsumer | null {
  const name = /\/assets\/([^/?#]+\.js)/.exec(url)?.[1];
  if (!name) return null;
  if (!maps.has(name)) {
    try {
      maps.set(name, new SourceMapConsumer(JSON.parse(readFileSync(join('dist/renderer/assets', `${name}.map`), 'utf8')) as RawSourceMap));
    } catch {
      maps.set(name, null);
    }
  }
  return maps.get(name)!;
}

function where(frame: ProfileNode['callFrame']): string {
  if (!frame.url) return frame.functionName || '(native)';
  const map = mapFor(frame.url);
  const at = map?.originalPositionFor({ line: frame.lineNumber + 1, column: frame.columnNumber });
  if (at?.source) return `${at.name ?? frame.functionName ?? '?'} ${at.source.replace(/^.*?(renderer\/|node_modules\/)/, '$1')}:${at.line}`;
  return `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\//, '')}:${frame.lineNumber + 1}`;
}

/** Starts the profiler; the returned function stops it and gives the `top` functions by self time, one line each. */
export async function profileMainThread(page: Page, top = 15): Promise<() => Promise<string[]>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return async () => {
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
    await cdp.detach();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    let total = 0;
    profile.samples.forEach((id, i) => {
      const ms = (profile.timeDeltas[i] ?? 0) / 1000;
      total += ms;
      const key = where(byId.get(id)!.callFrame);
      self.set(key, (self.get(key) ?? 0) + ms);
    });
    const busy = total - (self.get('(idle)') ?? 0) - (self.get('(program)') ?? 0);
    return [
      `profile: ${(total / 1000).toFixed(1)} s sampled, ${(busy / 1000).toFixed(2)} s in scripts, GC and natives (idle and (program) apart)`,
      ...[...self.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([key, ms]) => `  ${ms.toFixed(1).padStart(8)} ms  ${key}`),
    ];
  };
}
