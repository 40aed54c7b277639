// Durable file moves for model installs: a file's bytes are fsynced before the
// rename that makes it count, and the folder holding the new name is fsynced
// after, so a power cut leaves the old state or the new one, never a complete
// looking file with missing bytes (ext4 and most file systems order neither
// for us).
import { open, rename, writeFile } from 'node:fs/promises';

/** fsyncs a file's data and metadata. */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * fsyncs a folder, so the names created, removed or renamed in it are on disk.
 * Windows cannot open a folder for this (and makes renames durable in NTFS's
 * own journal), so there it does nothing.
 */
export async function syncDir(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** rename, then fsync the destination's folder (and the source's, when it differs). */
export async function renameDurably(from: string, to: string, fromDir: string, toDir: string): Promise<void> {
  await rename(from, to);
  await syncDir(toDir);
  if (fromDir !== toDir) await syncDir(fromDir);
}

/** Writes text to a temporary file, fsyncs it, renames it over `path` and fsyncs the folder. */
export async function writeFileDurably(path: string, dir: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text);
  await syncFile(tmp);
  await renameDurably(tmp, path, dir, dir);
}
