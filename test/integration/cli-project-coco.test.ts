// `egm import` / `egm export` against a real project: round trip byte for byte,
// plain COCO with skips and warnings, malformed files that change nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importCocoFile } from '../../electron/coco/import';
import type { ProjectStore } from '../../electron/store/api';
import { openProjectStore } from '../../electron/store/project-store';
import { egm, makeWorkspace, type Workspace } from './cli-project-helpers';

let ws: Workspace;
beforeEach(async () => {
  ws = await makeWorkspace();
});
afterEach(() => ws.cleanup());

function withProject<T>(name: string, fn: (store: ProjectStore) => T): T {
  const store = openProjectStore(join(ws.root, name));
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

/** A project with every kind of annotation the export has to carry. */
async function annotatedProject(name: string): Promise<void> {
  await egm(ws.root, 'init', name, '--images', 'images dir ✓');
  withProject(name, (store) => {
    const images = store.listImages();
    const fruit = store.ensureCategory('fruit');
    store.ensureCategory('unused');
    const ball = store.ensureCategory('ball');
    const base = { occluded: false, source: 'manual' as const, model: null, score: null, reviewed: true, amodal: null };
    store.createAnnotation({ ...base, imageId: images[0]!.id, categoryId: fruit.id, phrase: 'the lime partly hidden behind the orange', visible: [10.123, 20.5, 110.77, 220], amodal: [5, 20.5, 110.77, 260.1], occluded: true, source: 'model', model: 'egm-qwen3-vl-2b', score: 0.87312, reviewed: false, difficult: true, attributes: { weight: 0.2, ripe: true, variety: 'Persian' } });
    store.createAnnotation({ ...base, imageId: images[0]!.id, categoryId: null, phrase: 'ein „Apfel" — 日本 ✓\n', visible: [0.1, 0.2, 0.3, 0.7], truncated: true });
    store.createAnnotation({ ...base, imageId: images[2]!.id, categoryId: ball.id, phrase: "the ball at the player's feet", visible: [200, 250, 260, 300] });
    const rotated = images.find((i) => i.fileName === 'rotated.jpg')!;
    store.createAnnotation({ ...base, imageId: rotated.id, categoryId: null, phrase: 'top', visible: [1, 40, 29, 59.99] });
  });
}

describe('export → import → export', () => {
  it('gives the same file byte for byte and the same annotations', async () => {
    await annotatedProject('a.egm');
    expect((await egm(ws.root, 'export', 'a.egm', '--coco', 'first.json')).code).toBe(0);
    await egm(ws.root, 'init', 'b.egm');
    // file_name is relative to a.egm's images root: the same folder is named on import.
    const imported = await egm(ws.root, 'import', 'b.egm', '--coco', 'first.json', '--images', 'images dir ✓');
    expect(imported.code).toBe(0);
    expect(imported.json).toMatchObject({ images: ws.sampleFiles.length, existingImages: 0, annotations: 4, categories: 3, skipped: [], warnings: [] });
    expect((await egm(ws.root, 'export', 'b.egm', '--coco', 'second.json')).code).toBe(0);
    const first = readFileSync(join(ws.root, 'first.json'), 'utf8');
    expect(readFileSync(join(ws.root, 'second.json'), 'utf8')).toBe(first);

    const doc = JSON.parse(first);
    // 'unused' has no annotation: not exported (issue 9).
    expect(doc.categories.map((c: { name: string }) => c.name)).toEqual(['fruit', 'ball', 'object']);
    expect(doc.annotations[0]).toEqual({
      id: 1, image_id: 1, category_id: 1, bbox: [10.12, 20.5, 100.65, 199.5], area: 20079.68, iscrowd: 0,
      amodal_bbox: [5, 20.5, 105.77, 239.6], phrase: 'the lime partly hidden behind the orange',
      attributes: { occluded: true, source: 'model', model: 'egm-qwen3-vl-2b', score: 0.87312, reviewed: false, truncated: false, difficult: true, ripe: true, variety: 'Persian', weight: 0.2 },
    });
    const b = withProject('b.egm', (store) => store.allAnnotations());
    expect(b.map((a) => a.phrase)).toContain('ein „Apfel" — 日本 ✓\n');
    expect(b.find((a) => a.source === 'model')).toMatchObject({ occluded: true, reviewed: false, score: 0.87312, model: 'egm-qwen3-vl-2b', difficult: true, attributes: { ripe: true, variety: 'Persian', weight: 0.2 } });
    expect(b.find((a) => a.phrase.startsWith('ein'))).toMatchObject({ truncated: true });
  });

  it('matches images the project already has and skips its boxes as duplicates (issue 9)', async () => {
    await annotatedProject('a.egm');
    await egm(ws.root, 'export', 'a.egm', '--coco', 'first.json');
    const again = await egm(ws.root, 'import', 'a.egm', '--coco', 'first.json', '--images', 'images dir ✓');
    // The one new category is 'object': the export's name for "no category" comes back as a real one.
    expect(again.json).toMatchObject({ images: 0, existingImages: ws.sampleFiles.length, annotations: 0, duplicates: 4, categories: 1 });
    expect(again.json.project).toMatchObject({ imageCount: ws.sampleFiles.length, annotationCount: 4 });
    expect(again.stderr).toContain('4 annotation(s) already in the project');
  });
});

describe('egm import of plain COCO', () => {
  it('imports with defaults, skips bad annotations with where/why, and warns on size mismatch', async () => {
    const coco = {
      images: [
        { id: 10, file_name: 'fruits.jpg', width: 512, height: 480 },
        { id: 11, file_name: 'rotated.jpg', width: 60, height: 30 }, // stored size, not the displayed 30×60
        { id: 12, file_name: 'gone.jpg', width: 100, height: 100 },
      ],
      categories: [{ id: 0, name: 'orange', supercategory: 'fruit' }],
      annotations: [
        { id: 1, image_id: 10, category_id: 0, bbox: [10, 10, 100, 100], area: 10000, iscrowd: 0 },
        { id: 2, image_id: 10, category_id: 0, bbox: [500, 10, 100, 100], area: 10000, iscrowd: 0 },
        { id: 3, image_id: 99, category_id: 0, bbox: [1, 1, 1, 1], area: 1, iscrowd: 0 },
        { id: 4, image_id: 10, category_id: 0, bbox: [1, 1, -5, 1], area: 1, iscrowd: 0 },
        { id: 5, image_id: 11, category_id: 0, bbox: [0, 40, 30, 20], area: 600, iscrowd: 0 },
        { id: 6, image_id: 12, category_id: 0, bbox: [0, 0, 5, 5], area: 25, iscrowd: 0 },
      ],
    };
    writeFileSync(join(ws.images, 'plain.json'), JSON.stringify(coco));
    await egm(ws.root, 'init', 'p.egm');
    const run = await egm(ws.root, 'import', 'p.egm', '--coco', join('images dir ✓', 'plain.json'));
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ images: 2, annotations: 2, categories: 1 });
    expect(run.json.skipped).toEqual([
      { path: 'images[2]', reason: `'gone.jpg': file not found at ${join(ws.images, 'gone.jpg')} (its 1 annotation skipped too)` },
      { path: 'annotations[1].bbox', reason: "[500,10,100,100] lies outside image 10 'fruits.jpg' (512×480)" },
      { path: 'annotations[2].image_id', reason: 'unknown image id 99' },
      { path: 'annotations[3].bbox', reason: 'negative size -5×1' },
    ]);
    expect(run.json.warnings).toEqual([expect.stringMatching(/^images\[1\] 'rotated\.jpg': COCO size 60×30 differs from the displayed size 30×60/)]);
    expect(run.stderr).toMatch(/^warning: images\[1\] 'rotated\.jpg'/m);
    const annotations = withProject('p.egm', (s) => s.allAnnotations());
    expect(annotations[0]).toMatchObject({ phrase: '', amodal: null, source: 'manual', reviewed: true, occluded: false, visible: [10, 10, 110, 110] });
  });

  it('finds images through --images when the COCO file lives elsewhere', async () => {
    const images = [
      { id: 1, file_name: 'home.jpg', width: 512, height: 384 },
      { id: 2, file_name: 'png ü\\chelsea.png', width: 451, height: 300 }, // written on Windows
    ];
    writeFileSync(join(ws.root, 'ann.json'), JSON.stringify({ images, annotations: [], categories: [] }));
    await egm(ws.root, 'init', 'p.egm');
    const missing = await egm(ws.root, 'import', 'p.egm', '--coco', 'ann.json');
    expect(missing.json.skipped![0]!.reason).toMatch(/file not found/);
    const run = await egm(ws.root, 'import', 'p.egm', '--coco', 'ann.json', '--images', 'images dir ✓');
    expect(run.json).toMatchObject({ images: 2, skipped: [], warnings: [] });
  });
});

describe('egm import of a broken file changes nothing', () => {
  const broken: [string, string, RegExp][] = [
    ['bad JSON', '{"images": [\n  {"id": 1,}\n], "annotations": [], "categories": []}', /bad\.json: invalid JSON at line 2, column 12: /],
    ['a missing key', '{"images": [], "annotations": []}', /bad\.json: top level: missing "categories" array$/],
    ['duplicate image ids', JSON.stringify({ images: [{ id: 1, file_name: 'fruits.jpg', width: 512, height: 480 }, { id: 1, file_name: 'home.jpg', width: 512, height: 384 }], annotations: [], categories: [] }), /images\[1\]\.id: duplicate id 1 \(also images\[0\]\)$/],
    ['two names for one file', JSON.stringify({ images: [{ id: 1, file_name: 'fruits.jpg', width: 512, height: 480 }, { id: 2, file_name: './fruits.jpg', width: 512, height: 480 }], annotations: [], categories: [] }), /images\[1\]\.file_name: '\.\/fruits\.jpg' is the same file as images\[0\]/],
    ['an empty file', '', /invalid JSON at line 1, column 1/],
  ];
  for (const [what, text, message] of broken) {
    it(`fails on ${what} with one line`, async () => {
      await egm(ws.root, 'init', 'p.egm', '--images', join('images dir ✓', 'png ü'));
      writeFileSync(join(ws.images, 'bad.json'), text);
      const run = await egm(ws.root, 'import', 'p.egm', '--coco', join('images dir ✓', 'bad.json'));
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^egm import: [^\n]*\n$/);
      expect(run.stderr.trim()).toMatch(message);
      expect(withProject('p.egm', (s) => s.info())).toMatchObject({ imageCount: 1, annotationCount: 0 });
    });
  }

  it('rolls back images and categories when the store fails half way through the write', async () => {
    await annotatedProject('a.egm');
    await egm(ws.root, 'export', 'a.egm', '--coco', 'first.json');
    await egm(ws.root, 'init', 'b.egm');
    const store = openProjectStore(join(ws.root, 'b.egm'));
    try {
      let calls = 0;
      const importAnnotations = store.importAnnotations.bind(store);
      // Two boxes written, then the disk fills up.
      store.importAnnotations = (rows: Parameters<ProjectStore['importAnnotations']>[0]) => {
        calls++;
        importAnnotations(rows.slice(0, 2));
        throw new Error('disk full (simulated)');
      };
      await expect(importCocoFile(store, join(ws.root, 'first.json'), { imagesDir: ws.images })).rejects.toThrow(/^disk full \(simulated\); nothing imported/);
      expect(calls).toBe(1);
      expect(store.info()).toMatchObject({ imageCount: 0, annotationCount: 0 });
      expect(store.listCategories()).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('reports a missing COCO file in one line', async () => {
    await egm(ws.root, 'init', 'p.egm');
    const run = await egm(ws.root, 'import', 'p.egm', '--coco', 'nope.json');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^egm import: .*nope\.json: cannot read COCO file \(not found\)\n$/);
  });
});
