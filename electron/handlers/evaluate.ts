// eval:* methods (issue 9): the Evaluate dialog scores the loaded model on the
// open project's reviewed boxes with the same code as `egm eval` (cases,
// runEval, the authors' scoring), one run at a time, progress as
// 'eval:progress' events; eval:cancel stops it (the answers so far are scored).
import { evalCases } from '@core/eval/cases';
import { summarize, worstCases } from '@core/eval/summary';
import type { IpcHandlers } from '@ipc/contract';
import { kindsOf } from '../grounding/combine';
import { runEval } from '../eval/run-eval';
import type { HandlerDeps } from './deps';
import type { ServiceRef } from './grounding';
import type { ProjectSession } from './session';

type EvalHandlers = Pick<IpcHandlers, 'eval:run' | 'eval:cancel'>;

/** Worst cases the dialog lists. */
const WORST = 12;
/** Queries in flight at once (a server serves them together; the local engine queues them). */
const CONCURRENCY = 4;

export function evalHandlers(deps: HandlerDeps, session: ProjectSession, service: ServiceRef): EvalHandlers {
  let running: AbortController | null = null;
  return {
    'eval:run': async ({ kind }) => {
      if (running) throw new Error('an evaluation is already running');
      const controller = new AbortController();
      running = controller;
      try {
        const store = session.require();
        const kinds = kindsOf(kind);
        const cases = evalCases(store.allAnnotations(), kinds);
        if (cases.length === 0) throw new Error(`nothing to evaluate: no reviewed box with a phrase${kinds.includes('amodal') ? ' (and, for amodal, an amodal box)' : ''}`);
        const { backend, timeoutMs, maxNewTokens, maxPixels } = await (await service()).backendForEval();
        deps.emit('eval:progress', { done: 0, total: cases.length });
        const outcomes = await runEval(backend, cases, {
          imagePathOf: (imageId) => store.imageFilePath(imageId)!,
          sizeOf: (imageId) => store.getImage(imageId)!,
          concurrency: CONCURRENCY,
          timeoutMs,
          maxNewTokens,
          maxPixels,
          signal: controller.signal,
          onProgress: (done, total) => deps.emit('eval:progress', { done, total }),
        });
        // A cancelled run scores what was answered before the stop.
        const answered = controller.signal.aborted ? outcomes.filter((o) => o && o.reason !== 'cancelled') : outcomes;
        return { model: backend.info().model, summary: summarize(answered, kinds), worst: worstCases(answered, WORST), cancelled: controller.signal.aborted };
      } finally {
        running = null;
      }
    },
    'eval:cancel': async () => {
      const cancelled = running !== null;
      running?.abort();
      return { cancelled };
    },
  };
}
