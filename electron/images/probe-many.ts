// Probes many image files (a COCO import, a folder of thousands): JPEG and PNG
// headers are read synchronously in slices (header-probe.ts), yielding to the
// event loop between slices so progress is reported and the app stays
// responsive; files the header cannot settle go to sharp (probeImage), a few
// at a time. Every path gets a probe or a one-line reason, in input order.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { probeHeaderSync } from './header-probe';
import { probeFailure, probeImage, type ImageProbe } from './probe';
import { forEachLimited, probeConcurrency, type AddProgress } from './collect';

export type ProbeOutcome = ImageProbe | { reason: string };

export interface ProbeManyOptions {
  onProgress?: (progress: AddProgress) => void;
  /** Files sharp probes at once (default: probeConcurrency()). */
  concurrency?: number;
  /** Progress and done counts start here (files already dealt with by the caller). */
  doneBefore?: number;
  /** Total shown in progress (default: paths.length + doneBefore). */
  total?: number;
}

/** Files read synchronously between two yields (~5-10 ms of work). */
const SLICE = 256;

export async function probeMany(paths: readonly string[], options: ProbeManyOptions = {}): Promise<ProbeOutcome[]> {
  const outcomes = new Array<ProbeOutcome | undefined>(paths.length);
  const slow: number[] = [];
  let done = options.doneBefore ?? 0;
  const total = options.total ?? paths.length + done;
  const report = (index: number) => options.onProgress?.({ done: ++done, total, current: paths[index]! });
  for (let start = 0; start < paths.length; start += SLICE) {
    if (start > 0) await nextTurn();
    for (let index = start; index < Math.min(paths.length, start + SLICE); index++) {
      const fast = fastProbe(paths[index]!);
      if (fast === null) slow.push(index);
      else {
        outcomes[index] = fast;
        report(index);
      }
    }
  }
  await forEachLimited(slow, Math.max(1, options.concurrency ?? probeConcurrency()), async (index) => {
    try {
      outcomes[index] = await probeImage(paths[index]!);
    } catch (err) {
      // One unreadable file is that file's problem, not the whole batch's.
      outcomes[index] = { reason: probeFailure(err) };
    }
    report(index);
  });
  return outcomes as ProbeOutcome[];
}

/** The header's answer, or null for sharp (links, missing files and other formats included). */
function fastProbe(path: string): ProbeOutcome | null {
  try {
    return probeHeaderSync(path);
  } catch (err) {
    return { reason: probeFailure(err) };
  }
}
