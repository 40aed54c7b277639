// Issue 11 through the handler table: images:remove, images:list's filters,
// negatives:* and proposals:markAbsent (reject + record in one call, undone
// by proposals:restore + negatives:remove), with their events.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageRecord, Proposal } from '@core/types';
import type { Negative } from '@core/negatives';
import { addProposal } from '../../electron/store/proposals';
import { makeBench, SAMPLES_DIR, type Bench } from './handlers-helpers';

let bench: Bench;
let images: ImageRecord[];
beforeEach(async () => {
  bench = await makeBench();
  await bench.ok('project:create', { path: join(bench.dir, 'p.egm') });
  ({ added: images } = await bench.ok<{ added: ImageRecord[] }>('images:add', {
    paths: ['coffee.png', 'fruits.jpg', 'home.jpg'].map((name) => join(SAMPLES_DIR, name)),
  }));
});
afterEach(async () => {
  await bench.dispose();
});

function noBoxProposal(imageId: number, phrase = 'the teapot'): Proposal {
  return addProposal(bench.session.require(), {
    imageId, phrase, visible: null, amodal: null, reasoningVisible: 'no teapot anywhere', reasoningAmodal: '',
    model: 'm', score: null, point: null, pointHit: null, reason: 'no-box', latencyMs: 3, batchId: null,
  });
}

describe('images:remove', () => {
  it('removes the images with their boxes and proposals, and says so in events', async () => {
    const [coffee, fruits] = images as [ImageRecord, ImageRecord];
    await bench.ok('annotations:create', {
      imageId: coffee.id, categoryId: null, phrase: 'cup', visible: [1, 1, 9, 9], amodal: null,
      occluded: false, source: 'manual', model: null, score: null, reviewed: true,
    });
    const proposal = noBoxProposal(fruits.id);
    const from = bench.events.length;
    expect(await bench.ok('images:remove', { ids: [coffee.id, fruits.id] })).toEqual({ removed: 2, annotations: 1, proposals: 1 });
    expect(await bench.nextEvent('proposals:changed', () => true, from)).toEqual({ added: [], removedIds: [proposal.id] });
    expect((await bench.nextEvent('project:changed', () => true, from)).imageCount).toBe(1);
    expect((await bench.ok<ImageRecord[]>('images:list', {})).map((i) => i.fileName)).toEqual(['home.jpg']);
  });

  it('refuses an unknown id with one line, removing nothing', async () => {
    const result = await bench.call('images:remove', { ids: [images[0]!.id, 4242] });
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^images:remove: no image with id 4242 in .*p\.egm; nothing was removed$/) });
    expect(await bench.ok<ImageRecord[]>('images:list', {})).toHaveLength(3);
    expect(await bench.call('images:remove', { ids: [] })).toMatchObject({ ok: false, error: expect.stringMatching(/^images:remove: invalid request: ids: /) });
  });
});

describe('images:list filters', () => {
  it('passes every filter to the store, and counts waiting proposals as unreviewed', async () => {
    noBoxProposal(images[2]!.id);
    await bench.ok('images:setStatus', { id: images[0]!.id, status: 'done' });
    const names = async (filter: object) => (await bench.ok<ImageRecord[]>('images:list', filter)).map((i) => i.fileName);
    expect(await names({ unreviewed: true })).toEqual(['home.jpg']);
    expect(await names({ search: 'FRU' })).toEqual(['fruits.jpg']);
    expect(await names({ status: 'done' })).toEqual(['coffee.png']);
    expect(await names({ hasProposals: false, status: 'todo' })).toEqual(['fruits.jpg']);
    expect(await names({ categoryId: 7 })).toEqual([]);
    expect(await bench.call('images:list', { status: 'finished' })).toMatchObject({ ok: false, error: expect.stringMatching(/^images:list: invalid request: status: /) });
  });
});

describe('negatives', () => {
  it('adds (once per image and phrase), lists, removes and restores a negative', async () => {
    const image = images[0]!.id;
    const negative = await bench.ok<Negative>('negatives:add', { imageId: image, phrase: '  the   teapot ' });
    expect(negative).toMatchObject({ imageId: image, phrase: 'the teapot' });
    expect(await bench.ok('negatives:add', { imageId: image, phrase: 'the teapot' })).toEqual(negative);
    expect(await bench.ok('negatives:list', { imageId: image })).toEqual([negative]);
    expect(await bench.ok('negatives:list', { imageId: images[1]!.id })).toEqual([]);
    expect(await bench.ok('negatives:remove', { id: negative.id })).toEqual(negative);
    expect(await bench.ok('negatives:list', {})).toEqual([]);
    expect(await bench.ok('negatives:restore', { negative })).toEqual(negative);
    expect(await bench.ok('negatives:list', {})).toEqual([negative]);
    expect(await bench.call('negatives:remove', { id: 999 })).toMatchObject({ ok: false, error: expect.stringMatching(/^negatives:remove: negative 999 not found in /) });
    expect(await bench.call('negatives:add', { imageId: 999, phrase: 'x' })).toMatchObject({ ok: false, error: expect.stringMatching(/^negatives:add: negative on image 999: image 999 not found in /) });
    expect(await bench.call('negatives:add', { imageId: image, phrase: '   ' })).toMatchObject({ ok: false, error: expect.stringMatching(/^negatives:add: invalid request: phrase: /) });
  });

  it('proposals:markAbsent rejects the proposal and records the negative in one step; undo puts both back', async () => {
    const image = images[1]!.id;
    const proposal = noBoxProposal(image);
    const from = bench.events.length;
    const { proposal: was, negative } = await bench.ok<{ proposal: Proposal; negative: Negative }>('proposals:markAbsent', { id: proposal.id });
    expect(was).toEqual(proposal);
    expect(negative).toMatchObject({ imageId: image, phrase: 'the teapot' });
    expect(await bench.nextEvent('proposals:changed', () => true, from)).toEqual({ added: [], removedIds: [proposal.id] });
    expect(await bench.ok('proposals:list', { imageId: image })).toEqual([]);
    expect(await bench.ok('negatives:list', { imageId: image })).toEqual([negative]);
    // Undo: the proposal back under its id, the negative gone.
    await bench.ok('negatives:remove', { id: negative.id });
    expect(await bench.ok('proposals:restore', { proposal: was })).toEqual(proposal);
    expect(await bench.call('proposals:markAbsent', { id: 999 })).toMatchObject({ ok: false, error: expect.stringMatching(/^proposals:markAbsent: proposal 999 not found/) });
  });
});
