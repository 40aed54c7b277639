// egm import <project.egm> --coco <file.json> [--images <dir>]: all or nothing;
// a file that cannot be imported fails with one line and changes nothing,
// annotations that cannot be imported are listed in `skipped` with where and why.
import { UsageError, printJson, type CliCommand } from '../command';
import { openExistingProject, parseCommandArgs, progressPrinter, resolvePath, withStore } from '../../coco/cli-common';
import { importCocoFile } from '../../coco/import';

const USAGE = 'import <project.egm> --coco <file.json> [--images <dir>]';

export const importCommand: CliCommand = {
  name: 'import',
  usage: [USAGE],
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { coco: { type: 'string' }, images: { type: 'string' } }, USAGE);
    if (positionals.length !== 1) throw new UsageError(`expected one project file, got ${positionals.length} (usage: egm ${USAGE})`);
    if (!values.coco) throw new UsageError(`--coco <file.json> is required (usage: egm ${USAGE})`);
    const coco = resolvePath(io, values.coco);
    const imagesDir = values.images === undefined ? undefined : resolvePath(io, values.images);
    await withStore(openExistingProject(io, positionals[0]!), async (store) => {
      const report = await importCocoFile(store, coco, { imagesDir, onProgress: progressPrinter(io, 'probed images') });
      for (const warning of report.warnings) io.stderr(`warning: ${warning}\n`);
      printJson(io, { project: store.info(), ...report });
    });
  },
};
