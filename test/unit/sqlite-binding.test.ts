// EGM_SQLITE_BINDING names a native module to load: honoured in development
// (scripts/start.mjs), never in a packaged app (issue 16, security second
// round), which loads its own unpacked better-sqlite3.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sqliteBinding } from '../../electron/store/sqlite-binding';

describe('the SQLite native binding', () => {
  const env = { EGM_SQLITE_BINDING: '/tmp/someone-elses/better_sqlite3.node' };

  it('is taken from EGM_SQLITE_BINDING only when the app is not packaged', () => {
    expect(sqliteBinding(env, false)).toBe('/tmp/someone-elses/better_sqlite3.node');
    expect(sqliteBinding(env, true)).toBeUndefined();
    expect(sqliteBinding({ EGM_SQLITE_BINDING: '' }, false)).toBeUndefined();
    expect(sqliteBinding({}, false)).toBeUndefined();
  });

  it('Electron main reads it through that rule and nowhere else', () => {
    // main.ts imports 'electron' and cannot run here: its source is checked instead.
    const main = readFileSync(join(__dirname, '..', '..', 'electron', 'app', 'main.ts'), 'utf8');
    expect(main).toContain('sqliteBinding(process.env, app.isPackaged)');
    expect(main).not.toMatch(/process\.env\.EGM_SQLITE_BINDING|process\.env\[['"]EGM_SQLITE_BINDING/);
  });
});
