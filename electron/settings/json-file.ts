// Reading and writing the small per-user JSON files (settings.json,
// grounding.json) the same way: a missing file is "nothing saved yet", a file
// that is not a JSON object is reported and read as nothing (never silently
// reset), and a write replaces the whole file atomically.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../coco/atomic-write';
import { oneLine } from '@core/errors';

/**
 * The file's top-level JSON object; undefined when the file does not exist or
 * is not a JSON object (then onUnreadable gets the parser's reason). Any other
 * read failure throws one line naming the file and `what` it holds.
 */
export async function readJsonObject(
  file: string,
  what: string,
  onUnreadable: (reason: string) => void,
): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${file}: cannot read ${what} (${oneLine(err)})`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  } catch (err) {
    onUnreadable(oneLine(err));
    return undefined;
  }
}

/** Writes value as indented JSON, creating the folder; a crash leaves the old file or the new one, never half. */
export async function writeJsonFile(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}
