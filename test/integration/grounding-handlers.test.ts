// The issue-4 IPC methods through the real handler table (invokeHandler, zod
// validation, one-line errors) with the fake OpenAI server over HTTP: model
// settings and health, a live query with token events, the review actions
// with undo, a batch to completion with progress events, switching project.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Annotation, BatchStatus, ImageRecord, ModelStatus, Proposal } from '@core/types';
import { groundingSettingsPath } from '../../electron/grounding/settings';
import { startFakeOpenAIServer, type FakeServer } from '../helpers/fake-openai-server';
import { makeBench, SAMPLES_DIR, type Bench } from '../unit/handlers-helpers';

let server: FakeServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer({ record: false });
});
afterAll(() => server.close());

describe('grounding handlers', () => {
  let bench: Bench;
  let imageIds: number[];

  beforeEach(async () => {
    bench = await makeBench();
    await bench.ok('project:create', { path: join(bench.dir, 'p.egm') });
    const added = await bench.ok<{ added: ImageRecord[] }>('images:add', { paths: ['messi5.jpg', 'fruits.jpg', 'home.jpg'].map((n) => join(SAMPLES_DIR, n)) });
    imageIds = added.added.map((i) => i.id);
  });
  afterEach(async () => {
    await bench.ok('model:setSettings', { model: null }); // disposes the backend
    await bench.dispose();
  });

  const eventsOf = <T,>(name: string) => bench.events.filter((e) => e.event === name).map((e) => e.payload as T);

  it('sets up a server model (key kept out of the file), grounds with token events, and reviews with undo', async () => {
    expect(await bench.ok('model:getSettings')).toMatchObject({ model: null, grounding: { kinds: 'both', samples: 1 }, hasApiKey: false });
    expect((await bench.call('ground', { queryId: 'q0', imageId: imageIds[0], phrase: 'the man' })).ok).toBe(false);

    const status = await bench.ok<ModelStatus>('model:setSettings', { model: { backend: 'server', baseUrl: server.baseUrl }, apiKey: 'sk-abc', grounding: { maxNewTokens: 1024 } });
    expect(status).toMatchObject({ state: 'loading', backend: 'server' });
    expect(await bench.ok('model:health')).toMatchObject({ ok: true });
    expect(await bench.ok('model:status')).toMatchObject({ state: 'ready', backend: 'server', device: server.baseUrl });
    expect(eventsOf<ModelStatus>('model:status').map((s) => s.state)).toEqual(['none', 'loading', 'ready']); // 'none': the saved (empty) choice at start
    expect(await bench.ok('model:getSettings')).toMatchObject({ hasApiKey: true, grounding: { maxNewTokens: 1024 } });
    expect(readFileSync(groundingSettingsPath(join(bench.dir, 'userData')), 'utf8')).not.toContain('sk-abc');

    const { proposal } = await bench.ok<{ proposal: Proposal }>('ground', { queryId: 'q1', imageId: imageIds[0], phrase: 'the man', point: [150, 150] });
    expect(proposal).toMatchObject({ imageId: imageIds[0], phrase: 'the man', pointHit: true, reason: null });
    expect(proposal.visible).not.toBeNull();
    const tokens = eventsOf<{ queryId: string; kind: string }>('ground:token');
    expect(new Set(tokens.map((t) => `${t.queryId}/${t.kind}`))).toEqual(new Set(['q1/visible', 'q1/amodal']));
    expect(eventsOf('proposals:changed')).toEqual([{ added: [proposal], removedIds: [] }]);
    expect((await bench.ok<ImageRecord[]>('images:list')).map((i) => i.proposalCount)).toEqual([1, 0, 0]);

    const rejected = await bench.ok<Proposal>('proposals:reject', { id: proposal.id });
    expect(await bench.ok('proposals:list', {})).toEqual([]);
    expect(await bench.ok('proposals:restore', { proposal: rejected })).toEqual(proposal);
    expect(eventsOf('proposals:changed').slice(1)).toEqual([{ added: [], removedIds: [proposal.id] }, { added: [proposal], removedIds: [] }]);
    const bad = await bench.call('proposals:restore', { proposal: { id: 99 } });
    expect(bad).toEqual({ ok: false, error: 'proposals:restore: invalid request: proposal.imageId: Invalid input: expected number, received undefined' });

    const { annotation } = await bench.ok<{ annotation: Annotation }>('proposals:accept', { id: proposal.id, visible: [10, 10, 100, 100] });
    expect(annotation).toMatchObject({ source: 'model', reviewed: true, phrase: 'the man', visible: [10, 10, 100, 100] });
    expect(await bench.ok('annotations:list', { imageId: imageIds[0] })).toEqual([annotation]);
    expect(await bench.ok('proposals:list', { imageId: imageIds[0], order: 'confidence' })).toEqual([]);
    expect(await bench.ok('ground:cancel', { queryId: 'nope' })).toEqual({ cancelled: false });
    expect(await bench.ok('dialog:pickModelFolder')).toBeNull();
    expect(await bench.call('ground', { queryId: 'q2', imageId: imageIds[0], phrase: '  ' })).toMatchObject({ ok: false, error: expect.stringContaining('ground: invalid request: phrase') });
  });

  it('answers a cancelled query with { cancelled: true }, not an error, and queues nothing', async () => {
    await bench.ok('model:setSettings', { model: { backend: 'server', baseUrl: server.baseUrl } });
    server.configure({ durationMs: 5_000 });
    try {
      const from = bench.events.length;
      const answer = bench.call('ground', { queryId: 'slow', imageId: imageIds[0], phrase: 'the man' });
      // Cancel once the model is answering (its first token), not after a guessed pause.
      await bench.nextEvent('ground:token', (t) => t.queryId === 'slow', from);
      expect(await bench.ok('ground:cancel', { queryId: 'slow' })).toEqual({ cancelled: true });
      expect(await answer).toEqual({ ok: true, value: { cancelled: true } });
      expect(eventsOf('proposals:changed')).toEqual([]);
      expect(await bench.ok('proposals:list', {})).toEqual([]);
    } finally {
      server.configure({ durationMs: null });
    }
  });

  it('runs a batch over all images to the review queue, with progress events', async () => {
    await bench.ok('model:setSettings', { model: { backend: 'server', baseUrl: server.baseUrl } });
    expect(await bench.ok('batch:status')).toBeNull();
    expect(await bench.ok('batch:resume')).toBeNull();
    expect(await bench.call('batch:retryFailed')).toEqual({ ok: false, error: 'batch:retryFailed: no batch in this project has failed items' });
    const from = bench.events.length;
    const started = await bench.ok<BatchStatus>('batch:start', { phrases: ['the ball', 'the table'], imageIds: null, concurrency: 4 });
    expect(started).toMatchObject({ state: 'running', total: 6 });
    expect((await bench.call('batch:start', { phrases: ['x'], imageIds: null })).ok).toBe(false);
    await bench.nextEvent('batch:progress', (s) => s.id === started.id && s.state !== 'running', from);
    const status = await bench.ok<BatchStatus>('batch:status');
    expect(status).toMatchObject({ id: started.id, state: 'done', done: 6, failed: 0 });
    expect(eventsOf<BatchStatus>('batch:progress').at(-1)).toMatchObject({ state: 'done', done: 6 });
    const queue = await bench.ok<Proposal[]>('proposals:list', { order: 'confidence' });
    expect(queue).toHaveLength(6);
    expect(queue.every((p) => p.batchId === started.id)).toBe(true);
    expect((await bench.ok<ImageRecord[]>('images:list')).map((i) => i.proposalCount)).toEqual([2, 2, 2]);
    // Each result reached the renderer as a delta carrying the proposal itself.
    const added = eventsOf<{ added: Proposal[] }>('proposals:changed').flatMap((d) => d.added);
    expect(added.map((p) => p.id).sort()).toEqual(queue.map((p) => p.id).sort());

    // The same batch again asks for nothing: every (image, phrase) has a proposal waiting for review (issue 11).
    const before = bench.events.length;
    const again = await bench.ok<BatchStatus>('batch:start', { phrases: ['the ball', 'the table'], imageIds: null, concurrency: 4 });
    expect(await bench.nextEvent('batch:progress', (s) => s.id === again.id && s.state !== 'running', before)).toMatchObject({ state: 'done', done: 6, failed: 0 });
    expect(await bench.ok<Proposal[]>('proposals:list', {})).toHaveLength(6);
  });

  it('retries the failed items of the last batch (batch:retryFailed, issue 8)', async () => {
    await bench.ok('model:setSettings', { model: { backend: 'server', baseUrl: server.baseUrl }, grounding: { kinds: 'visible' } });
    server.configure({ fail: { times: 1, status: 400 } });
    try {
      const from = bench.events.length;
      const started = await bench.ok<BatchStatus>('batch:start', { phrases: ['the ball'], imageIds: null, concurrency: 1 });
      let status = await bench.nextEvent('batch:progress', (s) => s.id === started.id && s.state !== 'running', from);
      expect(status).toMatchObject({ state: 'done', done: 2, failed: 1 });
      const again = bench.events.length;
      const retried = await bench.ok<BatchStatus>('batch:retryFailed');
      expect(retried).toMatchObject({ id: started.id, state: 'running' });
      status = await bench.nextEvent('batch:progress', (s) => s.id === started.id && s.state === 'done' && s.failed === 0, again);
      expect(status).toMatchObject({ id: started.id, done: 3, failed: 0 });
    } finally {
      server.configure({ fail: null });
      await bench.ok('model:setSettings', { grounding: { kinds: 'both' } });
    }
  });

  it('pauses a running batch when the project changes, and resumes it on return', async () => {
    await bench.ok('model:setSettings', { model: { backend: 'server', baseUrl: server.baseUrl } });
    server.configure({ durationMs: 300 });
    try {
      const from = bench.events.length;
      const started = await bench.ok<BatchStatus>('batch:start', { phrases: ['the ball'], imageIds: null, concurrency: 1 });
      await bench.ok('project:create', { path: join(bench.dir, 'other.egm') });
      expect(await bench.ok('batch:status')).toBeNull(); // the batch belonged to the project that was closed
      expect(await bench.nextEvent('batch:progress', (s) => s.id === started.id && s.state !== 'running', from)).toMatchObject({ state: 'paused' });
      server.configure({ durationMs: null });
      await bench.ok('project:open', { path: join(bench.dir, 'p.egm') });
      const again = bench.events.length;
      const resumed = await bench.ok<BatchStatus>('batch:resume');
      expect(resumed).toMatchObject({ id: started.id, state: 'running', total: 3 });
      await bench.nextEvent('batch:progress', (s) => s.id === started.id && s.state !== 'running', again);
      expect(await bench.ok('batch:status')).toMatchObject({ id: started.id, state: 'done', done: 3 });
      expect(await bench.ok<Proposal[]>('proposals:list', {})).toHaveLength(3);
    } finally {
      server.configure({ durationMs: null });
    }
  });
});
