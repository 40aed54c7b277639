// The app's small settings file (<userData>/settings.json). Plain Node so tests
// cover it; written atomically so a crash never leaves half a file.
import { join } from 'node:path';
import { readJsonObject, writeJsonFile } from './json-file';

export interface AppSettings {
  /** Absolute path of the project open when the app last closed or switched. */
  lastProject?: string;
}

export function settingsPath(userDataDir: string): string {
  return join(userDataDir, 'settings.json');
}

/** Missing file → {}; a corrupt file is reported (not silently reset) and treated as {}. */
export async function loadSettings(userDataDir: string, onProblem: (message: string) => void = console.error): Promise<AppSettings> {
  const file = settingsPath(userDataDir);
  const saved = await readJsonObject(file, 'settings', (reason) => onProblem(`settings: ${file} is unreadable, using defaults (${reason})`));
  const lastProject = saved?.lastProject;
  return typeof lastProject === 'string' && lastProject.length > 0 ? { lastProject } : {};
}

export async function saveSettings(userDataDir: string, settings: AppSettings): Promise<void> {
  await writeJsonFile(settingsPath(userDataDir), settings);
}
