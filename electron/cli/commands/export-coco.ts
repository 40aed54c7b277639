// egm export <project.egm> --coco <out.json> [--images <dir>]: writes the COCO
// file atomically; file_name values are relative to --images (default: the
// folder of out.json, which is also what `egm import` assumes by default).
import { printJson, type CliCommand } from '../command';
import { openExistingProject, parseCommandArgs, usageError, resolvePath, withStore } from '../common';
import { exportCocoFile } from '../../coco/export';

const USAGE = 'export <project.egm> --coco <out.json> [--images <dir>]';

export const exportCommand: CliCommand = {
  name: 'export',
  usage: [USAGE],
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { coco: { type: 'string' }, images: { type: 'string' } }, USAGE);
    if (positionals.length !== 1) throw usageError(USAGE, `expected one project file, got ${positionals.length}`);
    if (!values.coco) throw usageError(USAGE, '--coco <out.json> is required');
    const out = resolvePath(io, values.coco);
    const imagesDir = values.images === undefined ? undefined : resolvePath(io, values.images);
    await withStore(openExistingProject(io, positionals[0]!, 'egm export'), async (store) => {
      const { timings: _timings, ...report } = await exportCocoFile(store, out, { imagesDir });
      printJson(io, report);
    });
  },
};
