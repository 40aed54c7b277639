// A lock file per download target, so two runs (two CLI calls, or the app and
// the CLI) never write the same .part files. A lock left by a process that no
// longer exists is taken over.
import { readFile, rm, stat, writeFile } from 'node:fs/promises';

/**
 * An empty lock is one whose owner created it and has not written its pid yet
 * (writeFile 'wx' creates, then writes): held. Only one older than this is
 * taken over, as left by a process that died between the two steps.
 */
const EMPTY_LOCK_GRACE_MS = 10_000;

/** One download per model folder at a time: two writers would corrupt each other's .part files. */
export async function takeLock(path: string): Promise<{ release: () => Promise<void> }> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx' });
      return { release: () => rm(path, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // null when the lock went away since (its owner finished): taken over below.
      const text = await readFile(path, 'utf8').catch(() => null);
      if (text === '' && (await ageMs(path)) < EMPTY_LOCK_GRACE_MS) throw new Error(`another download into this folder is starting; lock ${path}`);
      const pid = Number(text ?? '');
      if (pid > 0 && pid !== process.pid && isAlive(pid)) throw new Error(`another download into this folder is running (pid ${pid}); lock ${path}`);
      if (pid === process.pid) throw new Error(`this process is already downloading into this folder; lock ${path}`);
      await rm(path, { force: true }); // left by a process that died: take it over
    }
  }
  throw new Error(`could not take the lock ${path}`);
}

async function ageMs(path: string): Promise<number> {
  return stat(path).then(
    (s) => Date.now() - s.mtimeMs,
    () => Infinity, // gone: nothing to wait for
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
