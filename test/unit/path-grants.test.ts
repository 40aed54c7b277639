// Path grants over real files and symlinks in a temp folder.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalPath, canonicalPathSync, PathGrants } from '../../electron/handlers/path-grants';

let dir: string;
let grants: PathGrants;

beforeEach(async () => {
  // Canonical, so expectations compare with realpath'd forms (macOS /var -> /private/var).
  dir = canonicalPathSync(await mkdtemp(join(tmpdir(), 'egm-grants-')));
  grants = new PathGrants();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('canonicalPath', () => {
  it('resolves .. and relative paths, and keeps a missing tail as named', async () => {
    await mkdir(join(dir, 'a'));
    expect(await canonicalPath(join(dir, 'a', '..', 'a', 'new', 'x.json'))).toBe(join(dir, 'a', 'new', 'x.json'));
    expect(await canonicalPath(relative(process.cwd(), join(dir, 'a')))).toBe(join(dir, 'a'));
    expect(canonicalPathSync(join(dir, 'a', '.', 'b'))).toBe(join(dir, 'a', 'b'));
  });

  it('resolves a link in an existing ancestor', async () => {
    await mkdir(join(dir, 'real'));
    await symlink(join(dir, 'real'), join(dir, 'link'));
    expect(await canonicalPath(join(dir, 'link', 'missing.json'))).toBe(join(dir, 'real', 'missing.json'));
  });
});

describe('PathGrants', () => {
  it('a file grant admits that exact path, for its purpose only', async () => {
    const out = join(dir, 'out.json');
    grants.grantFile('coco-export', out);
    expect(await grants.allows('coco-export', out)).toBe(true);
    expect(await grants.allows('coco-export', join(dir, 'other.json'))).toBe(false);
    expect(await grants.allows('coco-export', join(out, 'inside'))).toBe(false);
    expect(await grants.allows('coco-export', dir)).toBe(false);
    // Chosen as an export target, not as a project to open.
    expect(await grants.allows('project', out)).toBe(false);
  });

  it('a tree grant admits the folder and everything inside it, not its siblings', async () => {
    const images = join(dir, 'images');
    await mkdir(join(images, 'sub'), { recursive: true });
    await writeFile(join(images, 'sub', 'a.png'), '');
    grants.grantTree('images', images);
    expect(await grants.allows('images', images)).toBe(true);
    expect(await grants.allows('images', join(images, 'sub', 'a.png'))).toBe(true);
    expect(await grants.allows('images', join(images, 'not-yet.png'))).toBe(true);
    expect(await grants.allows('images', join(dir, 'images-2', 'a.png'))).toBe(false);
    expect(await grants.allows('images', dir)).toBe(false);
  });

  it('normalises ..: a spelling that leaves the granted folder is refused, one that stays is admitted', async () => {
    const images = join(dir, 'images');
    await mkdir(images);
    grants.grantTree('images', images);
    grants.grantFile('coco-export', join(dir, 'out.json'));
    expect(await grants.allows('images', `${images}/../../etc/passwd`)).toBe(false);
    expect(await grants.allows('images', `${images}/x/../y.png`)).toBe(true);
    expect(await grants.allows('coco-export', `${dir}/images/../out.json`)).toBe(true);
    expect(await grants.allows('coco-export', `${dir}/out.json/../../out.json`)).toBe(false);
  });

  it('a symlink inside a granted folder that points out of it does not escape', async () => {
    const images = join(dir, 'images');
    const secret = join(dir, 'secret');
    await mkdir(images);
    await mkdir(secret);
    await writeFile(join(secret, 'key.png'), '');
    await symlink(secret, join(images, 'escape'));
    grants.grantTree('images', images);
    expect(await grants.allows('images', join(images, 'escape', 'key.png'))).toBe(false);
    expect(await grants.allows('images', join(images, 'escape'))).toBe(false);
  });

  it('a grant made through a link admits the real path and the link alike', async () => {
    await mkdir(join(dir, 'real'));
    await symlink(join(dir, 'real'), join(dir, 'link'));
    grants.grantFile('coco-export', join(dir, 'link', 'out.json'));
    expect(await grants.allows('coco-export', join(dir, 'real', 'out.json'))).toBe(true);
    expect(await grants.allows('coco-export', join(dir, 'link', 'out.json'))).toBe(true);
  });

  it('check throws one line naming the field and the first refused path, counting the rest', async () => {
    const images = join(dir, 'images');
    await mkdir(images);
    grants.grantTree('images', images);
    await expect(grants.check('coco-export', 'path', '/etc/x.json')).rejects.toThrow(/^path was not chosen in a dialog: \/etc\/x\.json$/);
    await expect(grants.check('images', 'paths', [join(images, 'a.png'), '/etc/a.png', '/etc/b.png', '/etc/c.png'])).rejects.toThrow(
      /^paths\[1\] was not chosen in a dialog: \/etc\/a\.png \(and 2 more\)$/,
    );
    await expect(grants.check('project', 'path', `${dir}/evil\nsecond line.egm`)).rejects.toThrow(/^path was not chosen in a dialog: .*evil second line\.egm$/);
    await expect(grants.check('images', 'paths', [images, join(images, 'b.png')])).resolves.toBeUndefined();
  });

  it('checks many paths (more than one batch of realpath calls)', async () => {
    const images = join(dir, 'images');
    await mkdir(images);
    grants.grantTree('images', images);
    const paths = Array.from({ length: 300 }, (_, i) => join(images, `${i}.png`));
    await expect(grants.check('images', 'paths', paths)).resolves.toBeUndefined();
    paths[250] = join(dir, 'x.png');
    await expect(grants.check('images', 'paths', paths)).rejects.toThrow(/^paths\[250\] was not chosen/);
  });
});
