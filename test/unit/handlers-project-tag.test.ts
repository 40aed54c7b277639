// Issue 16, items 2 and 3 on main's side: a call tagged for a project that is
// no longer open is refused, changing nothing; a failure that may pass (the
// write lock held by another process) is marked transient, any other is not;
// a value over a limit is named with its limit.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageRecord, ProjectInfo } from '@core/types';
import { makeBench, SAMPLES_DIR, type Bench } from './handlers-helpers';

let bench: Bench;
beforeEach(async () => {
  bench = await makeBench();
});
afterEach(async () => {
  await bench.dispose();
});

const box = { categoryId: null, phrase: 'x', visible: [1, 1, 20, 20], amodal: null, occluded: false, source: 'manual', model: null, score: null, reviewed: true };

describe('project tags', () => {
  it('applies a call tagged for the open project and refuses one tagged for another, changing nothing there', async () => {
    const a = await bench.ok<ProjectInfo>('project:create', { path: join(bench.dir, 'a.egm') });
    await bench.ok('images:add', { paths: [join(SAMPLES_DIR, 'coffee.png')] });
    const [imageA] = await bench.ok<ImageRecord[]>('images:list', {});
    expect(await bench.call('annotations:create', { ...box, imageId: imageA!.id, project: a.token })).toMatchObject({ ok: true });

    const b = await bench.ok<ProjectInfo>('project:create', { path: join(bench.dir, 'b.egm') });
    await bench.ok('images:add', { paths: [join(SAMPLES_DIR, 'coffee.png')] });
    expect(b.token).not.toBe(a.token);
    const [imageB] = await bench.ok<ImageRecord[]>('images:list', {});
    expect(imageB!.id).toBe(imageA!.id); // the same id: only the tag tells the projects apart
    const late = await bench.call('annotations:create', { ...box, imageId: imageB!.id, project: a.token });
    expect(late).toEqual({ ok: false, error: 'annotations:create: refused: made in a project that is no longer open (another one is open now); nothing was changed' });
    expect(await bench.ok('annotations:list', { imageId: imageB!.id })).toEqual([]);
    // Untagged calls (the CLI's tests, older callers) and calls tagged for the open project go through.
    expect(await bench.call('annotations:create', { ...box, imageId: imageB!.id, project: b.token })).toMatchObject({ ok: true });
    expect(await bench.call('annotations:create', { ...box, imageId: imageB!.id, project: '' })).toMatchObject({ ok: false, error: expect.stringMatching(/^annotations:create: invalid request: project: /) });
  });

  it('names the field and the limit of a value over it, and does not mark it transient', async () => {
    await bench.ok('project:create', { path: join(bench.dir, 'a.egm') });
    await bench.ok('images:add', { paths: [join(SAMPLES_DIR, 'coffee.png')] });
    const [image] = await bench.ok<ImageRecord[]>('images:list', {});
    const long = await bench.call('annotations:create', { ...box, imageId: image!.id, phrase: 'x'.repeat(2001) });
    expect(long).toEqual({ ok: false, error: 'annotations:create: invalid request: phrase: longer than the 2,000-character limit' });
    const missing = await bench.call('annotations:update', { id: 4242, patch: { occluded: true } });
    expect(missing).toMatchObject({ ok: false });
    expect(missing).not.toHaveProperty('transient');
  });
});
