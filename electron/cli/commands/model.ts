// `egm model list`, `egm model download <catalog-id> [--dtype ...]` (a model
// published as safetensors only is downloaded, then built: two progress bars)
// and `egm model build <hf-folder> --out <dir>`.
// JSON results go to stdout; the progress bar goes to stderr (one updating line
// on a terminal, a line every few seconds or 10% otherwise, so logs stay short).
import { bundledModelCatalog, loadCatalogFile, type Catalog } from '../../models/catalog';
import { downloadModel } from '../../models/download';
import { listInstalled } from '../../models/manifest';
import { defaultModelsDir } from '../../models/paths';
import { formatProgressLine, ProgressTracker, type DownloadProgress } from '../../models/progress';
import { printJson, UsageError, type CliCommand, type CliIo } from '../command';
import { resolvePath } from '../common';
import { basename } from 'node:path';

const USAGE = [
  'model list [--catalog <file>]',
  'model download <catalog-id> [--dtype q4f16|fp16|...] [--dest <models-dir>] [--catalog <file>] [--keep-source]',
  'model build <hf-folder> --out <dir> [--dtype q4f16|fp16|q4|fp32[,...]] [--id <catalog-id>] [--block-size N (default 64 for q4, 32 for q4f16)] [--symmetric]',
];

interface Parsed {
  positional: string[];
  flags: Record<string, string>;
}

function parseArgs(args: string[], allowed: string[]): Parsed {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (!allowed.includes(name)) throw new UsageError(`unknown option --${name} (allowed: ${allowed.map((f) => `--${f}`).join(', ')})`);
    const value = inline ?? args[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    flags[name] = value;
  }
  return { positional, flags };
}

/** --catalog, else $EGM_CATALOG, else the catalog bundled with the app. */
async function catalogFor(flags: Record<string, string>, io: CliIo): Promise<Catalog> {
  const path = flags.catalog ?? io.env.EGM_CATALOG;
  return path ? loadCatalogFile(resolvePath(io, path)) : bundledModelCatalog();
}

async function list(args: string[], io: CliIo): Promise<void> {
  const { positional, flags } = parseArgs(args, ['catalog', 'dest']);
  if (positional.length) throw new UsageError(`model list takes no arguments (got '${positional[0]}')`);
  const catalog = await catalogFor(flags, io);
  const modelsDir = flags.dest !== undefined ? resolvePath(io, flags.dest) : defaultModelsDir({ env: io.env });
  const { models: installed, problems } = await listInstalled(modelsDir);
  const byId = new Map(installed.map((m) => [m.id, m]));
  printJson(io, {
    modelsDir,
    models: catalog.models.map((entry) => {
      const here = byId.get(entry.id);
      return { ...entry, installed: here ? { dir: here.dir, dtypes: here.dtypes, bytes: here.bytes } : null };
    }),
    // Folders with a manifest whose id the catalog does not know (an export with a custom id, say).
    otherInstalled: installed.filter((m) => !catalog.models.some((e) => e.id === m.id)),
    problems,
  });
}

function progressPrinter(io: CliIo): { update: (p: DownloadProgress) => void; finish: () => void } {
  const tty = io.env.EGM_PROGRESS ? io.env.EGM_PROGRESS === 'tty' : Boolean(process.stderr.isTTY);
  let lastAt = 0;
  let lastTenth = -1;
  let last: DownloadProgress | undefined;
  let dirty = false;
  return {
    update(p) {
      last = p;
      dirty = true;
      const now = Date.now();
      if (tty) {
        if (now - lastAt < 100) return;
        io.stderr(`\r${formatProgressLine(p)}\x1b[K`);
      } else {
        const tenth = p.totalBytes > 0 ? Math.floor((10 * p.doneBytes) / p.totalBytes) : 0;
        if (now - lastAt < 5_000 && tenth === lastTenth) return;
        lastTenth = tenth;
        io.stderr(`${formatProgressLine(p)}\n`);
      }
      lastAt = now;
      dirty = false;
    },
    finish() {
      if (last && dirty) io.stderr(tty ? `\r${formatProgressLine(last)}\x1b[K\n` : `${formatProgressLine(last)}\n`);
      else if (last && tty) io.stderr('\n');
    },
  };
}

async function download(args: string[], io: CliIo): Promise<void> {
  const keepSource = args.includes('--keep-source');
  const { positional, flags } = parseArgs(args.filter((a) => a !== '--keep-source'), ['dtype', 'dest', 'catalog']);
  if (positional.length !== 1) throw new UsageError(`model download needs one catalog id (usage: egm ${USAGE[1]})`);
  const catalog = await catalogFor(flags, io);
  const controller = new AbortController();
  // Ctrl-C stops between chunks and keeps the partial files for the next run.
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let progress = progressPrinter(io);
  let phase: DownloadProgress['phase'] = 'download';
  // A model built here (catalog status 'build'): the download's bar, then the build's on a line of its own.
  const onProgress = (p: DownloadProgress) => {
    if (p.phase === 'build' && phase !== 'build') {
      phase = 'build';
      progress.finish();
      io.stderr('model download: checkpoint downloaded; building the ONNX model (minutes; Ctrl-C stops it, and a new build starts from the beginning)\n');
      progress = progressPrinter(io);
    }
    progress.update(p);
  };
  try {
    const result = await downloadModel(positional[0]!, {
      dtype: flags.dtype,
      // Relative to the caller's cwd, as every other CLI path (tests run the CLI in-process).
      destRoot: flags.dest === undefined ? undefined : resolvePath(io, flags.dest),
      catalog,
      env: io.env,
      signal: controller.signal,
      onProgress,
      keepSource,
    });
    progress.finish();
    if (result.alreadyInstalled) io.stderr(`${result.id} (${result.dtype}) is already installed in ${result.dir}\n`);
    printJson(io, result);
  } catch (err) {
    progress.finish();
    throw err;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** Flags that take no value. */
const SWITCHES = ['symmetric'];

async function build(args: string[], io: CliIo): Promise<void> {
  const switches = args.filter((a) => SWITCHES.includes(a.slice(2)));
  const { positional, flags } = parseArgs(args.filter((a) => !switches.includes(a)), ['out', 'dtype', 'id', 'block-size']);
  if (positional.length !== 1) throw new UsageError(`model build needs one checkpoint folder (usage: egm ${USAGE[2]})`);
  if (!flags.out) throw new UsageError(`model build needs --out <dir> (usage: egm ${USAGE[2]})`);
  const { BUILD_DTYPES } = await import('../../models/onnx-builder/layers');
  const dtypes = (flags.dtype ?? 'q4f16').split(',').map((d) => d.trim());
  const bad = dtypes.find((d) => !(BUILD_DTYPES as readonly string[]).includes(d));
  if (bad !== undefined) throw new UsageError(`--dtype: '${bad}' is not one of ${BUILD_DTYPES.join(', ')}`);
  const blockSize = flags['block-size'] === undefined ? undefined : Number(flags['block-size']);
  if (blockSize !== undefined && ![16, 32, 64, 128, 256].includes(blockSize)) throw new UsageError(`--block-size must be 16, 32, 64, 128 or 256, got '${flags['block-size']}'`);
  const source = resolvePath(io, positional[0]!);
  const out = resolvePath(io, flags.out);
  const { buildModel } = await import('../../models/onnx-builder/build-model');
  const tracker = new ProgressTracker();
  let seen = 0;
  const progress = progressPrinter(io);
  try {
    const report = await buildModel({
      source,
      out,
      dtypes: dtypes as (typeof BUILD_DTYPES)[number][],
      id: flags.id ?? `local/${basename(source)}-ONNX`,
      blockSize,
      symmetric: switches.includes('--symmetric'),
      onProgress: (p) => {
        tracker.setTotal('weights', p.bytesTotal);
        tracker.add(p.bytesDone - seen);
        seen = p.bytesDone;
        progress.update(tracker.snapshot(`${p.graph} (${p.dtype})`, 0, 1));
      },
    });
    progress.finish();
    if (report.fp16.overflow || report.fp16.flushed) {
      io.stderr(`model build: fp16 conversion: ${report.fp16.overflow} weights overflowed to infinity, ${report.fp16.flushed} flushed to zero\n`);
    }
    printJson(io, { out: report.out, dtypes: report.dtypes, bytes: report.bytes, fp16: report.fp16, seconds: Math.round(report.ms) / 1000 });
  } catch (err) {
    progress.finish();
    throw err;
  }
}

export const modelCommand: CliCommand = {
  name: 'model',
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'list') return list(rest, io);
    if (sub === 'download') return download(rest, io);
    if (sub === 'build') return build(rest, io);
    throw new UsageError(`model: expected 'list', 'download' or 'build' (usage: egm ${USAGE.join(' | egm ')})`);
  },
};
