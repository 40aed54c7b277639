// egm export <project.egm> (--coco <out.json> | --refcoco <root> [--dataset NAME]
// [--split-by NAME] [--splits train=0.8,val=0.1,test=0.1] [--seed N] |
// --odvg <out.jsonl> | --qwenvl <out.jsonl>) [--images <dir>] [--only-done]:
// writes one export atomically, of every image or (--only-done) only of those
// marked done; the export dialog offers the same choices with the same
// defaults. File names are relative to --images (default: the images root the
// project remembers from its import or first added folder, else the output's
// folder). --refcoco writes <root>/<NAME>/refs(<split-by>).p and
// instances.json for the refer API's REFER(root, NAME, split-by). Images
// whose files are missing are exported all the same and named: the report's
// missingFiles, and one line on stderr.
import { printJson, type CliCommand } from '../command';
import { openExistingProject, parseCommandArgs, usageError, resolvePath, withStore } from '../common';
import { exportCocoFile } from '../../coco/export';
import { missingFilesNote } from '../../images/file-check';
import type { MissingImageFile } from '@core/types';
import { parseSplits } from '@core/datasets/splits';
import { exportOdvg, exportQwenVl, exportRefcoco } from '../../datasets/export-grounding';

const USAGE =
  'export <project.egm> (--coco <out.json> | --refcoco <root> [--dataset NAME] [--split-by NAME] [--splits train=0.8,val=0.1,test=0.1] [--seed N] ' +
  '| --odvg <out.jsonl> | --qwenvl <out.jsonl>) [--images <dir>] [--only-done]';

const OPTIONS = {
  coco: { type: 'string' },
  refcoco: { type: 'string' },
  odvg: { type: 'string' },
  qwenvl: { type: 'string' },
  dataset: { type: 'string' },
  'split-by': { type: 'string' },
  splits: { type: 'string' },
  seed: { type: 'string' },
  images: { type: 'string' },
  'only-done': { type: 'boolean' },
} as const;

export const exportCommand: CliCommand = {
  name: 'export',
  usage: [USAGE],
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS, USAGE);
    if (positionals.length !== 1) throw usageError(USAGE, `expected one project file, got ${positionals.length}`);
    const formats = (['coco', 'refcoco', 'odvg', 'qwenvl'] as const).filter((f) => values[f] !== undefined);
    if (formats.length !== 1) throw usageError(USAGE, formats.length === 0 ? 'name one of --coco, --refcoco, --odvg, --qwenvl' : `one export at a time (got --${formats.join(', --')})`);
    const format = formats[0]!;
    if (format !== 'refcoco') {
      for (const only of ['dataset', 'split-by', 'splits', 'seed'] as const) if (values[only] !== undefined) throw usageError(USAGE, `--${only} goes with --refcoco`);
    }
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && !(Number.isSafeInteger(seed) && seed >= 0)) throw usageError(USAGE, `--seed must be a whole number ≥ 0, got '${values.seed}'`);
    let splits;
    try {
      splits = values.splits === undefined ? undefined : parseSplits(values.splits);
    } catch (err) {
      throw usageError(USAGE, (err as Error).message);
    }
    const out = resolvePath(io, values[format]!);
    const imagesDir = values.images === undefined ? undefined : resolvePath(io, values.images);
    const onlyDone = values['only-done'] === true;
    await withStore(openExistingProject(io, positionals[0]!, 'egm export'), async (store) => {
      let report: { missingFiles: MissingImageFile[] };
      if (format === 'coco') {
        const { timings: _timings, ...written } = await exportCocoFile(store, out, { imagesDir, onlyDone });
        report = written;
      } else if (format === 'refcoco') {
        report = await exportRefcoco(store, out, { imagesDir, onlyDone, dataset: values.dataset, splitBy: values['split-by'], splits, seed });
      } else {
        report = await (format === 'odvg' ? exportOdvg : exportQwenVl)(store, out, { imagesDir, onlyDone });
      }
      // Exported all the same (issue 16); the report lists them all (missingFiles), stderr says so in one line.
      if (report.missingFiles.length > 0) io.stderr(`egm export: written${missingFilesNote(report.missingFiles)}\n`);
      printJson(io, report);
    });
  },
};
