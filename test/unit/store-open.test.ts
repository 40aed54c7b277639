// Opening a project (issue 8, findings 3 and 13): FULL durability by default,
// the schema version checked before anything is written, a damaged file
// refused at open with quick_check's reason, and a project that cannot be
// written opened read-only (edits refused with the reason) instead of failing.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, closeSync, writeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../electron/store/migrations';
import { openProjectStore, sqliteOf } from '../../electron/store/project-store';
import { annotationInput, tempDir } from '../helpers/store-temp';

const ROOT = join(__dirname, '..', '..');
const CHILD = join(ROOT, 'test', 'helpers', 'store-readonly-child.ts');

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => {
  chmodSync(tmp.dir, 0o755);
  for (const sub of ['ro', 'rofile']) if (existsSync(join(tmp.dir, sub))) chmodSync(join(tmp.dir, sub), 0o755);
  tmp.cleanup();
});

/** A project with one image (on disk) and `boxes` annotations, closed. */
function makeProject(file: string, boxes = 3): void {
  const image = join(tmp.dir, 'a.jpg');
  writeFileSync(image, 'x');
  const store = openProjectStore(file, { create: true });
  const [added] = store.addImages([{ absolutePath: image, width: 640, height: 480, orientation: 1 }]).added;
  store.transaction(() => {
    for (let i = 0; i < boxes; i++) store.createAnnotation(annotationInput(added!.id, { phrase: `object ${i} ${'x'.repeat(100)}` }));
  });
  store.close();
}

/** Bytes 18-19 of an SQLite header: 1 = rollback journal, 2 = WAL. */
const journalBytes = (file: string) => [...readFileSync(file).subarray(18, 20)];

describe('opening a project: durability', () => {
  it('commits with synchronous=FULL unless NORMAL is asked for', () => {
    const file = join(tmp.dir, 'p.egm');
    const store = openProjectStore(file, { create: true });
    expect(sqliteOf(store).pragma('synchronous', { simple: true })).toBe(2); // FULL
    store.close();
    const normal = openProjectStore(file, { synchronous: 'NORMAL' });
    expect(sqliteOf(normal).pragma('synchronous', { simple: true })).toBe(1);
    normal.close();
  });
});

describe('opening a project: checks before any change', () => {
  it('refuses a project from a newer schema without switching it to WAL or writing anything', () => {
    const file = join(tmp.dir, 'newer.egm');
    makeProject(file);
    const db = new Database(file);
    db.pragma('journal_mode = DELETE');
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = readFileSync(file);
    expect(journalBytes(file)).toEqual([1, 1]);

    expect(() => openProjectStore(file)).toThrow(`${file}: project schema version ${SCHEMA_VERSION + 1} is newer than this app supports (${SCHEMA_VERSION}); update EGM Annotator`);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(journalBytes(file)).toEqual([1, 1]);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a damaged project at open with quick_check\'s finding, in one line', () => {
    const file = join(tmp.dir, 'damaged.egm');
    makeProject(file, 400);
    const db = new Database(file, { readonly: true });
    const root = db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'annotations'").pluck().get() as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    // Overwrite the annotations table's root page header: opening never reads
    // that table, so without quick_check the damage would surface on first use.
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(16, 0xff), 0, 16, (root - 1) * pageSize);
    closeSync(fd);

    let message = '';
    try {
      openProjectStore(file).close();
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(new RegExp(`^${escape(file)}: project file is damaged \\(quick_check: .+\\); restore it from a backup$`));
    expect(message).not.toContain('\n');
  });
});

// Root writes anything whatever the mode bits say, so the child runs as `nobody` there.
const asUnprivileged = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
const canDropRoot = asUnprivileged.length === 0 || spawnSync('setpriv', ['--version']).status === 0;

function openInChild(file: string): Record<string, unknown> {
  const command = [...asUnprivileged, process.execPath, '--import', 'tsx', CHILD, file];
  const run = spawnSync(command[0]!, command.slice(1), { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`read-only child failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

describe.skipIf(!canDropRoot)('opening a project that cannot be written', () => {
  it('opens a read-only project file read-only: data readable, edits refused with the reason', () => {
    const folder = join(tmp.dir, 'rofile');
    mkdirSync(folder);
    const file = join(folder, 'p.egm');
    makeProject(file);
    chmodSync(tmp.dir, 0o755);
    chmodSync(folder, 0o777);
    chmodSync(file, 0o444);
    const result = openInChild(file);
    expect(result).toMatchObject({ images: 1, annotations: 3, info: { readOnly: 'the project file is read-only', annotationCount: 3 } });
    expect(result.editError).toBe(`${file}: project is open read-only (the project file is read-only); nothing was changed`);
  });

  it('opens a project in a read-only folder from a copy in memory (no -shm can be made there)', () => {
    const folder = join(tmp.dir, 'ro');
    mkdirSync(folder);
    const file = join(folder, 'p.egm');
    makeProject(file);
    chmodSync(tmp.dir, 0o755);
    chmodSync(folder, 0o555);
    const result = openInChild(file);
    expect(result).toMatchObject({ images: 1, annotations: 3, info: { readOnly: `its folder ${folder} is read-only`, missingCount: 0 } });
    expect(result.editError).toMatch(/project is open read-only \(its folder .* is read-only\); nothing was changed$/);
    expect(existsSync(`${file}-shm`)).toBe(false);
  });

  it('refuses a read-only folder whose -wal holds changes a copy would miss, saying so', () => {
    const folder = join(tmp.dir, 'ro');
    mkdirSync(folder);
    const source = join(tmp.dir, 'live.egm');
    makeProject(source);
    const live = openProjectStore(source);
    live.createAnnotation(annotationInput(live.listImages()[0]!.id));
    // Copied while open: the last edit is only in the -wal file.
    copyFileSync(source, join(folder, 'p.egm'));
    copyFileSync(`${source}-wal`, join(folder, 'p.egm-wal'));
    live.close();
    chmodSync(tmp.dir, 0o755);
    chmodSync(folder, 0o555);
    const result = openInChild(join(folder, 'p.egm'));
    expect(result.openError).toMatch(/p\.egm: cannot open project: its folder .* is read-only, and its journal .*p\.egm-wal holds changes that cannot be read there; copy the project with its -wal file to a writable folder$/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
