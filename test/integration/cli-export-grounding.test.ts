// `egm export --refcoco / --odvg / --qwenvl` (issue 9, item 4), each read back
// by its consumer: the refs pickle and instances.json by Python's pickle and a
// REFER-style index (test/helpers/refer_index.py, skipped with the reason when
// the Python venv is absent); ODVG and Qwen-VL as JSON lines, the Qwen-VL
// answers through the app's own answer parser and the authors' pixel mapping.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toPixelBox } from '@core/egm/coordinates';
import { parseAnswer } from '@core/egm/parse-answer';
import type { ImageRecord } from '@core/types';
import { openProjectStore } from '../../electron/store/project-store';
import { egm, makeWorkspace, type Workspace } from './cli-project-helpers';

const PYTHON = join(process.cwd(), '.venv-parity', 'bin', 'python');
const REFER_INDEX = join(process.cwd(), 'test', 'helpers', 'refer_index.py');

let ws: Workspace;
let imageA: ImageRecord;
let rotated: ImageRecord;
beforeEach(async () => {
  ws = await makeWorkspace();
  await egm(ws.root, 'init', 'g.egm', '--images', 'images dir ✓');
  const store = openProjectStore(join(ws.root, 'g.egm'));
  try {
    const images = store.listImages();
    imageA = images.find((i) => i.fileName === 'messi5.jpg')!;
    rotated = images.find((i) => i.fileName === 'rotated.jpg')!;
    const other = images.find((i) => i.fileName === 'fruits.jpg')!;
    const person = store.ensureCategory('person');
    const base = { occluded: false, source: 'manual' as const, model: null, score: null, reviewed: true, amodal: null };
    store.createAnnotation({ ...base, imageId: imageA.id, categoryId: person.id, phrase: 'the man on the left', morePhrases: ['a man in a red shirt', "The player's shadow!"], visible: [10.123, 20.5, 110.77, 220], amodal: [5, 20.5, 130, 260.1], occluded: true });
    store.createAnnotation({ ...base, imageId: imageA.id, categoryId: null, phrase: 'ein „Apfel" — 日本 ✓', visible: [200, 100, 260, 150] });
    store.createAnnotation({ ...base, imageId: other.id, categoryId: person.id, phrase: '', visible: [1, 1, 20, 20] }); // no phrase: in instances only
    store.createAnnotation({ ...base, imageId: rotated.id, categoryId: null, phrase: 'the 🍋 top', visible: [1, 40, 29, 59.99] });
  } finally {
    store.close();
  }
});
afterEach(() => ws.cleanup());

const lines = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));

describe('egm export --refcoco', () => {
  it('writes refs(<split-by>).p and instances.json that REFER indexes', async (ctx) => {
    mkdirSync(join(ws.root, 'refer data'));
    const run = await egm(ws.root, 'export', 'g.egm', '--refcoco', 'refer data', '--dataset', 'mine', '--split-by', 'me', '--splits', 'train=1,val=1', '--seed', '3');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const folder = join(ws.root, 'refer data', 'mine');
    expect(run.json).toMatchObject({ refs: join(folder, 'refs(me).p'), instances: join(folder, 'instances.json'), refCount: 3, sentences: 5, annotations: 4 });
    const instances = JSON.parse(readFileSync(join(folder, 'instances.json'), 'utf8'));
    expect(instances.images.map((i: { file_name: string }) => i.file_name)).toContain('messi5.jpg'); // relative to the images root

    // Deterministic: the same command writes the same bytes.
    const first = readFileSync(join(folder, 'refs(me).p'));
    await egm(ws.root, 'export', 'g.egm', '--refcoco', 'refer data', '--dataset', 'mine', '--split-by', 'me', '--splits', 'train=1,val=1', '--seed', '3');
    expect(readFileSync(join(folder, 'refs(me).p')).equals(first)).toBe(true);

    if (!existsSync(PYTHON)) {
      console.log(`skipped the Python read-back: no venv at ${PYTHON} (npm run setup:python)`);
      ctx.skip();
    }
    const py = spawnSync(PYTHON, [REFER_INDEX, join(ws.root, 'refer data'), 'mine', 'me'], { encoding: 'utf8' });
    expect(py.stderr).toBe('');
    const index = JSON.parse(py.stdout);
    expect(index.types).toEqual(['int', 'list', 'str']);
    expect(index.keys).toEqual(['ann_id', 'category_id', 'file_name', 'image_id', 'ref_id', 'sent_ids', 'sentences', 'split']);
    expect(index.sentence_keys).toEqual(['raw', 'sent', 'sent_id', 'tokens']);
    expect([index.refs, index.sents]).toEqual([3, 5]);
    const [man, apfel, lemon] = index.per_ref;
    expect(man).toMatchObject({
      ref_id: 0, image: 'messi5.jpg', file_name: 'messi5.jpg', category: 'person', box: [10.12, 20.5, 100.65, 199.5], amodal: [5, 20.5, 125, 239.6],
      segmentation: [[10.12, 20.5, 110.77, 20.5, 110.77, 220, 10.12, 220]], sent_ids: [0, 1, 2], same_image_refs: 2,
    });
    expect(man.sents).toEqual([
      [0, 'the man on the left', 'the man on the left', ['the', 'man', 'on', 'the', 'left']],
      [1, 'a man in a red shirt', 'a man in a red shirt', ['a', 'man', 'in', 'a', 'red', 'shirt']],
      [2, "The player's shadow!", "the player's shadow", ['the', "player's", 'shadow']],
    ]);
    expect(apfel).toMatchObject({ category: 'object', sents: [[3, 'ein „Apfel" — 日本 ✓', 'ein apfel 日本', ['ein', 'apfel', '日本']]] });
    expect(lemon).toMatchObject({ image: 'rotated.jpg', sents: [[4, 'the 🍋 top', 'the top', ['the', 'top']]] });
    // Whole images per split: both refs of messi5.jpg share one.
    const splitOf = (refId: number) => Object.entries(index.splits as Record<string, number[]>).find(([, ids]) => ids.includes(refId))![0];
    expect(splitOf(0)).toBe(splitOf(1));
    expect(Object.values(index.splits as Record<string, number[]>).flat().sort()).toEqual([0, 1, 2]);
  });

  it('creates a root folder that does not exist yet (issue 18)', async () => {
    const run = await egm(ws.root, 'export', 'g.egm', '--refcoco', join('new', 'refer root'));
    expect([run.code, run.stderr]).toEqual([0, '']);
    const folder = join(ws.root, 'new', 'refer root', 'egm');
    expect(run.json).toMatchObject({ refs: join(folder, 'refs(egm).p'), instances: join(folder, 'instances.json') });
    expect(existsSync(join(folder, 'refs(egm).p')) && existsSync(join(folder, 'instances.json'))).toBe(true);
  });

  it('refuses a root that is a file, a bad dataset name and bad splits in one line', async () => {
    expect((await egm(ws.root, 'export', 'g.egm', '--refcoco', 'g.egm')).stderr).toMatch(/^egm export: .*g\.egm: RefCOCO root is a file, not a folder\n$/);
    expect((await egm(ws.root, 'export', 'g.egm', '--refcoco', '.', '--dataset', '../x')).stderr).toMatch(/--dataset '\.\.\/x': use letters/);
    const bad = await egm(ws.root, 'export', 'g.egm', '--refcoco', '.', '--splits', 'train=a');
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/--splits: 'train=a' is not name=fraction/)]);
    expect((await egm(ws.root, 'export', 'g.egm', '--odvg', 'x.jsonl', '--seed', '1')).stderr).toMatch(/--seed goes with --refcoco/);
    expect((await egm(ws.root, 'export', 'g.egm', '--odvg', 'x.jsonl', '--coco', 'y.json')).stderr).toMatch(/one export at a time/);
  });
});

describe('egm export --only-done (issue 18)', () => {
  it('takes only the images marked done, with their boxes, in every format', async () => {
    const store = openProjectStore(join(ws.root, 'g.egm'));
    try {
      store.setImageStatus(imageA.id, 'done');
    } finally {
      store.close();
    }
    // A file missing from an image not exported is not named (the export does not need it).
    rmSync(join(ws.images, 'rotated.jpg'));
    const coco = await egm(ws.root, 'export', 'g.egm', '--coco', 'done.json', '--only-done');
    expect([coco.code, coco.stderr]).toEqual([0, '']);
    expect(coco.json).toMatchObject({ images: 1, annotations: 2, missingFiles: [] });
    const doc = JSON.parse(readFileSync(join(ws.root, 'done.json'), 'utf8'));
    expect(doc.images.map((i: { file_name: string }) => i.file_name)).toEqual(['messi5.jpg']);
    expect(doc.annotations.map((a: { image_id: number }) => a.image_id)).toEqual([imageA.id, imageA.id]);
    expect((await egm(ws.root, 'export', 'g.egm', '--refcoco', 'refer', '--only-done')).json).toMatchObject({ images: 1, refCount: 2, sentences: 4 });
    await egm(ws.root, 'export', 'g.egm', '--odvg', 'done.jsonl', '--only-done');
    expect(new Set(lines(join(ws.root, 'done.jsonl')).map((l) => l.filename))).toEqual(new Set(['messi5.jpg']));
    await egm(ws.root, 'export', 'g.egm', '--qwenvl', 'sft.jsonl', '--only-done');
    expect(new Set(lines(join(ws.root, 'sft.jsonl')).map((l) => l.image))).toEqual(new Set(['messi5.jpg']));
    // Without the flag, every image as before, and the missing file named.
    const all = await egm(ws.root, 'export', 'g.egm', '--coco', 'all.json');
    expect(all.json).toMatchObject({ annotations: 4, missingFiles: [{ id: rotated.id }] });
  });
});

describe('egm export --odvg', () => {
  it('writes one grounding line per phrase with corner boxes, code-point spans and the amodal box', async () => {
    const run = await egm(ws.root, 'export', 'g.egm', '--odvg', 'train.jsonl');
    expect(run.json).toEqual({ path: join(ws.root, 'train.jsonl'), lines: 5, skippedNegatives: 0, missingFiles: [] });
    const odvg = lines(join(ws.root, 'train.jsonl'));
    expect(odvg[0]).toEqual({
      filename: 'messi5.jpg', height: imageA.height, width: imageA.width,
      grounding: { caption: 'the man on the left', regions: [{ bbox: [10.12, 20.5, 110.77, 220], phrase: 'the man on the left', tokens_positive: [[0, 19]], amodal_bbox: [5, 20.5, 130, 260.1] }] },
    });
    expect(odvg.map((l) => l.grounding.caption)).toEqual(['the man on the left', 'a man in a red shirt', "The player's shadow!", 'ein „Apfel" — 日本 ✓', 'the 🍋 top']);
    expect(odvg[4]).toMatchObject({ filename: 'rotated.jpg', width: 30, height: 60 });
    expect(odvg[4].grounding.regions[0].tokens_positive).toEqual([[0, 9]]); // Python's len('the 🍋 top')
    expect(odvg[3].grounding.regions[0]).not.toHaveProperty('amodal_bbox');
  });
});

describe('egm export --qwenvl', () => {
  it('writes the exact EGM prompts and answers that parse back to the boxes', async () => {
    const run = await egm(ws.root, 'export', 'g.egm', '--qwenvl', 'sft.jsonl');
    expect(run.json).toEqual({ path: join(ws.root, 'sft.jsonl'), lines: 8, missingFiles: [] });
    const qwen = lines(join(ws.root, 'sft.jsonl'));
    expect(qwen[0].image).toBe('messi5.jpg');
    expect(qwen[0].conversations[0]).toEqual({ from: 'human', value: '<image>\nLocate the man on the left, output its bbox coordinates using JSON format' });
    expect(qwen[1].conversations[0].value).toBe('<image>\nLocate the man on the left amodally, output its bbox coordinates using JSON format');
    expect(qwen[0].conversations[1].value).toBe('```json\n[\n\t{"bbox_2d": [18, 60, 202, 643], "label": "the man on the left"}\n]\n```');
    expect(qwen.map((l) => l.conversations[0].value.split('\n')[1])).toHaveLength(8);
    // Through the app's parser and the authors' mapping, each answer lands within a grid step of its box.
    const boxes = [[10.123, 20.5, 110.77, 220], [5, 20.5, 130, 260.1]];
    for (const [i, box] of boxes.entries()) {
      const parsed = parseAnswer(qwen[i].conversations[1].value).box!;
      const pixels = toPixelBox(parsed, imageA.width, imageA.height);
      pixels.forEach((v, k) => expect(Math.abs(v - Math.min(box[k]!, k % 2 ? imageA.height - 1 : imageA.width - 1))).toBeLessThanOrEqual(Math.max(imageA.width, imageA.height) / 1000 + 1));
    }
  });
});
