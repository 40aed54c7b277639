// The batch runner on a real project file against the fake OpenAI server:
// a batch stopped mid-way and resumed after the project is reopened runs only
// the items without a stored result; a missing image file and a failing
// answer are recorded as failed without stopping the batch; the request limit
// holds; (issue 8) a server outage is ridden out, a server that stays down
// pauses the batch (resumable), failed items can be retried; (issue 11) the
// same batch run twice asks nothing for pairs with a proposal waiting, nor
// for pairs the user marked 'not in this image'; (issue 18) a "no box" answer
// is a proposal without boxes, with the model's words, counted in the
// progress, and not asked again; nor is a pair a box already has the phrase
// of; the rate counts items answered, not requests.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALREADY_LABELLED, ALREADY_PROPOSED, BatchRun, MARKED_ABSENT, type BatchDeps, type OutagePolicy } from '../../electron/grounding/batch-runner';
import { requestSlots } from '../../electron/grounding/query';
import type { GroundingBackend } from '../../electron/engine/backend';
import { DEFAULT_GROUNDING } from '../../electron/grounding/settings';
import { createServerBackend, type ServerBackend } from '../../electron/engine/server';
import { openProjectStore } from '../../electron/store/project-store';
import type { ProjectStore } from '../../electron/store/api';
import { batchCounts, batchItems, requireBatch, unfinishedBatches } from '../../electron/store/batches';
import { listProposals, rejectProposal } from '../../electron/store/proposals';
import { addNegative } from '../../electron/store/negatives';
import type { BatchStatus } from '@core/types';
import { BOX_ANSWER, NO_BOX_ANSWER, startFakeOpenAIServer, type FakeServer } from '../helpers/fake-openai-server';
import { tempDir } from '../helpers/store-temp';

const SAMPLES = resolve(__dirname, '../../assets/samples');
const FILES = ['messi5.jpg', 'fruits.jpg', 'home.jpg', 'stuff.jpg'];

let server: FakeServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer({ record: false });
});
afterAll(() => server.close());

describe('batch runner', () => {
  let dir: string;
  let cleanup: () => void;
  let file: string;
  let store: ProjectStore;
  let backend: ServerBackend;
  let progress: BatchStatus[];
  /** Waiters on the next progress report that satisfies a condition (no polling). */
  let waiters: { until: (s: BatchStatus) => boolean; resolve: () => void }[];

  beforeEach(() => {
    ({ dir, cleanup } = tempDir('egm-batch-'));
    file = join(dir, 'b.egm');
    store = openProjectStore(file, { create: true });
    // Copies, so a test can delete one image file without touching the samples.
    store.addImages(
      FILES.map((name) => {
        copyFileSync(join(SAMPLES, name), join(dir, name));
        return { absolutePath: join(dir, name), width: 100, height: 100, orientation: 1 };
      }),
    );
    backend = createServerBackend({ baseUrl: server.baseUrl, model: 'egm', maxConcurrency: 8, retries: 0 });
    progress = [];
    waiters = [];
    server.configure({ durationMs: null, latencyMs: 0, fail: null, answers: null, answerByPrompt: null, slots: Number.POSITIVE_INFINITY });
    server.stats.peakGenerating = 0;
  });
  afterEach(async () => {
    await backend.dispose();
    store.close();
    cleanup();
  });

  const deps = (outage?: Partial<OutagePolicy>, via: GroundingBackend = backend): BatchDeps => ({
    store,
    backend: via,
    settings: { ...DEFAULT_GROUNDING },
    onProgress: (s) => {
      progress.push(s);
      waiters = waiters.filter((w) => !(w.until(s) && (w.resolve(), true)));
    },
    progressIntervalMs: 0,
    ...(outage ? { outage } : {}),
  });
  /** Resolves at the first progress report (or the current status) with at least `n` items done. */
  const doneAtLeast = (run: BatchRun, n: number) =>
    run.status().done >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ until: (s) => s.done >= n, resolve }));
  /** Resolves when the fake server answers again after down(). */
  const serverBack = () => server.whenUp();

  it('resumes after an interruption with only the unanswered items, never duplicating a result', async () => {
    server.configure({ durationMs: 150 });
    const run = BatchRun.start(deps(), { phrases: ['the person', 'the table'], imageIds: null, concurrency: 2 });
    expect(run.status()).toMatchObject({ state: 'running', total: 8, done: 0, failed: 0 });
    // Stop once some items are stored: like quitting the app mid-batch.
    await doneAtLeast(run, 3);
    const stopped = await run.stop('paused');
    expect(stopped.state).toBe('paused');
    const doneBefore = stopped.done;
    expect(doneBefore).toBeGreaterThanOrEqual(3);
    expect(doneBefore).toBeLessThan(8);
    expect(listProposals(store)).toHaveLength(doneBefore);

    // "Restart": reopen the project file and resume what is unfinished.
    store.close();
    store = openProjectStore(file);
    const [batch] = unfinishedBatches(store);
    expect(batch).toMatchObject({ id: run.id, state: 'paused', phrases: ['the person', 'the table'], concurrency: 2 });
    // Counted at the backend the resumed run uses: requests the stop cancelled
    // may still reach the server after the abort, so its own count would race.
    let asked = 0;
    const counting: GroundingBackend = { ...backend, ground: (request, options) => (asked++, backend.ground(request, options)) };
    const resumed = BatchRun.resume(deps(undefined, counting), run.id);
    const final = await resumed.finished;
    expect(final).toMatchObject({ id: run.id, state: 'done', total: 8, done: 8, failed: 0, etaSeconds: null });
    // Two requests (visible, amodal) per remaining item, and none for the stored ones.
    expect(asked).toBe((8 - doneBefore) * 2);
    const proposals = listProposals(store);
    expect(proposals).toHaveLength(8);
    expect(new Set(proposals.map((p) => `${p.imageId}/${p.phrase}`)).size).toBe(8);
    expect(proposals.every((p) => p.batchId === run.id && p.visible !== null && p.amodal !== null)).toBe(true);
    expect(store.listImages().map((i) => i.proposalCount)).toEqual([2, 2, 2, 2]);
    expect(requireBatch(store, run.id).state).toBe('done');
    expect(progress.at(-1)!.throughput).toBeGreaterThan(0);
  });

  it('records a missing image and a failing answer as failed and finishes the rest', async () => {
    rmSync(join(dir, 'home.jpg'));
    store.refreshMissing();
    // The first two completions fail with a non-retryable status: with one
    // request at a time those are the visible and amodal asks of the first item.
    server.configure({ fail: { times: 2, status: 400 } });
    const run = BatchRun.start(deps(), { phrases: ['the person'], imageIds: null, concurrency: 1 });
    const final = await run.finished;
    expect(final).toMatchObject({ state: 'done', total: 4, done: 2, failed: 2 });
    const items = batchItems(store, run.id);
    const failed = items.filter((i) => i.state === 'failed');
    expect(failed.map((i) => i.reason)).toEqual([expect.stringContaining('error:'), expect.stringContaining('image file missing')]);
    expect(failed[0]!.reason).toContain('400');
    expect(listProposals(store)).toHaveLength(2);
    expect(batchCounts(store, run.id)).toEqual({ total: 4, pending: 0, done: 2, failed: 2, noBox: 0, skipped: 0 });
  });

  it('run twice, the same batch asks nothing for (image, phrase) pairs whose proposal waits for review', async () => {
    const first = await BatchRun.start(deps(), { phrases: ['the person'], imageIds: null, concurrency: 4 }).finished;
    expect(first).toMatchObject({ state: 'done', done: 4 });
    const [reviewed] = listProposals(store);
    // One proposal leaves the queue (accepted or rejected): only its pair is asked again.
    rejectProposal(store, reviewed!.id);
    const before = server.stats.completions;
    const second = BatchRun.start(deps(), { phrases: ['the person', 'the table'], imageIds: null, concurrency: 4 });
    expect(await second.finished).toMatchObject({ state: 'done', total: 8, done: 8, failed: 0 });
    // The reviewed pair and the four new 'the table' pairs: two requests each.
    expect(server.stats.completions - before).toBe(5 * 2);
    const skipped = batchItems(store, second.id).filter((i) => i.reason === ALREADY_PROPOSED);
    expect(skipped.map((i) => i.imageId).sort()).toEqual(store.listImages().map((i) => i.id).filter((id) => id !== reviewed!.imageId).sort());
    const proposals = listProposals(store);
    expect(proposals).toHaveLength(8);
    expect(new Set(proposals.map((p) => `${p.imageId}/${p.phrase}`)).size).toBe(8);
  });

  it("asks nothing for an (image, phrase) pair marked 'not in this image', and counts it done", async () => {
    const [first, second] = store.listImages();
    // Stored by its key (spaces collapsed): the batch's phrase with odd spacing is the same phrase.
    addNegative(store, first!.id, 'the   person');
    addNegative(store, second!.id, 'the table'); // another phrase: asked as usual
    const before = server.stats.completions;
    const run = BatchRun.start(deps(), { phrases: [' the person '], imageIds: null, concurrency: 4 });
    expect(await run.finished).toMatchObject({ state: 'done', total: 4, done: 4, failed: 0 });
    // Two requests (visible, amodal) for each of the three other images, none for the marked pair.
    expect(server.stats.completions - before).toBe(3 * 2);
    const items = batchItems(store, run.id);
    expect(items.filter((i) => i.reason === MARKED_ABSENT).map((i) => i.imageId)).toEqual([first!.id]);
    expect(listProposals(store).map((p) => p.imageId).sort()).toEqual(store.listImages().map((i) => i.id).filter((id) => id !== first!.id).sort());
  });

  it('asks no more requests at once than the backend serves (requestSlots)', () => {
    expect(backend.concurrency).toBe(8);
    expect(requestSlots(backend)).toBe(8);
    expect(requestSlots(backend, 3)).toBe(3);
    expect(requestSlots(backend, 64)).toBe(8);
    expect(requestSlots({ ...backend, concurrency: 1 }, 8)).toBe(1); // the local model host
  });

  it('keeps a no-box answer as a "no box" proposal with the model\'s words, counts it, and does not ask it again (issue 18)', async () => {
    // "the dog" is nowhere; "the person" is found everywhere.
    server.configure({ answerByPrompt: { 'the dog': NO_BOX_ANSWER, 'the person': BOX_ANSWER } });
    const first = await BatchRun.start(deps(), { phrases: ['the dog', 'the person'], imageIds: null, concurrency: 4 }).finished;
    expect(first).toMatchObject({ state: 'done', total: 8, done: 8, failed: 0, noBox: 4, skipped: 0, phrases: ['the dog', 'the person'] });
    const noBox = listProposals(store).filter((p) => p.phrase === 'the dog');
    expect(noBox).toHaveLength(4);
    for (const p of noBox) {
      expect(p).toMatchObject({ visible: null, amodal: null, reason: 'no-box', batchId: first.id, model: 'egm' });
      // The model's words are kept, its answer sentence too: the reviewer reads why before agreeing (X) or rejecting.
      expect(p.reasoningVisible).toBe(`${server.behaviour.reasoning}\n</think>\n\n${NO_BOX_ANSWER}`);
    }
    expect(batchCounts(store, first.id)).toMatchObject({ done: 8, noBox: 4, skipped: 0 });

    // Run again: every pair is answered (box or no box): nothing is asked, nothing doubles.
    const before = server.stats.completions;
    const again = await BatchRun.start(deps(), { phrases: ['the dog', 'the person'], imageIds: null, concurrency: 4 }).finished;
    expect(again).toMatchObject({ state: 'done', total: 8, done: 8, noBox: 0, skipped: 8 });
    expect(server.stats.completions).toBe(before);
    expect(batchItems(store, again.id).every((i) => i.reason === ALREADY_PROPOSED)).toBe(true);
    expect(listProposals(store)).toHaveLength(8);
  });

  it('asks nothing for a pair a box already has the phrase of (accepted, or labelled by hand)', async () => {
    const [first, second] = store.listImages();
    const base = { categoryId: null, amodal: null, occluded: false, source: 'manual' as const, model: null, score: null, reviewed: true };
    store.createAnnotation({ ...base, imageId: first!.id, phrase: 'the  person', visible: [1, 1, 20, 20] });
    store.createAnnotation({ ...base, imageId: second!.id, phrase: 'the man', morePhrases: ['the person'], visible: [1, 1, 20, 20] });
    const before = server.stats.completions;
    const run = await BatchRun.start(deps(), { phrases: ['the person'], imageIds: null, concurrency: 4 }).finished;
    expect(run).toMatchObject({ state: 'done', total: 4, done: 4, skipped: 2 });
    expect(server.stats.completions - before).toBe(2 * 2);
    expect(batchItems(store, run.id).filter((i) => i.reason === ALREADY_LABELLED).map((i) => i.imageId).sort()).toEqual([first!.id, second!.id].sort());
  });

  it('rates items answered per second, not requests (issue 18: 2.3/s read while items finished at 1.2/s)', async () => {
    let now = 1_000_000;
    const clock = () => now;
    const run = BatchRun.start({ ...deps(), clock }, { phrases: ['the person'], imageIds: null, concurrency: 2 });
    await run.finished;
    now += 10_000; // the four items (eight requests: two box kinds each) took "10 s"
    expect(run.status().throughput).toBeCloseTo(4 / 10, 9);
  });

  it('keeps at most `concurrency` requests in flight and cancels to a resumable state', async () => {
    server.configure({ durationMs: 200 });
    const run = BatchRun.start(deps(), { phrases: ['a', 'b', 'c'], imageIds: null, concurrency: 3 });
    await doneAtLeast(run, 3); // three 200 ms answers in flight together, then stop
    const stopped = await run.stop('cancelled');
    expect(server.stats.peakGenerating).toBe(3);
    expect(stopped.state).toBe('cancelled');
    expect(stopped.done).toBeLessThan(12);
    expect(batchCounts(store, run.id).pending).toBe(12 - stopped.done - stopped.failed);
    expect(unfinishedBatches(store).map((b) => b.id)).toEqual([run.id]);
  });

  describe('outages (issue 8, finding 7)', () => {
    it('rides out a 4 s outage: transient failures wait and ask again, nothing is marked failed', async () => {
      server.configure({ durationMs: 150 });
      const run = BatchRun.start(deps({ baseDelayMs: 200, maxDelayMs: 1_000, pauseAfterMs: 30_000 }), { phrases: ['the person', 'the table'], imageIds: null, concurrency: 4 });
      await doneAtLeast(run, 1);
      await server.down(4_000);
      const final = await run.finished;
      expect(final).toMatchObject({ state: 'done', total: 8, done: 8, failed: 0 });
      expect(listProposals(store)).toHaveLength(8);
      expect(progress.some((p) => /^waiting for the server \(failing for \d+ s: error: server unreachable: /.test(p.reason ?? ''))).toBe(true);
    }, 30_000);

    it('a server that stays down pauses the batch, saying why; resume finishes it', async () => {
      server.configure({ durationMs: 100 });
      const run = BatchRun.start(deps({ baseDelayMs: 100, maxDelayMs: 300, pauseAfterMs: 600 }), { phrases: ['the person'], imageIds: null, concurrency: 2 });
      await doneAtLeast(run, 1);
      await server.down(3_000);
      const paused = await run.finished;
      expect(paused).toMatchObject({ state: 'paused', failed: 0 });
      expect(paused.reason).toMatch(/^paused: the server failed for \d+ s with no answer \(error: server unreachable: .*\); resume when it is back$/);
      expect(run.pausedBy).toBe(paused.reason);
      expect(batchCounts(store, run.id)).toMatchObject({ failed: 0, pending: 4 - paused.done });
      expect(requireBatch(store, run.id).state).toBe('paused');

      await serverBack();
      const resumed = await BatchRun.resume(deps(), run.id).finished;
      expect(resumed).toMatchObject({ state: 'done', done: 4, failed: 0 });
      expect(resumed.reason).toBeUndefined();
    }, 30_000);

    it('retryFailed puts failed items back and runs only them', async () => {
      server.configure({ fail: { times: 2, status: 400 } }); // not transient: the first item fails at once
      const first = await BatchRun.start(deps(), { phrases: ['the person'], imageIds: null, concurrency: 1 }).finished;
      expect(first).toMatchObject({ state: 'done', done: 3, failed: 1 });
      const before = server.stats.completions;
      const retried = await BatchRun.retryFailed(deps(), first.id).finished;
      expect(retried).toMatchObject({ id: first.id, state: 'done', done: 4, failed: 0 });
      expect(server.stats.completions - before).toBe(2); // visible + amodal of the one failed item
      expect(listProposals(store)).toHaveLength(4);
      expect(() => BatchRun.retryFailed(deps(), first.id)).toThrow(`batch ${first.id} has no failed items to retry`);
    });
  });
});
