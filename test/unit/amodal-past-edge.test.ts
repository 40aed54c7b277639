// Issue 11, item 8: an amodal box may reach past the image edge (a cut-off
// object's full extent), up to one image size beyond each edge. The geometry
// helpers the renderer calls, the IPC handlers (create, update, restore,
// accepting a proposal), the COCO export and import all agree on that bound.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AMODAL_MARGIN,
  amodalBounds,
  amodalWithinBounds,
  clampAmodalBox,
  moveBoxWithinBounds,
  moveObjectBoxes,
} from '@core/geometry';
import type { Annotation, ImageRecord, Proposal } from '@core/types';
import { planImport, validateCocoStructure } from '@core/coco';
import { addProposal } from '../../electron/store/proposals';
import { makeBench, SAMPLES_DIR, type Bench } from './handlers-helpers';

describe('geometry', () => {
  it('bounds an amodal box to one image size past each edge', () => {
    expect(AMODAL_MARGIN).toBe(1);
    expect(amodalBounds(200, 100)).toEqual([-200, -100, 400, 200]);
    expect(clampAmodalBox([450, 250, -300, -10], 200, 100)).toEqual([-200, -10, 400, 200]);
    expect(amodalWithinBounds([-200, -100, 400, 200], 200, 100)).toBe(true);
    expect(amodalWithinBounds([-200.5, 0, 10, 10], 200, 100)).toBe(false);
    expect(amodalWithinBounds([-200.5, 0, 10, 10], 200, 100, 1)).toBe(true);
  });

  it('moves a box within bounds keeping its size, and not at all on an axis it is wider than', () => {
    expect(moveBoxWithinBounds([0, 0, 10, 10], 50, -50, [-5, -5, 30, 30])).toEqual([20, -5, 30, 5]);
    expect(moveBoxWithinBounds([0, 0, 100, 10], 5, 5, [0, 0, 50, 50])).toEqual([0, 5, 100, 15]);
  });

  it('moves an object as far as both boxes may go: visible in the image, amodal within its bound', () => {
    // Dragging left: the visible box could go 50 px, the amodal box (already past the edge) only 20.
    const moved = moveObjectBoxes([50, 10, 90, 40], [-180, 0, 90, 60], -100, 0, 200, 100);
    expect(moved).toEqual({ visible: [30, 10, 70, 40], amodal: [-200, 0, 70, 60] });
    expect(moveObjectBoxes([10, 10, 20, 20], null, 500, 500, 200, 100)).toEqual({ visible: [190, 90, 200, 100], amodal: null });
  });
});

describe('COCO import plan', () => {
  it('keeps an amodal_bbox past the edge within the bound (1 px of slack) and skips one beyond it', () => {
    const structure = validateCocoStructure({
      images: [{ id: 1, file_name: 'a.jpg', width: 100, height: 50 }],
      categories: [],
      annotations: [
        { id: 1, image_id: 1, bbox: [0, 0, 10, 10], amodal_bbox: [-100.5, -50, 300, 150] },
        { id: 2, image_id: 1, bbox: [0, 0, 10, 10], amodal_bbox: [-102, 0, 20, 10] },
      ],
    });
    const plan = planImport(structure, new Map([[1, { width: 100, height: 50 }]]));
    expect(plan.annotations.map((a) => a.amodal)).toEqual([[-100.5, -50, 199.5, 100]]);
    expect(plan.skipped).toEqual([{ path: 'annotations[1].amodal_bbox', reason: "[-102,0,20,10] reaches more than one image size past image 1 'a.jpg' (100×50)" }]);
  });
});

describe('through the handlers, the store and COCO', () => {
  let bench: Bench;
  let image: ImageRecord;
  beforeEach(async () => {
    bench = await makeBench();
    await bench.ok('project:create', { path: join(bench.dir, 'p.egm') });
    ({ added: [image] } = await bench.ok<{ added: [ImageRecord] }>('images:add', { paths: [join(SAMPLES_DIR, 'fruits.jpg')] }));
  });
  afterEach(async () => {
    await bench.dispose();
  });

  const fields = (amodal: number[] | null) => ({
    imageId: image.id, categoryId: null, phrase: 'the orange cut by the frame', visible: [0, 100, 60, 200], amodal,
    occluded: true, source: 'manual', model: null, score: null, reviewed: true,
  });

  it('stores an amodal box past the edge as given, exports it, and imports it back', async () => {
    const past = [-80.5, 90, 60, 215];
    const created = await bench.ok<Annotation>('annotations:create', fields(past));
    expect(created.amodal).toEqual(past);
    const out = join(bench.dir, 'out.json');
    await bench.ok('coco:export', { path: out });
    expect(JSON.parse(readFileSync(out, 'utf8')).annotations[0].amodal_bbox).toEqual([-80.5, 90, 140.5, 125]);
    await bench.ok('project:create', { path: join(bench.dir, 'q.egm') });
    const report = await bench.ok<{ annotations: number; skipped: unknown[] }>('coco:import', { path: out, imagesDir: SAMPLES_DIR });
    expect(report).toMatchObject({ annotations: 1, skipped: [] });
    const [again] = await bench.ok<ImageRecord[]>('images:list', {});
    expect((await bench.ok<Annotation[]>('annotations:list', { imageId: again!.id }))[0]!.amodal).toEqual(past);
  });

  it('refuses an amodal box beyond the bound on create, update and restore, in one line, changing nothing', async () => {
    const { width, height } = image;
    const beyond = [-width - 1, 0, 60, 200];
    const message = `amodal box ${JSON.stringify(beyond)} reaches more than one image size past the ${width}×${height} image (allowed: x ${-width}…${2 * width}, y ${-height}…${2 * height})`;
    expect(await bench.call('annotations:create', fields(beyond))).toEqual({ ok: false, error: `annotations:create: new annotation on image ${image.id}: ${message}` });
    expect(await bench.ok('annotations:list', { imageId: image.id })).toEqual([]);

    const created = await bench.ok<Annotation>('annotations:create', fields(null));
    expect(await bench.call('annotations:update', { id: created.id, patch: { amodal: beyond } })).toEqual({ ok: false, error: `annotations:update: annotation ${created.id}: ${message}` });
    expect((await bench.ok<Annotation[]>('annotations:list', { imageId: image.id }))[0]).toEqual(created);

    await bench.ok('annotations:delete', { ids: [created.id] });
    expect(await bench.call('annotations:restore', { annotations: [{ ...created, amodal: beyond }] })).toEqual({ ok: false, error: `annotations:restore: annotation ${created.id}: ${message}` });
    expect(await bench.ok('annotations:list', { imageId: image.id })).toEqual([]);
  });

  it('accepting a proposal with an edited amodal box beyond the bound fails and keeps the proposal', async () => {
    const proposal: Proposal = addProposal(bench.session.require(), {
      imageId: image.id, phrase: 'the orange', visible: [0, 100, 60, 200], amodal: [0, 90, 60, 215], reasoningVisible: '', reasoningAmodal: '',
      model: 'm', score: null, point: null, pointHit: null, reason: null, latencyMs: 1, batchId: null,
    });
    const result = await bench.call('proposals:accept', { id: proposal.id, amodal: [-2 * image.width, 90, 60, 215] });
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(new RegExp(`^proposals:accept: accepting proposal ${proposal.id}: amodal box .* reaches more than one image size past`)) });
    expect(await bench.ok('proposals:list', { imageId: image.id })).toEqual([proposal]);
    // Past the edge within the bound is accepted as edited.
    const { annotation } = await bench.ok<{ annotation: Annotation }>('proposals:accept', { id: proposal.id, amodal: [-40, 90, 60, 215] });
    expect(annotation.amodal).toEqual([-40, 90, 60, 215]);
  });
});
