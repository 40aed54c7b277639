// What the app shows first and how it remembers it, shared by Electron main and
// the e2e harness so both start the same way: the last opened project when it
// still exists and opens, else the sample project (created on first launch).
import { existsSync } from 'node:fs';
import type { ProjectSession } from '../handlers/session';
import { openSampleProject } from '../handlers/sample';
import { oneLine } from '@core/errors';
import { loadSettings, saveSettings, type AppSettings } from './settings';

export type Log = (message: string) => void;

/** Opens the first project; a failure is logged (the window still opens, on the empty state), never thrown. */
export async function openStartupProject(session: ProjectSession, samplesDir: string, userDataDir: string, log: Log): Promise<void> {
  // An unreadable settings file (permissions) must not keep the window from opening.
  const { lastProject } = await loadSettings(userDataDir, log).catch((err: unknown) => {
    log(`egm: ${oneLine(err)}; opening the sample project`);
    return {} as AppSettings;
  });
  if (lastProject && existsSync(lastProject)) {
    try {
      session.open(lastProject, { create: false });
      return;
    } catch (err) {
      log(`egm: cannot reopen ${lastProject} (${oneLine(err)}); opening the sample project`);
    }
  }
  try {
    await openSampleProject(session, samplesDir, userDataDir);
  } catch (err) {
    log(`egm: cannot open the sample project (${oneLine(err)})`);
  }
}

/**
 * Saves the path of every project opened, for the next launch. Saves run one
 * after another, so the project opened last is the one on disk; flush() waits
 * for the last save.
 */
export function rememberLastProject(session: ProjectSession, userDataDir: string, log: Log): { stop(): void; flush(): Promise<void> } {
  let queue = Promise.resolve();
  const stop = session.onChange((store) => {
    if (!store) return;
    const path = store.path;
    queue = queue.then(() => saveSettings(userDataDir, { lastProject: path })).catch((err: unknown) => log(`settings: cannot save (${oneLine(err)})`));
  });
  return { stop, flush: () => queue };
}
