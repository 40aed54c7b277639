// The `<project>-writer` note beside a project from someone else's zip is
// never followed (issue 16, security second round): a symlink or hard link by
// the note's name must not get the victim file's first 512 bytes overwritten.
import { linkSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectStore } from '../../electron/store/project-store';
import { annotationInput, tempDir } from '../helpers/store-temp';

const VICTIM_TEXT = 'export PATH=/usr/bin\n# the user\'s own file, which no project may write\n'.repeat(20);

let tmp: ReturnType<typeof tempDir>;
let victim: string;
let file: string;
beforeEach(() => {
  tmp = tempDir('egm-writer-links-');
  victim = join(tmp.dir, 'victim.txt');
  writeFileSync(victim, VICTIM_TEXT);
  mkdirSync(join(tmp.dir, 'unzipped'));
  file = join(tmp.dir, 'unzipped', 'shared.egm');
  const store = openProjectStore(file, { create: true });
  store.addImages([{ absolutePath: join(tmp.dir, 'a.jpg'), width: 64, height: 48, orientation: 1 }]);
  store.close();
});
afterEach(() => tmp.cleanup());

/** Opens the project as the app does and makes one edit (which claims the note). */
function editOnce(): void {
  const store = openProjectStore(file);
  try {
    store.createAnnotation(annotationInput(store.listImages()[0]!.id));
    expect(store.listAnnotations(store.listImages()[0]!.id)).toHaveLength(1);
  } finally {
    store.close();
  }
}

describe('the writer note never follows a link', () => {
  it('a symlink by the note\'s name to a victim file: the victim is untouched, the edit saved', () => {
    symlinkSync(victim, `${file}-writer`);
    editOnce();
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT);
  });

  it('a dangling symlink does not create its target', () => {
    const target = join(tmp.dir, 'created-by-project.txt');
    symlinkSync(target, `${file}-writer`);
    editOnce();
    expect(() => lstatSync(target)).toThrow(/ENOENT/);
  });

  it('a hard link by the note\'s name to a victim file: the victim is untouched', () => {
    linkSync(victim, `${file}-writer`);
    editOnce();
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT);
  });

  it('while the project is open the note is a plain file naming this process', () => {
    symlinkSync(victim, `${file}-writer`);
    const store = openProjectStore(file);
    try {
      store.createAnnotation(annotationInput(store.listImages()[0]!.id));
      const stat = lstatSync(`${file}-writer`);
      expect(stat.isFile()).toBe(true);
      expect(stat.nlink).toBe(1);
      expect(JSON.parse(readFileSync(`${file}-writer`, 'utf8')).pid).toBe(process.pid);
    } finally {
      store.close();
    }
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT);
  });
});
