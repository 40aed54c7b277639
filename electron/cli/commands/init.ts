// egm init <project.egm> [--images <dir>]: creates a project file and, with
// --images, adds the images found in that folder (recursively).
import { existsSync, rmSync } from 'node:fs';
import { CliError, printJson, type CliCommand } from '../command';
import { CLI_BUSY_TIMEOUT_MS, parseCommandArgs, progressPrinter, resolvePath, usageError, withStore } from '../common';
import { addImagesToStore } from '../../images/collect';
import { openProjectStore } from '../../store/project-store';

const USAGE = 'init <project.egm> [--images <dir>]';

export const initCommand: CliCommand = {
  name: 'init',
  usage: [USAGE],
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { images: { type: 'string' } }, USAGE);
    if (positionals.length !== 1) throw usageError(USAGE, `expected one project file, got ${positionals.length}`);
    const file = resolvePath(io, positionals[0]!);
    // Never touch an existing file: init on the wrong path must not damage anything.
    if (existsSync(file)) throw new CliError(`${file}: already exists (open it with egm add-images/import, or choose another name)`);
    const imagesDir = values.images === undefined ? undefined : resolvePath(io, values.images);
    if (imagesDir !== undefined && !existsSync(imagesDir)) throw new CliError(`${imagesDir}: images folder not found`);
    try {
      await withStore(openProjectStore(file, { create: true, busyTimeoutMs: CLI_BUSY_TIMEOUT_MS, who: 'egm init' }), async (store) => {
        const result = imagesDir
          ? await addImagesToStore(store, [imagesDir], { onProgress: progressPrinter(io, 'probed images') })
          : { added: [], skipped: [] };
        printJson(io, { project: store.info(), added: result.added.length, skipped: result.skipped });
      });
    } catch (err) {
      // A failed init leaves no project behind: the user re-runs the same command.
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      throw err;
    }
  },
};
