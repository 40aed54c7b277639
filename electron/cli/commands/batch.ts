// egm batch <project.egm> --phrase <text>... (--model <dir> | --server <url>) [--concurrency N]:
// auto-labels every image of a project with each phrase; answers land as
// proposals for review in the app. Progress goes to stderr, a JSON summary to
// stdout. Ctrl+C stops at once and leaves the batch resumable: running the
// same command again (same phrases) resumes its pending items. A server that
// fails is waited for; one that stays down pauses the batch (exit 75, run the
// same command again to resume). --retry-failed asks again for the failed
// items of the newest batch with these phrases.
import { CliError, printJson, type CliCommand, type CliIo } from '../command';
import { openExistingProject, parseCommandArgs, usageError, withStore } from '../common';
import { MODEL_OPTIONS, MODEL_USAGE, backendChoice, kindsOption, maxPixelsOption, positiveInt, secondsOption } from '../query-options';
import { createBackend } from '../../engine/create-backend';
import { oneLine } from '../../engine/result';
import { BatchRun, type BatchDeps } from '../../grounding/batch-runner';
import { DEFAULT_GROUNDING } from '../../grounding/settings';
import { batchItems, unfinishedBatches } from '../../store/batches';
import { newestBatch } from '../../grounding/batch-retry';
import type { ProjectStore } from '../../store/api';
import type { BatchStatus, GroundingSettings } from '@core/types';

const USAGE =
  `batch <project.egm> --phrase <text>... ${MODEL_USAGE} ` +
  '[--concurrency N] [--kind visible|amodal|both] [--samples N] [--max-tokens N] [--max-pixels N] [--timeout S] [--wait-for-server S] [--retry-failed]';

const OPTIONS = {
  phrase: { type: 'string', multiple: true },
  ...MODEL_OPTIONS,
  concurrency: { type: 'string' },
  kind: { type: 'string' },
  samples: { type: 'string' },
  'max-tokens': { type: 'string' },
  'max-pixels': { type: 'string' },
  timeout: { type: 'string' },
  'wait-for-server': { type: 'string' },
  'retry-failed': { type: 'boolean' },
} as const;

/** Exit status of a batch that paused because the server stayed down (EX_TEMPFAIL: try again later). */
const EXIT_SERVER_DOWN = 75;

function usage(message: string) {
  return usageError(USAGE, message);
}

/** The same phrases, whatever their order or repeats. */
function samePhrases(a: string[], b: string[]): boolean {
  const key = (list: string[]) => JSON.stringify([...new Set(list)].sort());
  return key(a) === key(b);
}

export const batchCommand: CliCommand = {
  name: 'batch',
  usage: [USAGE],
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS, USAGE);
    if (positionals.length !== 1) throw usage(`expected one project file, got ${positionals.length}`);
    const phrases = (values.phrase ?? []).map((p) => p.trim()).filter(Boolean);
    if (phrases.length === 0) throw usage('give at least one non-empty --phrase');
    const kinds = kindsOption(usage, values.kind, 'both');
    const concurrency = positiveInt(usage, 'concurrency', values.concurrency, 8, 256);
    const settings: GroundingSettings = {
      ...DEFAULT_GROUNDING,
      kinds,
      samples: positiveInt(usage, 'samples', values.samples, 1, 16),
      maxNewTokens: positiveInt(usage, 'max-tokens', values['max-tokens'], DEFAULT_GROUNDING.maxNewTokens, 32_768),
      maxPixels: maxPixelsOption(usage, values['max-pixels']) ?? DEFAULT_GROUNDING.maxPixels,
      timeoutSeconds: secondsOption(usage, 'timeout', values.timeout) ?? DEFAULT_GROUNDING.timeoutSeconds,
    };
    const retryFailed = Boolean(values['retry-failed']);
    // How long a failing server is waited for before the batch pauses itself.
    const waitForServer = secondsOption(usage, 'wait-for-server', values['wait-for-server']);
    const choice = backendChoice(values, io, usage);
    const store = openExistingProject(io, positionals[0]!);
    await withStore(store, async () => {
      // The model loads after the project opened: a wrong project path fails fast.
      const backend = await createBackend(choice.kind === 'server' ? { ...choice, maxConcurrency: concurrency } : choice).catch((err: unknown) => {
        throw new CliError(oneLine(err));
      });
      try {
        await runBatch(io, store, { backend, settings, phrases, concurrency, retryFailed, waitForServer });
      } finally {
        await backend.dispose();
      }
    });
  },
};

async function runBatch(
  io: CliIo,
  store: ProjectStore,
  input: { backend: BatchDeps['backend']; settings: GroundingSettings; phrases: string[]; concurrency: number; retryFailed: boolean; waitForServer: number | undefined },
): Promise<void> {
  const started = Date.now();
  const deps: BatchDeps = {
    store,
    backend: input.backend,
    settings: input.settings,
    progressIntervalMs: 1000,
    onProgress: (s) => io.stderr(`${progressLine(s)}\n`),
    ...(input.waitForServer !== undefined ? { outage: { pauseAfterMs: input.waitForServer * 1000 } } : {}),
  };
  let previous;
  let run: BatchRun;
  if (input.retryFailed) {
    previous = newestBatch(store, (b) => samePhrases(b.phrases, input.phrases));
    if (!previous) throw new CliError(`--retry-failed: no batch with these phrases in ${store.path}`);
    run = BatchRun.retryFailed(deps, previous.id, input.concurrency);
  } else {
    previous = unfinishedBatches(store).find((b) => samePhrases(b.phrases, input.phrases));
    run = previous
      ? BatchRun.resume(deps, previous.id, input.concurrency)
      : BatchRun.start(deps, { phrases: input.phrases, imageIds: null, concurrency: input.concurrency });
  }
  const verb = input.retryFailed ? 'retrying the failed items of' : previous ? 'resuming' : 'started';
  io.stderr(`${verb} batch ${run.id}: ${run.status().total - run.status().done - run.status().failed} of ${run.status().total} items to do\n`);

  const onSigint = () => {
    io.stderr('interrupted: stopping; run the same command again to resume\n');
    void run.stop('paused');
  };
  process.once('SIGINT', onSigint);
  let final: BatchStatus;
  try {
    final = await run.finished;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  if (run.fatal) throw new CliError(`batch ${run.id} stopped: ${run.fatal}`);
  const failures = batchItems(store, run.id)
    .filter((item) => item.state === 'failed')
    .map((item) => ({ imageId: item.imageId, file: store.getImage(item.imageId)?.fileName ?? null, phrase: item.phrase, reason: item.reason }));
  printJson(io, {
    batchId: run.id,
    resumed: Boolean(previous),
    state: final.state,
    total: final.total,
    done: final.done,
    failed: final.failed,
    pending: final.total - final.done - final.failed,
    // Of the done items: answered with no box (a "no box" proposal each), and not asked (answered before).
    noBox: final.noBox,
    skipped: final.skipped,
    throughput: Number(final.throughput.toFixed(3)),
    elapsedSeconds: Number(((Date.now() - started) / 1000).toFixed(3)),
    model: input.backend.info().model,
    ...(final.reason ? { reason: final.reason } : {}),
    failures: failures.slice(0, 100),
  });
  if (run.pausedBy) throw new CliError(`batch ${run.id} ${run.pausedBy} (run the same command again)`, EXIT_SERVER_DOWN);
  if (final.state !== 'done') throw new CliError(`batch ${run.id} ${final.state} with ${final.total - final.done - final.failed} items pending; run the same command again to resume`, 130);
}

function progressLine(s: BatchStatus): string {
  const eta = s.etaSeconds === null ? '' : `, ETA ${Math.ceil(s.etaSeconds)} s`;
  return `batch ${s.id}: ${s.done + s.failed}/${s.total} (${s.failed} failed, ${s.noBox} no box), ${s.throughput.toFixed(2)} items/s${eta} [${s.state}]${s.reason ? ` ${s.reason}` : ''}`;
}
