// The settings file and the startup choice (last project, else the sample),
// shared by Electron main and the e2e harness.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProjectSession } from '../../electron/handlers/session';
import { sampleProjectPath } from '../../electron/handlers/sample';
import { loadSettings, saveSettings, settingsPath } from '../../electron/settings/settings';
import { openStartupProject, rememberLastProject } from '../../electron/settings/startup';
import { SAMPLES_DIR } from './handlers-helpers';

let dir: string;
let session: ProjectSession;
let logged: string[];
const log = (message: string) => logged.push(message);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egm-settings-'));
  session = new ProjectSession();
  logged = [];
});
afterEach(async () => {
  session.close();
  await rm(dir, { recursive: true, force: true });
});

describe('settings file', () => {
  it('round-trips and starts empty', async () => {
    expect(await loadSettings(dir, log)).toEqual({});
    await saveSettings(join(dir, 'nested'), { lastProject: '/x/y.egm' });
    expect(await loadSettings(join(dir, 'nested'), log)).toEqual({ lastProject: '/x/y.egm' });
    expect(logged).toEqual([]);
  });

  it('reports a corrupt file and falls back to defaults', async () => {
    await writeFile(settingsPath(dir), '{"lastProject": ');
    expect(await loadSettings(dir, log)).toEqual({});
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^settings: .*settings\.json is unreadable, using defaults/);
  });
});

describe('startup project', () => {
  it('opens the sample on first launch and remembers each project opened', async () => {
    const remembered = rememberLastProject(session, dir, log);
    await openStartupProject(session, SAMPLES_DIR, dir, log);
    expect(session.current?.path).toBe(sampleProjectPath(dir));
    session.open(join(dir, 'mine.egm'), { create: true });
    await remembered.flush();
    expect(JSON.parse(await readFile(settingsPath(dir), 'utf8'))).toEqual({ lastProject: join(dir, 'mine.egm') });

    const next = new ProjectSession();
    await openStartupProject(next, SAMPLES_DIR, dir, log);
    expect(next.current?.path).toBe(join(dir, 'mine.egm'));
    next.close();
    expect(logged).toEqual([]);
  });

  it('opens the sample, saying why, when the settings file cannot be read at all', async () => {
    await mkdir(settingsPath(dir)); // reading a folder fails with EISDIR, as EACCES would
    await openStartupProject(session, SAMPLES_DIR, dir, log);
    expect(session.current?.path).toBe(sampleProjectPath(dir));
    expect(logged).toEqual([expect.stringMatching(/settings\.json: cannot read settings \(EISDIR.*opening the sample project$/)]);
  });

  it('falls back to the sample when the last project is gone or broken', async () => {
    await saveSettings(dir, { lastProject: join(dir, 'deleted.egm') });
    await openStartupProject(session, SAMPLES_DIR, dir, log);
    expect(session.current?.path).toBe(sampleProjectPath(dir));
    session.close();

    await writeFile(join(dir, 'broken.egm'), 'not a database, just text that is long enough to not be empty');
    await saveSettings(dir, { lastProject: join(dir, 'broken.egm') });
    await openStartupProject(session, SAMPLES_DIR, dir, log);
    expect(session.current?.path).toBe(sampleProjectPath(dir));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^egm: cannot reopen .*broken\.egm .*opening the sample project$/);
  });
});
