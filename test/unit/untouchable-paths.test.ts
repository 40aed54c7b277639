// Network (UNC) and device paths named by a project file are never touched
// (issue 16, security second round): opening a shared project stat-ed every
// stored image path, and on Windows a `\\host\share` path makes the machine
// contact that host. Classified by form (every form Windows takes), then a
// real project holding such paths is opened, listed, served and queried while
// every node:fs call is recorded: none may name the host.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { untouchablePathReason } from '../../electron/paths/untouchable';

// Every file-system call of the modules under test is recorded (their path arguments).
const { touched, spy } = vi.hoisted(() => {
  const touched: string[] = [];
  const spy = <F extends (...args: never[]) => unknown>(f: F) =>
    ((...args: Parameters<F>) => {
      if (typeof args[0] === 'string') touched.push(args[0]);
      return f(...args);
    }) as unknown as F;
  return { touched, spy };
});
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const wrapped = { ...fs, existsSync: spy(fs.existsSync), statSync: spy(fs.statSync), lstatSync: spy(fs.lstatSync), openSync: spy(fs.openSync), readFileSync: spy(fs.readFileSync), realpathSync: spy(fs.realpathSync) };
  return { ...wrapped, default: wrapped };
});
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const wrapped = { ...fs, stat: spy(fs.stat), lstat: spy(fs.lstat), open: spy(fs.open), readFile: spy(fs.readFile), realpath: spy(fs.realpath), access: spy(fs.access) };
  return { ...wrapped, default: wrapped };
});

describe('untouchablePathReason: by form alone', () => {
  const UNC = [
    '\\\\evilhost\\share\\a.jpg',
    '//evilhost/share/a.jpg',
    '/\\evilhost\\share\\a.jpg',
    '\\/evilhost/share/a.jpg',
    '\\\\evilhost',
    '\\\\?\\UNC\\evilhost\\share\\a.jpg',
    '\\\\.\\UNC\\evilhost\\share\\a.jpg',
    '//?/unc/evilhost/share/a.jpg',
  ];
  const DEVICE = ['\\\\?\\C:\\images\\a.jpg', '\\\\.\\PhysicalDrive0', '\\\\.\\pipe\\egm', '\\\\?\\GLOBALROOT\\Device\\Mup\\evilhost\\a.jpg', '\\??\\C:\\a.jpg', '\\??\\UNC\\evilhost\\share\\a.jpg'];
  const FINE = ['C:\\images\\a.jpg', 'C:/images/a.jpg', 'images/a.jpg', 'a.jpg', '/home/me/a.jpg', '\\images\\a.jpg', 'C:a.jpg', '../a.jpg'];

  it.each(UNC)('%s is a network (UNC) path on every platform', (path) => {
    expect(untouchablePathReason(path, 'win32')).toBe('a network (UNC) path');
    expect(untouchablePathReason(path, 'linux')).toBe('a network (UNC) path');
  });
  it.each(DEVICE)('%s is a device path', (path) => {
    expect(untouchablePathReason(path, 'win32')).toMatch(/^a Windows device path/);
    expect(untouchablePathReason(path, 'darwin')).toMatch(/^a Windows device path/);
  });
  it.each(FINE)('%s may be opened', (path) => {
    expect(untouchablePathReason(path, 'win32')).toBeNull();
    expect(untouchablePathReason(path, 'linux')).toBeNull();
  });
  it('reserved DOS device names are devices on Windows only', () => {
    for (const path of ['C:\\images\\con.jpg', 'NUL', 'images/COM1.png', 'lpt9', 'C:\\x\\CONIN$']) expect(untouchablePathReason(path, 'win32'), path).toBe('a Windows device name');
    for (const path of ['C:\\images\\console.jpg', 'images/com10.png', 'icon.jpg']) expect(untouchablePathReason(path, 'win32'), path).toBeNull();
    expect(untouchablePathReason('/home/me/con.jpg', 'linux')).toBeNull();
  });
});

describe('a shared project naming network paths', () => {
  let dir: string;
  let file: string;
  const HOSTILE = ['\\\\evilhost\\share\\a.jpg', '//evilhost/share/b.jpg', '\\\\?\\UNC\\evilhost\\share\\c.jpg', '\\\\.\\pipe\\evilpipe'];

  beforeAll(async () => {
    const { openProjectStore } = await import('../../electron/store/project-store');
    dir = mkdtempSync(join(tmpdir(), 'egm-unc-'));
    file = join(dir, 'shared.egm');
    writeFileSync(join(dir, 'local.jpg'), 'not really a jpeg');
    const store = openProjectStore(file, { create: true });
    store.addImages([{ absolutePath: join(dir, 'local.jpg'), width: 10, height: 10, orientation: 1 }, ...HOSTILE.map((_, i) => ({ absolutePath: join(dir, `x${i}.jpg`), width: 10, height: 10, orientation: 1 }))]);
    store.close();
    // As someone else's project would hold them: written straight into the file.
    const db = new Database(file);
    HOSTILE.forEach((path, i) => db.prepare('UPDATE images SET path = ? WHERE file_name = ?').run(path, `x${i}.jpg`));
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opening, listing and serving never touch them; they are missing with the reason', async () => {
    const { openProjectStore } = await import('../../electron/store/project-store');
    const { ImageServer, ServeError } = await import('../../electron/images/serve');
    touched.length = 0;
    const store = openProjectStore(file);
    try {
      const images = store.listImages();
      expect(images.map((i) => [i.fileName, i.missing])).toEqual([['local.jpg', false], ['x0.jpg', true], ['x1.jpg', true], ['x2.jpg', true], ['x3.jpg', true]]);
      expect(store.info().missingCount).toBe(4);
      expect(touched.filter((p) => /evilhost|evilpipe/i.test(p))).toEqual([]); // opening asked nothing of them
      const server = new ImageServer();
      for (const image of images.slice(1)) {
        expect(() => store.imageFilePath(image.id)).toThrow(/^image \d+: ".*" is a (network \(UNC\) path|Windows device path.*) named by the project file; it is not opened/);
        const served = await server.serve(store, image.id).catch((err: unknown) => err);
        expect(served).toBeInstanceOf(ServeError);
        expect((served as InstanceType<typeof ServeError>).status).toBe(404);
        expect((served as Error).message).toMatch(/is not opened/);
      }
      // Adding one is refused with the reason (a path the user gives is checked the same way).
      const { skipped } = store.addImages([{ absolutePath: '//evilhost/share/new.jpg', width: 10, height: 10, orientation: 1 }]);
      expect(skipped).toEqual([{ path: expect.any(String), reason: expect.stringMatching(/^a network \(UNC\) path: not added/) }]);
    } finally {
      store.close();
    }
    expect(touched.length).toBeGreaterThan(0); // the spy sees the store's own calls (the local image, the project)
    expect(touched.filter((p) => /evilhost|evilpipe/i.test(p))).toEqual([]);
  });
});
