// egm eval <project.egm> (model options) [--kind visible|amodal|both]
// [--concurrency N] [--timeout S] [--max-tokens N] [--max-pixels N]
// [--out report.json] [--html report.html]: grounds every phrase of every
// reviewed box (amodal: the reviewed boxes that have an amodal box) and scores
// the answers with the EGM authors' protocol (core/eval/summary.ts). stdout is
// one JSON line {"visible": {n, acc50, miou, noBox, failed, latencyMs, tokens},
// "amodal": {...}} with the kinds asked (fractions 0-1); progress on stderr.
import { writeFileAtomic } from '../../coco/atomic-write';
import { evalCases } from '../../core/eval/cases';
import { summarize, worstCases } from '../../core/eval/summary';
import { createBackend } from '../../engine/create-backend';
import { oneLine } from '../../engine/result';
import { kindsOf } from '../../grounding/combine';
import { evalHtml } from '../../eval/html-report';
import { runEval } from '../../eval/run-eval';
import { CliError, type CliCommand } from '../command';
import { openExistingProject, parseCommandArgs, progressPrinter, resolvePath, usageError, withStore } from '../common';
import { MODEL_OPTIONS, MODEL_USAGE, backendChoice, kindsOption, maxPixelsOption, positiveInt, secondsOption } from '../query-options';

const USAGE =
  `eval <project.egm> ${MODEL_USAGE} [--kind visible|amodal|both] [--concurrency N] [--timeout S] [--max-tokens N] [--max-pixels N] ` +
  '[--out report.json] [--html report.html]';

const OPTIONS = {
  ...MODEL_OPTIONS,
  kind: { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  'max-tokens': { type: 'string' },
  'max-pixels': { type: 'string' },
  out: { type: 'string' },
  html: { type: 'string' },
} as const;

/** Worst cases shown in the HTML report. */
const WORST = 24;

function usage(message: string) {
  return usageError(USAGE, message);
}

export const evalCommand: CliCommand = {
  name: 'eval',
  usage: [USAGE],
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS, USAGE);
    if (positionals.length !== 1) throw usage(`expected one project file, got ${positionals.length}`);
    const kinds = kindsOf(kindsOption(usage, values.kind, 'visible'));
    const choice = backendChoice(values, io, usage);
    // A server serves many at once (the authors ran 64); a local model answers one at a time.
    const concurrency = positiveInt(usage, 'concurrency', values.concurrency, choice.kind === 'server' ? 8 : 1, 256);
    const timeoutSeconds = secondsOption(usage, 'timeout', values.timeout);
    const maxNewTokens = positiveInt(usage, 'max-tokens', values['max-tokens'], undefined);
    const maxPixels = maxPixelsOption(usage, values['max-pixels']);
    const outPath = values.out === undefined ? undefined : resolvePath(io, values.out);
    const htmlPath = values.html === undefined ? undefined : resolvePath(io, values.html);

    await withStore(openExistingProject(io, positionals[0]!, 'egm eval'), async (store) => {
      const cases = evalCases(store.allAnnotations(), kinds);
      if (cases.length === 0) {
        throw new CliError(`${store.path}: nothing to evaluate: no reviewed box with a phrase${kinds.includes('amodal') ? ' (and, for amodal, an amodal box)' : ''}`);
      }
      const images = new Map(store.listImages().map((image) => [image.id, image]));
      const imagePathOf = (imageId: number) => store.imageFilePath(imageId)!;
      const missing = [...new Set(cases.map((c) => c.imageId))].filter((id) => images.get(id)?.missing);
      if (missing.length > 0) io.stderr(`warning: ${missing.length} image file(s) are missing (e.g. ${imagePathOf(missing[0]!)}); their queries count as IoU 0\n`);

      const backend = await createBackend(choice).catch((err: unknown) => {
        throw new CliError(oneLine(err));
      });
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      try {
        const model = backend.info().model;
        io.stderr(`evaluating ${cases.length} queries with ${model}\n`);
        const progress = progressPrinter(io, 'evaluated');
        const outcomes = await runEval(backend, cases, {
          imagePathOf,
          concurrency,
          ...(timeoutSeconds ? { timeoutMs: Math.round(timeoutSeconds * 1000) } : {}),
          ...(maxNewTokens ? { maxNewTokens } : {}),
          ...(maxPixels ? { maxPixels } : {}),
          signal: controller.signal,
          onProgress: (done, total) => progress({ done, total }),
        });
        if (controller.signal.aborted) throw new CliError('cancelled', 130);
        const summary = summarize(outcomes, kinds);
        if (outPath) {
          await writeFileAtomic(outPath, `${JSON.stringify({ project: store.path, model, kinds, summary, cases: outcomes }, null, 1)}\n`);
        }
        if (htmlPath) {
          const html = await evalHtml({
            title: `EGM eval: ${store.info().name}`,
            model,
            summary,
            worst: worstCases(outcomes, WORST),
            imagePathOf,
            sizeOf: (imageId) => images.get(imageId)!,
          });
          await writeFileAtomic(htmlPath, html);
        }
        io.stdout(`${JSON.stringify(summary)}\n`);
        const failed = outcomes.filter((o) => o.reason !== undefined && o.reason !== 'no-box');
        if (failed.length === outcomes.length) throw new CliError(`every query failed (e.g. ${failed[0]!.reason}); the figures above count them as IoU 0`);
        if (failed.length > 0) io.stderr(`warning: ${failed.length} of ${outcomes.length} queries failed (e.g. ${failed[0]!.reason}); counted as IoU 0\n`);
      } finally {
        process.removeListener('SIGINT', onSigint);
        await backend.dispose();
      }
    });
  },
};
