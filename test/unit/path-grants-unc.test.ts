// Issue 8, finding 9: a path from the renderer that nobody granted is refused
// by name, before any realpath: on Windows, resolving a UNC path
// (\\host\share\...) would already open a connection to that host.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, win32 } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const resolved = vi.hoisted(() => [] as string[]);
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    realpath: async (path: Parameters<typeof real.realpath>[0]) => {
      resolved.push(String(path));
      return real.realpath(path);
    },
  };
});

const { PathGrants, canonicalPathSync } = await import('../../electron/handlers/path-grants');

let dir: string;
beforeEach(async () => {
  dir = canonicalPathSync(await mkdtemp(join(tmpdir(), 'egm-grants-unc-')));
  resolved.length = 0;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('path grants: nothing is resolved before a path matches a grant by name', () => {
  it('refuses an ungranted path without calling realpath on it', async () => {
    const images = join(dir, 'images');
    await mkdir(images);
    const grants = new PathGrants();
    grants.grantTree('images', images);
    await expect(grants.check('images', 'paths', join(dir, 'evil-host', 'share', 'x.png'))).rejects.toThrow(/^paths was not chosen in a dialog: .*evil-host.*x\.png$/);
    expect(resolved.filter((p) => p.includes('evil-host'))).toEqual([]);
    // A granted path is still resolved (a link inside the folder must not lead out).
    await expect(grants.check('images', 'paths', join(images, 'a.png'))).resolves.toBeUndefined();
    expect(resolved.some((p) => p.startsWith(images))).toBe(true);
  });

  it('Windows: a UNC or device path is refused without touching the file system; granted drive paths match in any case', async () => {
    const touched: string[] = [];
    const identity = (path: string) => {
      touched.push(path);
      return path;
    };
    const grants = new PathGrants({ path: win32, realpath: async (path) => identity(path), realpathSync: identity });
    grants.grantTree('images', 'C:\\data\\images');
    grants.grantFile('coco-import', 'C:\\data\\in.json');
    touched.length = 0;
    for (const path of ['\\\\evil-host\\share\\x.jpg', '//evil-host/share/x.jpg', '\\\\?\\UNC\\evil-host\\share\\x.jpg', '\\\\.\\pipe\\evil-host', 'C:\\data\\images-2\\x.jpg', 'C:\\data\\images\\..\\secret.jpg']) {
      await expect(grants.check('images', 'paths', path), path).rejects.toThrow(/was not chosen in a dialog/);
    }
    await expect(grants.check('coco-import', 'path', '\\\\evil-host\\data\\in.json')).rejects.toThrow(/was not chosen in a dialog/);
    expect(touched).toEqual([]);

    await expect(grants.check('images', 'paths', ['C:\\data\\images\\a.jpg', 'c:\\DATA\\Images\\sub\\b.jpg'])).resolves.toBeUndefined();
    await expect(grants.check('coco-import', 'path', 'c:\\data\\IN.json')).resolves.toBeUndefined();
    expect(touched.length).toBeGreaterThan(0);
  });

  it('Windows: a UNC folder the user chose in a dialog is admitted', async () => {
    const grants = new PathGrants({ path: win32, realpath: async (path) => path, realpathSync: (path) => path });
    grants.grantTree('images', '\\\\nas\\photos');
    await expect(grants.check('images', 'paths', '\\\\nas\\photos\\2024\\a.jpg')).resolves.toBeUndefined();
    await expect(grants.check('images', 'paths', '\\\\nas\\other\\a.jpg')).rejects.toThrow(/was not chosen in a dialog/);
  });
});
