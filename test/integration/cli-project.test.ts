// `egm init`, `add-images`, `export` run in-process through runCli against a
// real SQLite project and the real sample photos.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectStore } from '../../electron/store/project-store';
import { egm, makeWorkspace, type Workspace } from './cli-project-helpers';

let ws: Workspace;
beforeEach(async () => {
  ws = await makeWorkspace();
});
afterEach(() => ws.cleanup());

describe('egm init', () => {
  it('creates an empty project and prints its info', async () => {
    const run = await egm(ws.root, 'init', 'a.egm');
    expect(run.code).toBe(0);
    expect(run.json.project).toMatchObject({ path: join(ws.root, 'a.egm'), name: 'a', imageCount: 0 });
    expect(existsSync(join(ws.root, 'a.egm'))).toBe(true);
  });

  it('adds every image of --images, with the displayed size of a rotated JPEG', async () => {
    const run = await egm(ws.root, 'init', 'a.egm', '--images', 'images dir ✓');
    expect(run.code).toBe(0);
    expect(run.json.added).toBe(ws.sampleFiles.length);
    expect(run.json.skipped).toEqual([]);
    expect(run.stderr).toMatch(new RegExp(`probed images ${ws.sampleFiles.length}/${ws.sampleFiles.length}\\n$`));
    const store = openProjectStore(join(ws.root, 'a.egm'));
    try {
      const rotated = store.listImages().find((i) => i.fileName === 'rotated.jpg');
      expect(rotated).toMatchObject({ width: 30, height: 60, orientation: 6 });
    } finally {
      store.close();
    }
  });

  it('refuses to overwrite an existing file, and says so in one line', async () => {
    await egm(ws.root, 'init', 'a.egm');
    const again = await egm(ws.root, 'init', 'a.egm');
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(/^egm init: .*a\.egm: already exists .*\n$/);
  });

  it('fails cleanly on a missing images folder without creating the project', async () => {
    const run = await egm(ws.root, 'init', 'a.egm', '--images', 'nope');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^egm init: .*nope: images folder not found\n$/);
    expect(existsSync(join(ws.root, 'a.egm'))).toBe(false);
  });

  it('exits 2 with the usage on bad arguments', async () => {
    for (const args of [['init'], ['init', 'a.egm', 'b.egm'], ['init', 'a.egm', '--colour', 'red']]) {
      const run = await egm(ws.root, ...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/usage: egm init <project\.egm> \[--images <dir>\]\)\n$/);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('egm add-images', () => {
  it('adds files and folders, skipping duplicates and non-images with reasons', async () => {
    await egm(ws.root, 'init', 'a.egm');
    const first = await egm(ws.root, 'add-images', 'a.egm', join('images dir ✓', 'png ü'), join('images dir ✓', 'fruits.jpg'));
    expect(first.code).toBe(0);
    expect(first.json.added).toBe(2);
    const second = await egm(ws.root, 'add-images', 'a.egm', 'images dir ✓', 'README.txt');
    expect(second.code).toBe(0);
    expect(second.json.added).toBe(ws.sampleFiles.length - 2);
    expect(second.json.skipped).toEqual(
      expect.arrayContaining([
        { path: join(ws.images, 'fruits.jpg'), reason: 'already in the project' },
        { path: join(ws.root, 'README.txt'), reason: 'file not found' },
      ]),
    );
    expect(second.json.project).toMatchObject({ imageCount: ws.sampleFiles.length });
  });

  it('says how to create a project that does not exist', async () => {
    const run = await egm(ws.root, 'add-images', 'none.egm', 'images dir ✓');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^egm add-images: .*none\.egm: project not found \(create it with: egm init none\.egm\)\n$/);
    expect(existsSync(join(ws.root, 'none.egm'))).toBe(false);
  });

  it('exits 2 without inputs', async () => {
    await egm(ws.root, 'init', 'a.egm');
    expect((await egm(ws.root, 'add-images', 'a.egm')).code).toBe(2);
  });
});

describe('egm export', () => {
  it('writes COCO with file names relative to the images root the project remembers, atomically (no temp file left)', async () => {
    await egm(ws.root, 'init', 'a.egm', '--images', 'images dir ✓');
    const run = await egm(ws.root, 'export', 'a.egm', '--coco', 'out.json');
    expect(run.code).toBe(0);
    expect(run.json).toEqual({ path: join(ws.root, 'out.json'), images: ws.sampleFiles.length, annotations: 0, categories: 0, negatives: 0, missingFiles: [] });
    const doc = JSON.parse(readFileSync(join(ws.root, 'out.json'), 'utf8'));
    expect(doc.images.map((i: { file_name: string }) => i.file_name).sort()).toEqual([...ws.sampleFiles].sort());
    expect(doc.images.find((i: { file_name: string }) => i.file_name.endsWith('rotated.jpg'))).toMatchObject({ width: 30, height: 60 });
    expect(readdirSync(ws.root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('makes file names relative to --images when given', async () => {
    await egm(ws.root, 'init', 'a.egm', '--images', 'images dir ✓');
    await egm(ws.root, 'export', 'a.egm', '--coco', 'out.json', '--images', '.');
    const doc = JSON.parse(readFileSync(join(ws.root, 'out.json'), 'utf8'));
    expect(doc.images.map((i: { file_name: string }) => i.file_name)).toContain('images dir ✓/png ü/chelsea.png');
  });

  it('fails in one line when the output folder does not exist', async () => {
    await egm(ws.root, 'init', 'a.egm');
    const run = await egm(ws.root, 'export', 'a.egm', '--coco', join('no such dir', 'out.json'));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^egm export: .*out\.json: cannot write, folder .*no such dir does not exist\n$/);
  });

  it('requires one export format', async () => {
    await egm(ws.root, 'init', 'a.egm');
    const run = await egm(ws.root, 'export', 'a.egm');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/name one of --coco, --refcoco, --odvg, --qwenvl/);
  });
});
