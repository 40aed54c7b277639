// Issue 9, item 6: every file of a chosen folder is either added or listed as
// skipped with why: HEIC says what this build cannot decode (instead of
// failing later), other files say they are not
// images, hidden files and dangling links are named too. BMP is decoded (bmp.ts).
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addImagesToStore } from '../../electron/images/collect';
import type { ProjectStore } from '../../electron/store/api';
import { openProjectStore } from '../../electron/store/project-store';
import { solidJpeg } from '../helpers/make-images';
import { tempDir } from '../helpers/store-temp';

let tmp: ReturnType<typeof tempDir>;
let store: ProjectStore;
beforeEach(() => {
  tmp = tempDir('egm-every-file-');
  store = openProjectStore(join(tmp.dir, 'p.egm'), { create: true });
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

/** A 2×1 24-bit BMP (BITMAPINFOHEADER). */
function bmp(): Buffer {
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(54 + 8, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(2, 18);
  header.writeInt32LE(1, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(24, 28);
  return Buffer.concat([header, Buffer.from([0, 0, 255, 0, 255, 0, 0, 0])]);
}

describe('adding a folder', () => {
  it('adds the images and lists every other file with its reason', async () => {
    const dir = join(tmp.dir, 'photos');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'a.jpg'), await solidJpeg(20, 10));
    writeFileSync(join(dir, 'scan.bmp'), bmp());
    writeFileSync(join(dir, 'phone.heic'), Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic', 'latin1'), Buffer.alloc(40)]));
    writeFileSync(join(dir, 'sub', 'notes.txt'), 'not an image');
    writeFileSync(join(dir, 'README'), 'no extension');
    writeFileSync(join(dir, '.DS_Store'), 'mac');
    symlinkSync(join(dir, 'gone.jpg'), join(dir, 'dangling.jpg'));
    const { added, skipped } = await addImagesToStore(store, [dir]);
    expect(added.map((a) => a.fileName)).toEqual(['a.jpg', 'scan.bmp']); // BMP decoded by bmp.ts
    expect(added[1]).toMatchObject({ width: 2, height: 1 });
    const reasons = Object.fromEntries(skipped.map((s) => [s.path.slice(dir.length + 1), s.reason]));
    expect(reasons).toEqual({
      'phone.heic': 'HEIC image (HEVC-coded): this build has no HEVC decoder; convert it to JPEG or PNG to label it',
      'sub/notes.txt': 'not an image file (extension .txt); not added',
      README: 'not an image file (no extension); not added',
      '.DS_Store': 'hidden file (name starts with a dot); not added',
      'dangling.jpg': 'link to nothing readable; not added',
    });
  });
});
