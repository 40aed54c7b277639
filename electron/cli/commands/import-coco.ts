// egm import <project.egm> --coco <file.json> [--images <dir>] [--allow-outside-images]:
// all or nothing; a file that cannot be imported fails with one line and
// changes nothing, annotations that cannot be imported are listed in `skipped`
// with where and why; boxes the project already has (the file imported
// before) are counted in `duplicates` and not added again. The file's image,
// category and annotation ids are kept where free. Image files outside the images folder (`../`, absolute
// file_name values) are skipped unless --allow-outside-images; those read
// anyway are listed in `outside`.
import { printJson, type CliCommand } from '../command';
import { openExistingProject, parseCommandArgs, progressPrinter, resolvePath, usageError, withStore } from '../common';
import { importCocoFile } from '../../coco/import';

const USAGE = 'import <project.egm> --coco <file.json> [--images <dir>] [--allow-outside-images]';

export const importCommand: CliCommand = {
  name: 'import',
  usage: [USAGE],
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { coco: { type: 'string' }, images: { type: 'string' }, 'allow-outside-images': { type: 'boolean' } }, USAGE);
    if (positionals.length !== 1) throw usageError(USAGE, `expected one project file, got ${positionals.length}`);
    if (!values.coco) throw usageError(USAGE, '--coco <file.json> is required');
    const coco = resolvePath(io, values.coco);
    const imagesDir = values.images === undefined ? undefined : resolvePath(io, values.images);
    await withStore(openExistingProject(io, positionals[0]!, 'egm import'), async (store) => {
      const allowOutside = values['allow-outside-images'] === true;
      const report = await importCocoFile(store, coco, { imagesDir, allowOutside, onProgress: progressPrinter(io, 'probed images') });
      for (const warning of report.warnings) io.stderr(`warning: ${warning}\n`);
      if (report.duplicates > 0) io.stderr(`warning: ${report.duplicates} annotation(s) already in the project (same image, box, category and phrase: imported before); not added again\n`);
      if (report.outside.length > 0) io.stderr(`warning: read ${report.outside.length} image file(s) outside the images folder (--allow-outside-images), e.g. ${report.outside[0]}\n`);
      printJson(io, { project: store.info(), ...report });
    });
  },
};
