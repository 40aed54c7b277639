// Writes a file so that a reader (or a crash) sees either the old file or the
// whole new one, never half of it: write a temporary file beside the target,
// flush it to disk, then rename it over the target (atomic on one filesystem).
import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { oneLine } from '@core/errors';

export async function writeFileAtomic(path: string, text: string | Uint8Array): Promise<void> {
  const folder = dirname(path);
  const folderInfo = await stat(folder).catch(() => undefined);
  if (!folderInfo?.isDirectory()) throw new Error(`${path}: cannot write, folder ${folder} does not exist`);
  const temp = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await (typeof text === 'string' ? handle.writeFile(text, 'utf8') : handle.writeFile(text));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`${path}: cannot write (${code ?? oneLine(err)})`);
  }
}
