// The app's small settings file (<userData>/settings.json). Plain Node so tests
// cover it; written to a temp file then renamed so a crash never leaves half a file.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

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
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    const lastProject = (parsed as Record<string, unknown>).lastProject;
    return typeof lastProject === 'string' && lastProject.length > 0 ? { lastProject } : {};
  } catch (err) {
    onProblem(`settings: ${file} is unreadable, using defaults (${(err as Error).message})`);
    return {};
  }
}

export async function saveSettings(userDataDir: string, settings: AppSettings): Promise<void> {
  await mkdir(userDataDir, { recursive: true });
  const file = settingsPath(userDataDir);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(settings, null, 2)}\n`);
  await rename(temp, file);
}
