// egm import <project.egm> --coco <file.json> [--images <dir>]: all or nothing;
// a file that cannot be imported fails with one line and changes nothing,
// annotations that cannot be imported are listed in `skipped` with where and why.
import { printJson, type CliCommand } from '../command';
import { openExistingProject, parseCommandArgs, progressPrinter, resolvePath, usageError, withStore } from '../common';
import { importCocoFile } from '../../coco/import';

const USAGE = 'import <project.egm> --coco <file.json> [--images <dir>]';

export const importCommand: CliCommand = {
  name: 'import',
  usage: [USAGE],
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { coco: { type: 'string' }, images: { type: 'string' } }, USAGE);
    if (positionals.length !== 1) throw usageError(USAGE, `expected one project file, got ${positionals.length}`);
    if (!values.coco) throw usageError(USAGE, '--coco <file.json> is required');
    const coco = resolvePath(io, values.coco);
    const imagesDir = values.images === undefined ? undefined : resolvePath(io, values.images);
    await withStore(openExistingProject(io, positionals[0]!), async (store) => {
      const report = await importCocoFile(store, coco, { imagesDir, onProgress: progressPrinter(io, 'probed images') });
      for (const warning of report.warnings) io.stderr(`warning: ${warning}\n`);
      printJson(io, { project: store.info(), ...report });
    });
  },
};
