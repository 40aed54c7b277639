// Phrase queries (grounding/query.ts: run, cancel, retry) and the review of
// their proposals (grounding/review.ts: accept, reject, accept-all, undo/redo
// putting a proposal back), on a fresh workbench over the real handler table
// with a server model answering from the fake OpenAI server. The image list's
// counts are checked on every image an action touched, not only the one on screen.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeServer } from '../helpers/fake-openai-server';
import { cancelQuery, ground, retryFailedQuery } from '../../renderer/src/grounding/query';
import { acceptActive, acceptAllOnImage, focusProposal } from '../../renderer/src/grounding/review';
import { selectImage } from '../../renderer/src/state/project';
import { TestWorkbench } from './test-workbench';

let server: FakeServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer({ record: false });
});
afterAll(() => server.close());

let tw: TestWorkbench;
beforeEach(async () => {
  server.configure({ durationMs: null, fail: null });
  tw = await TestWorkbench.open({ images: ['coffee.png', 'chelsea.png'], grounding: true });
  await tw.main.ok('model:setSettings', { model: { backend: 'server', baseUrl: server.baseUrl } });
  await tw.main.ok('model:health', {});
  await tw.until(() => tw.grounding.status.state === 'ready', 'the model status event');
});
afterEach(async () => {
  await tw.main.ok('model:setSettings', { model: null });
  await tw.dispose();
});

const storedProposals = () => tw.main.ok('proposals:list', {});

describe('phrase queries', () => {
  it('run: the answer is a proposal under review on this image, its reasoning streamed, the row counts it', async () => {
    await tw.track(ground('the cup')).settled();
    const q = tw.grounding.queue;
    expect(q).toHaveLength(1);
    expect(q[0]).toMatchObject({ imageId: tw.images[0]!.id, phrase: 'the cup' });
    expect(q[0]!.visible).not.toBeNull();
    expect(tw.grounding.activeId).toBe(q[0]!.id);
    expect(tw.grounding.query).toBeNull();
    expect(tw.grounding.recent[0]).toBe('the cup');
    expect(tw.row(0).proposalCount).toBe(1);
    expect(tw.row(1).proposalCount).toBe(0);
    expect(tw.redraws.proposals).toBeGreaterThan(0);
    tw.frame();
    expect(tw.wb.reasoning.store.getState().visible).toContain('left half');
    expect(await storedProposals()).toHaveLength(1);
  });

  it('cancel (Esc while it runs): nothing is queued or stored, and the query is over', async () => {
    server.configure({ durationMs: 5_000 });
    const run = ground('the saucer');
    tw.track(run);
    await tw.until(() => tw.wb.reasoning.store.getState().chunks > 0, 'the first reasoning token');
    expect(tw.commandFor('Escape')).toBe('ground.cancel');
    await tw.keyDown('Escape').settled();
    expect(tw.grounding.query).toBeNull();
    expect(tw.grounding.queue).toEqual([]);
    expect(tw.app.notice).toBe('Cancelled "the saucer"');
    expect(await storedProposals()).toEqual([]);
    await cancelQuery(); // nothing running: a no-op
    expect(tw.grounding.queryError).toBeNull();
  });

  it('retry after a failure asks again with the same phrase and point', async () => {
    // A failed answer is a proposal with a reason; a query FAILS when main cannot ask at all (no model).
    await tw.main.ok('model:setSettings', { model: null });
    await tw.track(ground('the cup', [40, 50])).settled();
    expect(tw.grounding.queryError).toMatch(/^Grounding "the cup" failed: /);
    expect(tw.grounding.failedQuery).toEqual({ phrase: 'the cup', point: [40, 50], imageId: tw.images[0]!.id });
    expect(tw.grounding.queue).toEqual([]);
    await tw.main.ok('model:setSettings', { model: { backend: 'server', baseUrl: server.baseUrl } });
    await tw.track(retryFailedQuery()).settled();
    expect(tw.grounding.queryError).toBeNull();
    expect(tw.grounding.queue).toHaveLength(1);
    expect(tw.grounding.queue[0]).toMatchObject({ phrase: 'the cup', point: [40, 50] });
  });

  it('retry after changing image asks the phrase there without the point, which marked a spot of the other picture', async () => {
    await tw.main.ok('model:setSettings', { model: null });
    await tw.track(ground('the cup', [40, 50])).settled();
    expect(tw.grounding.failedQuery).toMatchObject({ phrase: 'the cup', imageId: tw.images[0]!.id });
    await tw.main.ok('model:setSettings', { model: { backend: 'server', baseUrl: server.baseUrl } });
    await tw.track(selectImage(tw.images[1]!.id)).settled();
    await tw.track(retryFailedQuery()).settled();
    expect(tw.grounding.queue).toHaveLength(1);
    expect(tw.grounding.queue[0]).toMatchObject({ phrase: 'the cup', imageId: tw.images[1]!.id, point: null });
  });

  it('Shift+R rejects the proposal under review and asks again: one new proposal, the old one gone', async () => {
    await tw.track(ground('the cup')).settled();
    const first = tw.grounding.queue[0]!;
    await tw.keyDown('R', { shift: true }).settled();
    const q = tw.grounding.queue;
    expect(q).toHaveLength(1);
    expect(q[0]!.id).not.toBe(first.id);
    expect(q[0]!.phrase).toBe('the cup');
    expect((await storedProposals()).map((p) => p.id)).toEqual([q[0]!.id]);
  });
});

describe('review', () => {
  it('Enter accepts: a stored box, the proposal gone; undo puts the proposal back and removes the box, redo accepts again', async () => {
    await tw.track(ground('the cup')).settled();
    const p = tw.grounding.queue[0]!;
    await tw.keyDown('Enter').settled();
    expect(tw.grounding.queue).toEqual([]);
    expect(tw.annotations).toHaveLength(1);
    expect(tw.annotations[0]).toMatchObject({ phrase: 'the cup', source: 'model', visible: p.visible });
    expect(await tw.stored(0)).toHaveLength(1);
    expect(await storedProposals()).toEqual([]);
    expect(tw.row(0)).toMatchObject({ annotationCount: 1, proposalCount: 0 });

    await tw.keyDown('z', { mod: true }).settled();
    expect(tw.grounding.queue.map((x) => x.id)).toEqual([p.id]);
    expect(tw.grounding.activeId).toBe(p.id);
    expect(tw.annotations).toEqual([]);
    expect(await tw.stored(0)).toEqual([]);
    expect((await storedProposals()).map((x) => x.id)).toEqual([p.id]);
    expect(tw.row(0)).toMatchObject({ annotationCount: 0, proposalCount: 1 });

    await tw.keyDown('z', { mod: true, shift: true }).settled();
    expect(tw.grounding.queue).toEqual([]);
    expect(await tw.stored(0)).toHaveLength(1);
    expect(tw.row(0)).toMatchObject({ annotationCount: 1, proposalCount: 0 });
  });

  it('Backspace rejects: nothing stored, the proposal gone; undo brings it back under review', async () => {
    await tw.track(ground('the cup')).settled();
    const p = tw.grounding.queue[0]!;
    await tw.keyDown('Backspace').settled();
    expect(tw.grounding.queue).toEqual([]);
    expect(await storedProposals()).toEqual([]);
    expect(await tw.stored(0)).toEqual([]);
    expect(tw.row(0)).toMatchObject({ annotationCount: 0, proposalCount: 0 });
    await tw.keyDown('z', { mod: true }).settled();
    expect(tw.grounding.activeId).toBe(p.id);
    expect((await storedProposals()).map((x) => x.id)).toEqual([p.id]);
    expect(tw.row(0).proposalCount).toBe(1);
  });

  it('accept-all takes every proposal on the image as one undo step', async () => {
    await tw.track(ground('the cup')).settled();
    await tw.track(ground('the saucer')).settled();
    expect(tw.row(0).proposalCount).toBe(2);
    // Shift+Enter asks first (components/accept-all.ts); what it confirms is this.
    await tw.track(acceptAllOnImage()).settled();
    expect(tw.grounding.queue).toEqual([]);
    expect((await tw.stored(0)).map((a) => a.phrase).sort()).toEqual(['the cup', 'the saucer']);
    expect(tw.row(0)).toMatchObject({ annotationCount: 2, proposalCount: 0 });
    expect(tw.wb.history.size.undo).toBe(1);
    await tw.keyDown('z', { mod: true }).settled();
    expect(await tw.stored(0)).toEqual([]);
    expect(await storedProposals()).toHaveLength(2);
    expect(tw.row(0)).toMatchObject({ annotationCount: 0, proposalCount: 2 });
  });

  it('accepting a proposal of an image not on screen counts there; undo and redo keep every row right', async () => {
    await tw.track(selectImage(tw.images[1]!.id)).settled();
    await tw.track(ground('the cat')).settled();
    const p = tw.grounding.queue[0]!;
    await tw.track(selectImage(tw.images[0]!.id)).settled();
    expect(tw.rows().map((r) => [r.annotationCount, r.proposalCount])).toEqual([[0, 0], [0, 1]]);
    // The review queue panel can act on a proposal while another image is on screen.
    focusProposal(p, false);
    expect(tw.app.currentImageId).toBe(tw.images[0]!.id);
    await tw.track(acceptActive()).settled();
    expect(await tw.stored(1)).toHaveLength(1);
    expect(tw.rows().map((r) => [r.annotationCount, r.proposalCount])).toEqual([[0, 0], [1, 0]]);
    // Undo brings image 2 into view and puts the proposal back; image 1's row is untouched.
    await tw.keyDown('z', { mod: true }).settled();
    expect(tw.app.currentImageId).toBe(tw.images[1]!.id);
    expect(tw.rows().map((r) => [r.annotationCount, r.proposalCount])).toEqual([[0, 0], [0, 1]]);
    await tw.keyDown('z', { mod: true, shift: true }).settled();
    expect(tw.rows().map((r) => [r.annotationCount, r.proposalCount])).toEqual([[0, 0], [1, 0]]);
    expect(tw.annotations).toHaveLength(1);
  });

  it('the proposal under review is an editable box: a handle drag through the one pointer edits it, Enter accepts the edit', async () => {
    await tw.track(ground('the cup')).settled();
    const p = tw.grounding.queue[0]!;
    const [x1, y1, x2, y2] = p.visible!;
    tw.resetRedraws();
    tw.drag(tw.stage(x2, y2), tw.stage(x2 - 20, y2 - 10), 5);
    expect(tw.grounding.edits[p.id]!.visible).toEqual([x1, y1, x2 - 20, y2 - 10]);
    expect(tw.redraws.proposals).toBeGreaterThanOrEqual(5); // the proposal layer follows the drag
    expect(tw.redraws.selection + tw.redraws.boxes).toBe(0); // no annotation was touched
    expect(tw.wb.history.size.undo).toBe(1); // the drag is one undo step (issue 18)
    // A click inside without moving keeps the edit as it was, and is no step.
    tw.pointerDown(...tw.stage(x1 + 5, y1 + 5)).pointerUp();
    expect(tw.grounding.edits[p.id]!.visible).toEqual([x1, y1, x2 - 20, y2 - 10]);
    expect(tw.wb.history.size.undo).toBe(1);
    await tw.keyDown('Enter').settled();
    expect((await tw.stored(0)).map((a) => a.visible)).toEqual([[x1, y1, x2 - 20, y2 - 10]]);
  });

  it('Ctrl+click places the point hint (whole image pixels), not a box or a selection', async () => {
    tw.pointerDown(...tw.stage(30.4, 40.6), { mod: true }).pointerUp();
    expect(tw.grounding.point).toEqual([30, 41]);
    expect(tw.app.selection).toEqual([]);
    expect(tw.wb.history.size.undo).toBe(0);
  });
});
