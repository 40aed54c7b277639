// egm remove-images <project.egm> <id-or-file-name>...: removes images from the
// project with their annotations and proposals (one transaction; the files on
// disk are never touched). An image is named by its project id or by its file
// name (as listed, e.g. "IMG_0001.jpg", or its path as stored in the project);
// a name several images share, or one no image has, fails the command with the
// reason and nothing is removed.
import { CliError, printJson, type CliCommand } from '../command';
import { openExistingProject, parseCommandArgs, usageError, withStore } from '../common';
import type { ImageRecord } from '@core/types';
import { removeImages } from '../../store/remove-images';

const USAGE = 'remove-images <project.egm> <id-or-file-name>...';

/** The project id each argument names (a positive integer is an id; anything else a file name or stored path). */
function resolveImageArgs(images: readonly ImageRecord[], args: readonly string[]): number[] {
  const ids = new Set(images.map((image) => image.id));
  const byName = new Map<string, number[]>();
  for (const image of images) {
    for (const key of new Set([image.fileName, image.path])) byName.set(key, [...(byName.get(key) ?? []), image.id]);
  }
  return args.map((arg) => {
    if (/^[1-9][0-9]{0,15}$/.test(arg)) {
      if (!ids.has(Number(arg))) throw new CliError(`no image with id ${arg} in the project; nothing was removed`);
      return Number(arg);
    }
    const found = byName.get(arg) ?? [];
    if (found.length === 0) throw new CliError(`no image named '${arg}' in the project; nothing was removed`);
    if (found.length > 1) throw new CliError(`'${arg}' names ${found.length} images (ids ${found.join(', ')}); name one by id or by its stored path; nothing was removed`);
    return found[0]!;
  });
}

export const removeImagesCommand: CliCommand = {
  name: 'remove-images',
  usage: [USAGE],
  async run(args, io) {
    const { positionals } = parseCommandArgs(args, {}, USAGE);
    if (positionals.length < 2) throw usageError(USAGE, 'expected a project file and at least one image id or file name');
    const [project, ...names] = positionals as [string, ...string[]];
    await withStore(openExistingProject(io, project, 'egm remove-images'), async (store) => {
      const ids = resolveImageArgs(store.listImages(), names);
      const { removed, annotations, proposals } = removeImages(store, ids);
      printJson(io, { project: store.info(), removed, annotations, proposals, ids: [...new Set(ids)] });
    });
  },
};
