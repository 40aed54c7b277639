// What the `egm` sub-commands share: strict argument parsing with one-line
// usage errors, paths resolved against
// the caller's cwd (tests run the CLI in-process with their own cwd), opening
// a project with a message that says what to do, and throttled progress lines.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, UsageError, type CliIo } from './command';
import { oneLine } from '@core/errors';
import type { ProjectStore } from '../store/api';
import { openProjectStore } from '../store/project-store';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A usage mistake: the reason, then the command's usage line, so the fix is on screen. */
export function usageError(usage: string, message: string): UsageError {
  return new UsageError(`${message} (usage: egm ${usage})`);
}

export function parseCommandArgs<O extends Options>(args: string[], options: O, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    // Node's messages are already one line ("Unknown option '--x'"); add the usage.
    throw usageError(usage, oneLine(err));
  }
}

export function resolvePath(io: CliIo, path: string): string {
  return resolve(io.cwd, path);
}

/**
 * How long a CLI write waits for another process's write lock (the app, another
 * `egm`) before failing with the holder's name. Longer than the app's 5 s: no
 * window freezes while a script waits, and an import may hold the lock a while.
 */
export const CLI_BUSY_TIMEOUT_MS = 30_000;

/** Opens a project for a sub-command; `who` ("egm import") names this process to a writer kept waiting. */
export function openExistingProject(io: CliIo, path: string, who = 'egm'): ProjectStore {
  const file = resolvePath(io, path);
  if (!existsSync(file)) throw new CliError(`${file}: project not found (create it with: egm init ${path})`);
  return openProjectStore(file, { create: false, busyTimeoutMs: CLI_BUSY_TIMEOUT_MS, who });
}

/** Progress lines on stderr at most every `everyMs`, and always the last one. */
export function progressPrinter(io: CliIo, verb: string, everyMs = 500) {
  let last = 0;
  return ({ done, total }: { done: number; total: number }) => {
    const now = Date.now();
    if (done < total && now - last < everyMs) return;
    last = now;
    io.stderr(`${verb} ${done}/${total}\n`);
  };
}

/** Closes the store whatever happens: an open WAL handle would keep the -wal file around. */
export async function withStore<T>(store: ProjectStore, fn: (store: ProjectStore) => Promise<T>): Promise<T> {
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}
