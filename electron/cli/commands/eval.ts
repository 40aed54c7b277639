// egm eval <project.egm> (model options) [--kind visible|amodal|both]
// [--concurrency N] [--timeout S] [--max-tokens N] [--max-pixels N]
// [--out report.json] [--html report.html]: grounds every phrase of every
// reviewed box (amodal: the reviewed boxes that have an amodal box) and scores
// the answers with the EGM authors' protocol (core/eval/summary.ts). stdout is
// one JSON line {"visible": {n, acc50, miou, noBox, failed, latencyMs, tokens},
// "amodal": {...}} with the kinds asked (fractions 0-1); progress on stderr.
// egm eval --refcoco <root> --dataset NAME --split-by NAME --split NAME
// --images <dir> (model options): the same on a RefCOCO-style dataset.
import { writeFileAtomic } from '../../coco/atomic-write';
import { evalCases, type EvalCase } from '@core/eval/cases';
import { summarize, worstCases } from '@core/eval/summary';
import { createBackend } from '../../engine/create-backend';
import { oneLine } from '../../engine/result';
import { kindsOf } from '../../grounding/combine';
import { evalHtml } from '../../eval/html-report';
import { refcocoCases } from '../../eval/refcoco-cases';
import { runEval } from '../../eval/run-eval';
import type { ProjectStore } from '../../store/api';
import type { BoxKind } from '@core/types';
import { CliError, type CliCommand, type CliIo } from '../command';
import { openExistingProject, parseCommandArgs, progressPrinter, resolvePath, usageError, withStore } from '../common';
import { MODEL_OPTIONS, MODEL_USAGE, backendChoice, kindsOption, maxPixelsOption, positiveInt, secondsOption } from '../query-options';

const LIMITS = '[--kind visible|amodal|both] [--concurrency N] [--timeout S] [--max-tokens N] [--max-pixels N] [--out report.json] [--html report.html]';
const USAGE = `eval <project.egm> ${MODEL_USAGE} ${LIMITS}`;
const USAGE_REFCOCO = `eval --refcoco <root> --dataset NAME --split-by NAME --split NAME --images <dir> ${MODEL_USAGE} ${LIMITS}`;

const OPTIONS = {
  ...MODEL_OPTIONS,
  kind: { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  'max-tokens': { type: 'string' },
  'max-pixels': { type: 'string' },
  out: { type: 'string' },
  html: { type: 'string' },
  refcoco: { type: 'string' },
  dataset: { type: 'string' },
  'split-by': { type: 'string' },
  split: { type: 'string' },
  images: { type: 'string' },
} as const;

/** Worst cases shown in the HTML report. */
const WORST = 24;

function usage(message: string) {
  return usageError(`${USAGE} | egm ${USAGE_REFCOCO}`, message);
}

/** What is evaluated: the queries, where their images are, and a name for the reports. */
interface EvalSource {
  cases: EvalCase[];
  imagePathOf: (imageId: number) => string;
  sizeOf: (imageId: number) => { width: number; height: number };
  /** The project file or the refs file, for messages and report.json. */
  where: string;
  title: string;
}

function projectSource(store: ProjectStore, kinds: readonly BoxKind[], io: CliIo): EvalSource {
  const images = new Map(store.listImages().map((image) => [image.id, image]));
  const cases = evalCases(store.allAnnotations(), kinds);
  const imagePathOf = (imageId: number) => store.imageFilePath(imageId)!;
  const missing = [...new Set(cases.map((c) => c.imageId))].filter((id) => images.get(id)?.missing);
  if (missing.length > 0) io.stderr(`warning: ${missing.length} image file(s) are missing (e.g. ${imagePathOf(missing[0]!)}); their queries count as IoU 0\n`);
  return { cases, imagePathOf, sizeOf: (imageId) => images.get(imageId)!, where: store.path, title: `EGM eval: ${store.info().name}` };
}

export const evalCommand: CliCommand = {
  name: 'eval',
  usage: [USAGE, USAGE_REFCOCO],
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS, USAGE);
    const kinds = kindsOf(kindsOption(usage, values.kind, 'visible'));
    const choice = backendChoice(values, io, usage);
    // A server serves many at once (the authors ran 64); runEval asks no more than the backend serves (a local model: one).
    const concurrency = positiveInt(usage, 'concurrency', values.concurrency, 8, 256);
    const timeoutSeconds = secondsOption(usage, 'timeout', values.timeout);
    const maxNewTokens = positiveInt(usage, 'max-tokens', values['max-tokens'], undefined);
    const maxPixels = maxPixelsOption(usage, values['max-pixels']);
    const outPath = values.out === undefined ? undefined : resolvePath(io, values.out);
    const htmlPath = values.html === undefined ? undefined : resolvePath(io, values.html);

    const run = async (source: EvalSource) => {
      const { cases, imagePathOf } = source;
      if (cases.length === 0) {
        throw new CliError(`${source.where}: nothing to evaluate: no reviewed box with a phrase${kinds.includes('amodal') ? ' (and, for amodal, an amodal box)' : ''}`);
      }
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
          sizeOf: source.sizeOf,
          concurrency,
          ...(timeoutSeconds ? { timeoutMs: Math.round(timeoutSeconds * 1000) } : {}),
          ...(maxNewTokens ? { maxNewTokens } : {}),
          ...(maxPixels ? { maxPixels } : {}),
          signal: controller.signal,
          onProgress: (done, total) => progress({ done, total }),
        });
        if (controller.signal.aborted) throw new CliError('cancelled', 130);
        const summary = summarize(outcomes, kinds);
        if (outPath) await writeFileAtomic(outPath, `${JSON.stringify({ source: source.where, model, kinds, summary, cases: outcomes }, null, 1)}\n`);
        if (htmlPath) {
          const worst = worstCases(outcomes, WORST);
          await writeFileAtomic(htmlPath, await evalHtml({ title: source.title, model, summary, worst, imagePathOf, sizeOf: source.sizeOf }));
        }
        io.stdout(`${JSON.stringify(summary)}\n`);
        const failed = outcomes.filter((o) => o.reason !== undefined && o.reason !== 'no-box');
        if (failed.length === outcomes.length) throw new CliError(`every query failed (e.g. ${failed[0]!.reason}); the figures above count them as IoU 0`);
        if (failed.length > 0) io.stderr(`warning: ${failed.length} of ${outcomes.length} queries failed (e.g. ${failed[0]!.reason}); counted as IoU 0\n`);
      } finally {
        process.removeListener('SIGINT', onSigint);
        await backend.dispose();
      }
    };

    if (values.refcoco !== undefined) {
      if (positionals.length !== 0) throw usage('give a project or --refcoco, not both');
      const need = (name: 'dataset' | 'split-by' | 'split' | 'images', what: string) => values[name] ?? (() => { throw usage(`--refcoco needs --${name} ${what}`); })();
      const root = resolvePath(io, values.refcoco);
      const dataset = need('dataset', 'NAME');
      const splitBy = need('split-by', 'NAME');
      const split = need('split', 'NAME');
      const imagesDir = resolvePath(io, need('images', '<dir> (the images folder)'));
      const set = await refcocoCases({ root, dataset, splitBy, split, imagesDir, kinds }).catch((err: unknown) => {
        throw new CliError(oneLine(err));
      });
      await run({ ...set, where: `${root}/${dataset}/refs(${splitBy}).p`, title: `EGM eval: ${dataset} ${splitBy} ${split}` });
      return;
    }
    if (positionals.length !== 1) throw usage(`expected one project file, got ${positionals.length}`);
    for (const only of ['dataset', 'split-by', 'split', 'images'] as const) if (values[only] !== undefined) throw usage(`--${only} goes with --refcoco`);
    await withStore(openExistingProject(io, positionals[0]!, 'egm eval'), (store) => run(projectSource(store, kinds, io)));
  },
};
