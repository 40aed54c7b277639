// `egm remove-images` in-process against a real project: by id and by file
// name, annotations and proposals counted and gone, files on disk kept, and
// an unknown or ambiguous name failing with the reason and nothing removed.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectStore } from '../../electron/store/project-store';
import { addProposal } from '../../electron/store/proposals';
import { annotationInput } from '../helpers/store-temp';
import { egm, makeWorkspace, type Workspace } from './cli-project-helpers';

let ws: Workspace;
beforeEach(async () => {
  ws = await makeWorkspace();
});
afterEach(() => ws.cleanup());

/** The project's images by file name, with two annotations on fruits.jpg and a proposal on home.jpg. */
async function project(): Promise<Record<string, number>> {
  expect((await egm(ws.root, 'init', 'a.egm', '--images', 'images dir ✓')).code).toBe(0);
  const store = openProjectStore(join(ws.root, 'a.egm'));
  try {
    const ids = Object.fromEntries(store.listImages().map((image) => [image.path, image.id]));
    const byName = Object.fromEntries(store.listImages().map((image) => [image.fileName, image.id]));
    store.createAnnotation(annotationInput(byName['fruits.jpg']!));
    store.createAnnotation(annotationInput(byName['fruits.jpg']!));
    addProposal(store, {
      imageId: byName['home.jpg']!, phrase: 'the door', visible: [1, 1, 5, 5], amodal: null, reasoningVisible: '', reasoningAmodal: '',
      model: 'm', score: null, point: null, pointHit: null, reason: null, latencyMs: 1, batchId: null,
    });
    return { ...ids, ...byName };
  } finally {
    store.close();
  }
}

describe('egm remove-images', () => {
  it('removes images named by id and by file name, with their annotations and proposals, leaving the files', async () => {
    const ids = await project();
    const run = await egm(ws.root, 'remove-images', 'a.egm', 'fruits.jpg', String(ids['home.jpg']));
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ removed: 2, annotations: 2, proposals: 1, ids: [ids['fruits.jpg'], ids['home.jpg']] });
    expect(run.json.project).toMatchObject({ imageCount: ws.sampleFiles.length - 2, annotationCount: 0 });
    expect(existsSync(join(ws.images, 'fruits.jpg'))).toBe(true);
    expect(existsSync(join(ws.images, 'home.jpg'))).toBe(true);
  });

  it('fails on an unknown id or name and on a name two images share, removing nothing', async () => {
    mkdirSync(join(ws.images, 'again'));
    copyFileSync(join(ws.images, 'fruits.jpg'), join(ws.images, 'again', 'fruits.jpg'));
    await project();
    const unknown = await egm(ws.root, 'remove-images', 'a.egm', 'home.jpg', 'nope.jpg');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("egm remove-images: no image named 'nope.jpg' in the project; nothing was removed\n");
    expect((await egm(ws.root, 'remove-images', 'a.egm', '99999')).stderr).toBe('egm remove-images: no image with id 99999 in the project; nothing was removed\n');
    const ambiguous = await egm(ws.root, 'remove-images', 'a.egm', 'fruits.jpg');
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(/^egm remove-images: 'fruits\.jpg' names 2 images \(ids \d+, \d+\); name one by id or by its stored path; nothing was removed\n$/);
    // The stored path (relative to the project's folder) tells them apart.
    const byPath = await egm(ws.root, 'remove-images', 'a.egm', 'images dir ✓/again/fruits.jpg');
    expect(byPath.json).toMatchObject({ removed: 1 });
    expect((await egm(ws.root, 'remove-images', 'a.egm', 'fruits.jpg')).json).toMatchObject({ removed: 1, annotations: 2 });
  });

  it('exits 2 with the usage when no image is named', async () => {
    await project();
    const run = await egm(ws.root, 'remove-images', 'a.egm');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/usage: egm remove-images <project\.egm> <id-or-file-name>\.\.\.\)\n$/);
  });
});
