// Runs the cases of an evaluation through a grounding backend (local model or
// OpenAI-compatible server), a few at a time, and scores each answer against
// its ground truth with the authors' IoU. A backend never throws for a failed
// query (its result carries the reason), so one bad answer costs one case.
// The box scored is the authors' (core/egm/coordinates.ts scoringBox): an
// amodal answer past the image edge, kept as answered for review, is clamped
// here, the one place the authors clamp.
import { oneLine } from '@core/errors';
import { scoringBox } from '@core/egm/coordinates';
import { iou } from '@core/egm/iou';
import type { EvalCase } from '@core/eval/cases';
import type { EvalOutcome } from '@core/eval/summary';
import type { GroundingBackend } from '../engine/backend';
import { forEachLimited } from '../images/collect';
import { requestSlots } from '../grounding/query';

export interface RunEvalOptions {
  /** Absolute path of a case's image. */
  imagePathOf: (imageId: number) => string;
  /** Upright size of a case's image (what answers are mapped onto): the scored box is clamped to it. */
  sizeOf: (imageId: number) => { width: number; height: number };
  /** Cases asked at once, at most; the backend may serve fewer (requestSlots: the local host one). */
  concurrency: number;
  timeoutMs?: number;
  maxNewTokens?: number;
  maxPixels?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export async function runEval(backend: GroundingBackend, cases: readonly EvalCase[], options: RunEvalOptions): Promise<EvalOutcome[]> {
  const outcomes = new Array<EvalOutcome>(cases.length);
  let done = 0;
  await forEachLimited([...cases.keys()], requestSlots(backend, options.concurrency), async (index) => {
    const c = cases[index]!;
    let imagePath: string;
    try {
      imagePath = options.imagePathOf(c.imageId);
    } catch (err) {
      // An image that is never opened (a network path in the project): IoU 0, like a missing file.
      outcomes[index] = { ...c, box: null, iou: 0, reason: `error: ${oneLine(err)}`, latencyMs: 0, tokens: 0 };
      options.onProgress?.(++done, cases.length);
      return;
    }
    const result = await backend.ground(
      {
        imagePath,
        phrase: c.phrase,
        kind: c.kind,
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.maxNewTokens ? { maxNewTokens: options.maxNewTokens } : {}),
        ...(options.maxPixels ? { maxPixels: options.maxPixels } : {}),
      },
      options.signal ? { signal: options.signal } : {},
    );
    const size = options.sizeOf(c.imageId);
    const box = result.box === null ? null : scoringBox(result.box, size.width, size.height);
    outcomes[index] = {
      ...c,
      box,
      iou: iou(box, c.truth),
      ...(result.box === null ? { reason: result.reason ?? 'no-box' } : {}),
      latencyMs: result.timings.totalMs,
      tokens: result.tokens,
    };
    options.onProgress?.(++done, cases.length);
  });
  return outcomes;
}
