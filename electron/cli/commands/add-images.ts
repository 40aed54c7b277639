// egm add-images <project.egm> <dir-or-files...>: adds image files (folders are
// walked recursively); every file not added is listed in `skipped` with why.
import { printJson, type CliCommand } from '../command';
import { openExistingProject, parseCommandArgs, progressPrinter, resolvePath, usageError, withStore } from '../common';
import { addImagesToStore } from '../../images/collect';

const USAGE = 'add-images <project.egm> <dir-or-files...>';

export const addImagesCommand: CliCommand = {
  name: 'add-images',
  usage: [USAGE],
  async run(args, io) {
    const { positionals } = parseCommandArgs(args, {}, USAGE);
    if (positionals.length < 2) throw usageError(USAGE, 'expected a project file and at least one folder or image');
    const [project, ...inputs] = positionals as [string, ...string[]];
    await withStore(openExistingProject(io, project, 'egm add-images'), async (store) => {
      const result = await addImagesToStore(
        store,
        inputs.map((input) => resolvePath(io, input)),
        { onProgress: progressPrinter(io, 'probed images') },
      );
      printJson(io, { project: store.info(), added: result.added.length, skipped: result.skipped });
    });
  },
};
