// Schema versions and file identity: old files are upgraded in place with their
// data, newer or foreign files are refused with a one-line error naming them.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EGM_APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, migrate } from '../../electron/store/migrations';
import { openProjectStore } from '../../electron/store/project-store';
import { tempDir } from '../helpers/store-temp';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('schema migrations', () => {
  it('lists versions 1..n in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('upgrades a version-1 file to the latest version and keeps its data', () => {
    const file = join(tmp.dir, 'old.egm');
    const db = new Database(file);
    expect(migrate(db, file, 1)).toBe(1);
    db.exec(`INSERT INTO images (path, file_name, width, height) VALUES ('a.jpg', 'a.jpg', 40, 30);
      INSERT INTO categories (name) VALUES ('lime');
      INSERT INTO annotations (image_id, category_id, phrase, x1, y1, x2, y2, source, reviewed, color, created_at, updated_at)
      VALUES (1, 1, 'the lime', 1, 2, 3, 4, 'manual', 0, '#e6194b', 5, 6);`);
    db.close();

    const store = openProjectStore(file);
    expect(store.info().schemaVersion).toBe(SCHEMA_VERSION);
    expect(store.listCategories()).toEqual([{ id: 1, name: 'lime' }]);
    expect(store.listImages()[0]).toMatchObject({ path: 'a.jpg', annotationCount: 1, unreviewedCount: 1, missing: true });
    expect(store.allAnnotations()[0]).toMatchObject({ id: 1, phrase: 'the lime', visible: [1, 2, 3, 4], createdAt: 5 });
    store.close();

    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(check.pragma('application_id', { simple: true })).toBe(EGM_APPLICATION_ID);
    const indexes = check.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'annotations'").pluck().all();
    expect(indexes).toContain('annotations_by_image_reviewed');
    check.close();
  });

  it('refuses a project written by a newer version', () => {
    const file = join(tmp.dir, 'new.egm');
    openProjectStore(file, { create: true }).close();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openProjectStore(file)).toThrow(`${file}: project schema version ${SCHEMA_VERSION + 1} is newer than this app supports`);
  });
});

describe('opening files that are not projects', () => {
  it('names the file in a one-line error and leaves a foreign file untouched', () => {
    const text = join(tmp.dir, 'notes.egm');
    writeFileSync(text, 'just some text, long enough to not look like an empty file at all'.repeat(10));
    expect(() => openProjectStore(text)).toThrow(`${text}: not an EGM project (not an SQLite database)`);
    expect(() => openProjectStore(text, { create: true })).toThrow(`${text}: not an EGM project`);

    const foreign = join(tmp.dir, 'other.sqlite');
    const db = new Database(foreign);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(() => openProjectStore(foreign, { create: true })).toThrow(`${foreign}: not an EGM project (an SQLite database of another application)`);
    const again = new Database(foreign, { readonly: true });
    expect(again.pragma('journal_mode', { simple: true })).toBe('delete'); // not switched to WAL
    again.close();

    const empty = join(tmp.dir, 'empty.egm');
    writeFileSync(empty, '');
    expect(() => openProjectStore(empty)).toThrow(`${empty}: not an EGM project (empty file)`);
    expect(() => openProjectStore(join(tmp.dir, 'absent.egm'))).toThrow(`${join(tmp.dir, 'absent.egm')}: project file not found`);
    expect(() => openProjectStore(tmp.dir)).toThrow(`${tmp.dir}: is a folder`);
    for (const path of [text, foreign, empty]) {
      try {
        openProjectStore(path);
      } catch (err) {
        expect((err as Error).message).not.toContain('\n');
      }
    }
  });

  it('opens an existing project when asked to create it, without losing data', () => {
    const file = join(tmp.dir, 'p.egm');
    const first = openProjectStore(file, { create: true });
    first.ensureCategory('lime');
    first.close();
    const second = openProjectStore(file, { create: true });
    expect(second.listCategories()).toEqual([{ id: 1, name: 'lime' }]);
    second.close();
  });
});

describe('native binding option', () => {
  it('loads the binding given (as the Electron app does with its own ABI build)', () => {
    const binding = join(dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
    const store = openProjectStore(join(tmp.dir, 'native.egm'), { create: true, nativeBinding: binding });
    expect(store.ensureCategory('lime').id).toBe(1);
    store.close();
  });

  it('passes nativeBinding to better-sqlite3 and names the project when it cannot load', () => {
    const file = join(tmp.dir, 'p.egm');
    const binding = join(tmp.dir, 'no-such-better_sqlite3.node');
    expect(() => openProjectStore(file, { create: true, nativeBinding: binding })).toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot open project \\(.*no-such-better_sqlite3\\.node`));
  });
});
