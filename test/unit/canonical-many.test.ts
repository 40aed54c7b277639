// canonicalPaths (issue 9: a COCO import confines 20,000 images with one
// folder listing instead of a realpath each) must agree with canonicalPath on
// every kind of entry, whether the folder is listed (many files) or not.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalPath } from '../../electron/paths/canonical';
import { canonicalPaths } from '../../electron/paths/canonical-many';
import { tempDir } from '../helpers/store-temp';

let tmp: ReturnType<typeof tempDir>;
let paths: string[];
beforeAll(() => {
  tmp = tempDir('egm-canonical-many-');
  const outside = join(tmp.dir, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.jpg'), 'x');
  paths = [];
  for (const [folder, count] of [['big', 100], ['small', 3]] as const) {
    const dir = join(tmp.dir, 'images', folder);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < count; i++) {
      writeFileSync(join(dir, `f${i}.jpg`), 'x');
      paths.push(join(dir, `f${i}.jpg`));
    }
    symlinkSync(join(outside, 'secret.jpg'), join(dir, 'link.jpg'));
    symlinkSync(outside, join(dir, 'linkdir'));
    paths.push(join(dir, 'link.jpg'), join(dir, 'missing.jpg'), join(dir, 'linkdir', 'secret.jpg'), join(dir, 'linkdir', 'gone.jpg'));
  }
});
afterAll(() => tmp.cleanup());

describe('canonicalPaths', () => {
  it('gives canonicalPath of each, links resolved, listed folder or not', async () => {
    const expected = await Promise.all(paths.map((path) => canonicalPath(path)));
    expect(await canonicalPaths(paths)).toEqual(expected);
    for (const folder of ['big', 'small']) {
      expect(expected).toContain(join(tmp.dir, 'outside', 'secret.jpg'));
      expect(expected).toContain(join(tmp.dir, 'images', folder, 'missing.jpg'));
    }
  });
});
