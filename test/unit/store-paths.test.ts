// Where image paths point: relative inside the project folder (spaces and
// non-ASCII names included), absolute elsewhere; missing files flagged on reopen.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectStore } from '../../electron/store/project-store';
import { fromStoredPath, toStoredPath } from '../../electron/store/paths';
import { annotationInput, tempDir } from '../helpers/store-temp';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

function touch(path: string): string {
  writeFileSync(path, 'x');
  return path;
}

describe('stored image paths', () => {
  it('maps inside, outside and parent paths', () => {
    expect(toStoredPath('/p/proj', '/p/proj/img/a b.jpg')).toBe('img/a b.jpg');
    expect(toStoredPath('/p/proj', '/p/other/a.jpg')).toBe('/p/other/a.jpg');
    expect(toStoredPath('/p/proj', '/p/proj..x/a.jpg')).toBe('/p/proj..x/a.jpg');
    expect(toStoredPath('/p/proj', '/p/proj/..hidden.jpg')).toBe('..hidden.jpg');
    expect(fromStoredPath('/p/proj', 'img/a b.jpg')).toBe('/p/proj/img/a b.jpg');
    expect(fromStoredPath('/p/proj', '/p/other/a.jpg')).toBe('/p/other/a.jpg');
  });

  it('keeps a project usable after its folder moves, with spaces and non-ASCII names', () => {
    const folder = join(tmp.dir, 'my project');
    mkdirSync(join(folder, 'фото 日本'), { recursive: true });
    const outside = touch(join(tmp.dir, 'outside é.jpg'));
    const inside = touch(join(folder, 'фото 日本', 'ä b.jpg'));
    const file = join(folder, 'proj.egm');
    let store = openProjectStore(file, { create: true });
    const { added } = store.addImages([
      { absolutePath: inside, width: 10, height: 10, orientation: 1 },
      { absolutePath: outside, width: 10, height: 10, orientation: 1 },
    ]);
    expect(added.map((image) => image.path)).toEqual(['фото 日本/ä b.jpg', outside]);
    store.close();

    const moved = join(tmp.dir, 'moved project');
    renameSync(folder, moved);
    store = openProjectStore(join(moved, 'proj.egm'));
    const [a, b] = store.listImages();
    expect(store.imageFilePath(a!.id)).toBe(join(moved, 'фото 日本', 'ä b.jpg'));
    expect(store.imageFilePath(b!.id)).toBe(outside);
    expect(store.listImages().map((image) => image.missing)).toEqual([false, false]);
    store.close();
  });

  it('flags missing files on reopen, keeps the rest usable, and clears the flag when a file returns', () => {
    const file = join(tmp.dir, 'p.egm');
    const paths = ['1.jpg', '2.jpg', '3.jpg'].map((name) => touch(join(tmp.dir, name)));
    let store = openProjectStore(file, { create: true });
    const ids = store.addImages(paths.map((absolutePath) => ({ absolutePath, width: 5, height: 5, orientation: 1 }))).added.map((image) => image.id);
    store.createAnnotation(annotationInput(ids[1]!));
    store.close();

    rmSync(paths[1]!);
    store = openProjectStore(file);
    expect(store.listImages().map((image) => image.missing)).toEqual([false, true, false]);
    expect(store.info().missingCount).toBe(1);
    expect(store.listAnnotations(ids[1]!)).toHaveLength(1); // its boxes are kept
    expect(store.createAnnotation(annotationInput(ids[0]!)).imageId).toBe(ids[0]);
    expect(store.refreshMissing()).toEqual([ids[1]]);

    touch(paths[1]!);
    expect(store.refreshMissing()).toEqual([]);
    expect(store.getImage(ids[1]!)!.missing).toBe(false);
    store.close();
  });

  it('counts an image as already in the project by its resolved path', () => {
    const file = join(tmp.dir, 'p.egm');
    const image = touch(join(tmp.dir, 'x.jpg'));
    const store = openProjectStore(file, { create: true });
    store.addImages([{ absolutePath: image, width: 5, height: 5, orientation: 1 }]);
    const again = store.addImages([{ absolutePath: join(tmp.dir, 'sub', '..', 'x.jpg'), width: 5, height: 5, orientation: 1 }]);
    expect(again).toEqual({ added: [], skipped: [{ path: image, reason: 'already in the project' }] });
    store.close();
  });
});
