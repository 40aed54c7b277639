// `egm model list` and `egm model download <catalog-id> [--dtype ...]`.
// JSON results go to stdout; the progress bar goes to stderr (one updating line
// on a terminal, a line every few seconds or 10% otherwise, so logs stay short).
import { bundledModelCatalog, loadCatalogFile, type Catalog } from '../../models/catalog';
import { downloadModel } from '../../models/download';
import { listInstalled } from '../../models/manifest';
import { defaultModelsDir } from '../../models/paths';
import { formatProgressLine, type DownloadProgress } from '../../models/progress';
import { printJson, UsageError, type CliCommand, type CliIo } from '../command';
import { resolvePath } from '../common';

const USAGE = ['model list [--catalog <file>]', 'model download <catalog-id> [--dtype q4f16|fp16|...] [--dest <models-dir>] [--catalog <file>]'];

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
  const { positional, flags } = parseArgs(args, ['dtype', 'dest', 'catalog']);
  if (positional.length !== 1) throw new UsageError(`model download needs one catalog id (usage: egm ${USAGE[1]})`);
  const catalog = await catalogFor(flags, io);
  const controller = new AbortController();
  // Ctrl-C stops between chunks and keeps the partial files for the next run.
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const progress = progressPrinter(io);
  try {
    const result = await downloadModel(positional[0]!, {
      dtype: flags.dtype,
      // Relative to the caller's cwd, as every other CLI path (tests run the CLI in-process).
      destRoot: flags.dest === undefined ? undefined : resolvePath(io, flags.dest),
      catalog,
      env: io.env,
      signal: controller.signal,
      onProgress: progress.update,
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

export const modelCommand: CliCommand = {
  name: 'model',
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'list') return list(rest, io);
    if (sub === 'download') return download(rest, io);
    throw new UsageError(`model: expected 'list' or 'download' (usage: egm ${USAGE.join(' | egm ')})`);
  },
};
