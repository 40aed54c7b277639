// The grounding service against the fake OpenAI server over real HTTP, on a
// real project file: visible + amodal in one query, streamed reasoning, the
// point hint hit/miss, N=3 self-consistency (median + agreement), accept /
// reject / restore, cancel by query id, settings and the API key kept apart;
// (issue 8) a key only ever goes to its own server, a dead server is an error
// and a red model status, never a proposal.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GroundingService, type GroundingEvents } from '../../electron/grounding/service';
import type { GroundInput } from '../../electron/grounding/query-runner';
import type { ProposalsDelta } from '@ipc/contract';
import { envSecretStore, type SecretStore } from '../../electron/grounding/secrets';
import { groundingSettingsPath, saveGroundingPrefs, DEFAULT_GROUNDING } from '../../electron/grounding/settings';
import { openProjectStore } from '../../electron/store/project-store';
import type { ProjectStore } from '../../electron/store/api';
import { fuseBoxes } from '@core/egm/fuse';
import { firstIssue } from '@core/errors';
import { settingsPatchSchema } from '@core/settings-schemas';
import { toPixelBox } from '@core/egm/coordinates';
import type { Box, BoxKind, ModelStatus, Proposal } from '@core/types';
import { startFakeOpenAIServer, type FakeServer } from '../helpers/fake-openai-server';
import { tempDir } from '../helpers/store-temp';

const SAMPLES = resolve(__dirname, '../../assets/samples');
const MESSI = { w: 548, h: 342 };
const answer = (box: number[]) => `\`\`\`json\n[{"bbox_2d": [${box.join(', ')}], "label": "x"}]\n\`\`\``;
const px = (box: number[]): Box => toPixelBox(box, MESSI.w, MESSI.h);

/** A query that must answer with a proposal (not cancelled). */
async function groundOn(service: GroundingService, input: GroundInput, onToken?: (kind: BoxKind, text: string) => void): Promise<Proposal> {
  const answer = await service.queries.ground(input, onToken);
  if (!('proposal' in answer)) throw new Error(`query ${input.queryId} was cancelled`);
  return answer.proposal;
}

let server: FakeServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer({ chunkChars: 16 });
});
afterAll(() => server.close());

describe('grounding service (server backend over HTTP)', () => {
  let dir: string;
  let cleanup: () => void;
  let store: ProjectStore;
  let service: GroundingService;
  let imageId: number;
  const tokens: Array<{ queryId: string; kind: string; text: string }> = [];
  const changed: ProposalsDelta[] = [];
  const statuses: ModelStatus[] = [];
  const events: GroundingEvents = {
    token: (e) => tokens.push(e),
    proposalsChanged: (delta) => changed.push(delta),
    modelStatus: (s) => statuses.push(s),
  };
  const env: NodeJS.ProcessEnv = {};

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir('egm-grounding-'));
    store = openProjectStore(join(dir, 'p.egm'), { create: true });
    imageId = store.addImages([{ absolutePath: join(SAMPLES, 'messi5.jpg'), width: MESSI.w, height: MESSI.h, orientation: 1 }]).added[0]!.id;
    tokens.length = 0;
    changed.length = 0;
    statuses.length = 0;
    server.requests.length = 0;
    server.configure({ answers: null, latencyMs: 0, fail: null });
    service = await GroundingService.create({ userDataDir: join(dir, 'user'), secrets: envSecretStore(env, 'EGM_API_KEY'), getStore: () => store, events, env });
    await service.setSettings({ model: { backend: 'server', baseUrl: server.baseUrl, serverModel: 'egm' } });
  });
  afterEach(async () => {
    await service.dispose();
    store.close();
    cleanup();
  });

  const completions = () => server.requests.filter((r) => r.path === '/v1/chat/completions');
  const promptOf = (body: unknown) => JSON.stringify((body as { messages: unknown[] }).messages);

  it('asks visible and amodal at once, streams both reasonings and stores one proposal', async () => {
    expect((await service.health()).ok).toBe(true);
    expect(statuses.at(-1)).toMatchObject({ state: 'ready', backend: 'server', model: 'egm', device: server.baseUrl });
    let direct = '';
    const proposal = await groundOn(service, { queryId: 'q1', imageId, phrase: 'the man kicking the ball' }, (kind, text) => (direct += kind === 'amodal' ? text : ''));
    expect(direct).toContain(server.behaviour.reasoning);
    expect(proposal).toMatchObject({
      imageId,
      phrase: 'the man kicking the ball',
      visible: px([100, 200, 500, 750]),
      amodal: px([100, 200, 500, 750]),
      reasoningVisible: server.behaviour.reasoning,
      reasoningAmodal: server.behaviour.reasoning,
      model: 'egm',
      score: null,
      point: null,
      pointHit: null,
      reason: null,
      batchId: null,
    });
    const prompts = completions().map((r) => promptOf(r.body));
    expect(prompts.some((p) => p.includes('amodally'))).toBe(true);
    expect(prompts.some((p) => !p.includes('amodally'))).toBe(true);
    for (const kind of ['visible', 'amodal']) {
      const text = tokens.filter((t) => t.queryId === 'q1' && t.kind === kind).map((t) => t.text).join('');
      expect(text).toContain(server.behaviour.reasoning);
    }
    expect(service.review.list()).toEqual([proposal]);
    expect(store.getImage(imageId)!.proposalCount).toBe(1);
    expect(changed).toEqual([{ added: [proposal], removedIds: [] }]);
  });

  it('checks the point hint: inside the visible box is a hit, outside a miss', async () => {
    const box = px([100, 200, 500, 750]);
    const inside: [number, number] = [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2];
    const hit = await groundOn(service, { queryId: 'a', imageId, phrase: 'the man', point: inside });
    expect(hit).toMatchObject({ point: inside, pointHit: true });
    expect(promptOf(completions()[0]!.body)).toContain('contains the point');
    const miss = await groundOn(service, { queryId: 'b', imageId, phrase: 'the man', point: [540, 330] });
    expect(miss).toMatchObject({ point: [540, 330], pointHit: false });
    await expect(groundOn(service, { queryId: 'c', imageId, phrase: 'x', point: [9999, 1] })).rejects.toThrow('outside the 548x342 image');
  });

  it('fuses N=3 samples by median and scores their agreement', async () => {
    await service.setSettings({ grounding: { samples: 3, kinds: 'visible' } });
    const grid = [[100, 200, 500, 750], [120, 210, 520, 760], [600, 600, 900, 900]];
    server.configure({ answers: grid.map(answer) });
    const proposal = await groundOn(service, { queryId: 'n3', imageId, phrase: 'the man' });
    expect(completions()).toHaveLength(3);
    // N > 1 asks the server to sample (temperature > 0), not to repeat the greedy answer.
    expect(completions().every((r) => (r.body as { temperature: number }).temperature > 0)).toBe(true);
    const expected = fuseBoxes(grid.map(px))!;
    expect(proposal.visible).toEqual(expected.box);
    expect(proposal.amodal).toBeNull();
    expect(proposal.score).toBeCloseTo(expected.agreement, 6);
    expect(proposal.score!).toBeGreaterThan(0.4);
    expect(proposal.score!).toBeLessThan(0.9);
    // The one wild sample does not move the median off the two that agree.
    expect(proposal.visible![0]).toBe(px(grid[1]!)[0]);
  });

  it('counts a sample without a box as agreement 0 and reports a kind that found nothing', async () => {
    await service.setSettings({ grounding: { samples: 2, kinds: 'visible' } });
    server.configure({ answers: [answer([100, 200, 500, 750]), 'no such object'] });
    const proposal = await groundOn(service, { queryId: 'n2', imageId, phrase: 'the man' });
    expect(proposal.visible).toEqual(px([100, 200, 500, 750]));
    expect(proposal.score).toBeCloseTo(0.5, 6);
  });

  it('accepts with an edit, rejects, and restores both (undo)', async () => {
    const a = await groundOn(service, { queryId: 'a', imageId, phrase: 'the man' });
    const b = await groundOn(service, { queryId: 'b', imageId, phrase: 'the ball' });
    const { annotation } = service.review.accept(a.id, { visible: [60, 70, 200, 250] });
    expect(annotation).toMatchObject({ source: 'model', model: 'egm', phrase: 'the man', reviewed: true, visible: [60, 70, 200, 250], amodal: a.amodal, occluded: true });
    const rejected = service.review.reject(b.id);
    expect(service.review.list()).toEqual([]);
    expect(store.getImage(imageId)!.proposalCount).toBe(0);
    // Undo of the reject, then of the accept (the renderer deletes the annotation and restores).
    expect(service.review.restore(rejected)).toEqual(b);
    store.deleteAnnotations([annotation.id]);
    expect(service.review.restore(a)).toEqual(a);
    expect(service.review.list({ order: 'newest' }).map((p) => p.id)).toEqual([b.id, a.id]);
    // Each change went out as a delta, in order: the renderer applies them instead of re-listing.
    expect(changed).toEqual([
      { added: [a], removedIds: [] },
      { added: [b], removedIds: [] },
      { added: [], removedIds: [a.id] },
      { added: [], removedIds: [b.id] },
      { added: [b], removedIds: [] },
      { added: [a], removedIds: [] },
    ]);
  });

  it('cancels a running query by id: it answers cancelled (a value, not an error) and stores nothing', async () => {
    server.configure({ latencyMs: 5_000 });
    const bothReached = server.whenCompletions(server.stats.completions + 2);
    const running = service.queries.ground({ queryId: 'slow', imageId, phrase: 'the man' });
    await expect(service.queries.ground({ queryId: 'slow', imageId, phrase: 'again' })).rejects.toThrow('query slow is already running');
    // Cancel once both requests reached the server (not at a guessed moment).
    await bothReached;
    expect(service.queries.cancel('slow')).toBe(true);
    await expect(running).resolves.toEqual({ cancelled: true });
    expect(service.queries.cancel('slow')).toBe(false);
    expect(service.review.list()).toEqual([]);
    expect(changed).toEqual([]);
  });

  it('keeps settings per user in a JSON file and the API key out of it', async () => {
    await service.setSettings({ grounding: { maxNewTokens: 512 }, apiKey: 'sk-secret-1' });
    expect(readFileSync(groundingSettingsPath(join(dir, 'user')), 'utf8')).not.toContain('sk-secret');
    await groundOn(service, { queryId: 'k', imageId, phrase: 'the man' });
    const last = completions().at(-1)!;
    expect(last.headers.authorization).toBe('Bearer sk-secret-1');
    expect((last.body as { max_tokens: number }).max_tokens).toBe(512);
    const again = await GroundingService.create({ userDataDir: join(dir, 'user'), secrets: envSecretStore({}, 'NONE'), getStore: () => store });
    expect(await again.getSettings()).toMatchObject({
      model: { backend: 'server', baseUrl: server.baseUrl, serverModel: 'egm' },
      grounding: { kinds: 'both', maxNewTokens: 512, samples: 1 },
      hasApiKey: false,
    });
    await again.dispose();
    await expect(service.setSettings({ grounding: { samples: 0 } })).rejects.toThrow('grounding settings: samples');
  });

  it('reports a local model that cannot load as an error status with a one-line reason', async () => {
    await service.setSettings({ model: { backend: 'local', modelDir: join(dir, 'no-such-model'), device: 'cpu' } });
    await expect(groundOn(service, { queryId: 'x', imageId, phrase: 'the man' })).rejects.toThrow(/^model failed to load: .*no-such-model/);
    const status = service.modelStatus();
    expect(status).toMatchObject({ state: 'error', backend: 'local', model: 'no-such-model' });
    expect(status.message).toContain('no-such-model');
    expect(status.message).not.toContain('\n');
    expect(await service.health()).toMatchObject({ ok: false, message: expect.stringContaining('no-such-model') });
  });

  it('says what to do when no model is set up or the image is unknown', async () => {
    await service.setSettings({ model: null });
    await expect(groundOn(service, { queryId: 'x', imageId, phrase: 'the man' })).rejects.toThrow('no model is set up');
    await expect(groundOn(service, { queryId: 'y', imageId: 999, phrase: 'the man' })).rejects.toThrow('no image with id 999');
    expect((await service.health()).ok).toBe(false);
  });

  describe('API keys belong to their server (issue 8, finding 1)', () => {
    let other: FakeServer;
    beforeEach(async () => {
      other = await startFakeOpenAIServer({});
    });
    afterEach(() => other.close());
    const authOf = (fake: FakeServer) => fake.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)?.headers.authorization;

    it('a new server URL without a key sends no key; each server keeps its own', async () => {
      await service.setSettings({ model: { backend: 'server', baseUrl: server.baseUrl, serverModel: 'egm' }, apiKey: 'sk-first' });
      await groundOn(service, { queryId: 'a', imageId, phrase: 'the man' });
      expect(authOf(server)).toBe('Bearer sk-first');

      // Only the URL changes (the model panel sends no key): the first server's key must not go there.
      await service.setSettings({ model: { backend: 'server', baseUrl: other.baseUrl } });
      await groundOn(service, { queryId: 'b', imageId, phrase: 'the man' });
      expect(authOf(other)).toBeUndefined();
      expect(await service.getSettings()).toMatchObject({ hasApiKey: false, keyOrigins: [server.url] });

      await service.setSettings({ model: { backend: 'server', baseUrl: other.baseUrl }, apiKey: 'sk-second' });
      await groundOn(service, { queryId: 'c', imageId, phrase: 'the man' });
      expect(authOf(other)).toBe('Bearer sk-second');

      // Back to the first server: its own key again. Forgetting one key keeps the other.
      await service.setSettings({ model: { backend: 'server', baseUrl: server.baseUrl, serverModel: 'egm' } });
      await groundOn(service, { queryId: 'd', imageId, phrase: 'the man' });
      expect(authOf(server)).toBe('Bearer sk-first');
      await service.setSettings({ apiKey: '' });
      expect(await service.getSettings()).toMatchObject({ hasApiKey: false, keyOrigins: [other.url] });
      await expect(service.setSettings({ model: null, apiKey: 'sk-orphan' })).rejects.toThrow('an API key goes with a server');
    });

    it('a key stored before keys had origins stays with the server saved beside it', async () => {
      const user = join(dir, 'legacy-user');
      await saveGroundingPrefs(user, { model: { backend: 'server', baseUrl: server.baseUrl, serverModel: 'egm' }, grounding: DEFAULT_GROUNDING, keyEnvs: {} });
      const legacy: SecretStore = envSecretStore({ EGM_API_KEY: 'sk-legacy' }, 'EGM_API_KEY');
      const old = await GroundingService.create({ userDataDir: user, secrets: legacy, getStore: () => store });
      try {
        await groundOn(old, { queryId: 'l1', imageId, phrase: 'the man' });
        expect(authOf(server)).toBe('Bearer sk-legacy');
        await old.setSettings({ model: { backend: 'server', baseUrl: other.baseUrl } });
        await groundOn(old, { queryId: 'l2', imageId, phrase: 'the man' });
        expect(authOf(other)).toBeUndefined();
      } finally {
        await old.dispose();
      }
    });

    it('a key from an environment variable of the app (apiKeyEnv), or a one-line error when it is not set', async () => {
      env.EGM_SERVICE_TEST_KEY = 'sk-from-env';
      await service.setSettings({ model: { backend: 'server', baseUrl: other.baseUrl }, apiKeyEnv: 'EGM_SERVICE_TEST_KEY' });
      await groundOn(service, { queryId: 'e', imageId, phrase: 'the man' });
      expect(authOf(other)).toBe('Bearer sk-from-env');
      expect(await service.getSettings()).toMatchObject({ hasApiKey: true, keyEnvs: { [other.url]: 'EGM_SERVICE_TEST_KEY' } });
      delete env.EGM_SERVICE_TEST_KEY;
      const status = await service.setSettings({ model: { backend: 'server', baseUrl: other.baseUrl } });
      expect(status).toMatchObject({ state: 'error', message: `environment variable EGM_SERVICE_TEST_KEY (the API key for ${other.url}) is not set in the app's environment` });
    });

    // Issue 16, security second round: the variable went to whatever URL was set next.
    it('a key variable belongs to the server it was named for: another URL is sent nothing, and back again it is', async () => {
      env.EGM_SERVICE_TEST_KEY = 'sk-env-first';
      await service.setSettings({ model: { backend: 'server', baseUrl: server.baseUrl, serverModel: 'egm' }, apiKeyEnv: 'EGM_SERVICE_TEST_KEY' });
      await groundOn(service, { queryId: 'v1', imageId, phrase: 'the man' });
      expect(authOf(server)).toBe('Bearer sk-env-first');

      await service.setSettings({ model: { backend: 'server', baseUrl: other.baseUrl } });
      await groundOn(service, { queryId: 'v2', imageId, phrase: 'the man' });
      expect(other.requests.length).toBeGreaterThan(0);
      expect(other.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
      expect(await service.getSettings()).toMatchObject({ hasApiKey: false });

      await service.setSettings({ model: { backend: 'server', baseUrl: server.baseUrl, serverModel: 'egm' } });
      await groundOn(service, { queryId: 'v3', imageId, phrase: 'the man' });
      expect(authOf(server)).toBe('Bearer sk-env-first');
      // Cleared for its server: nothing is sent any more.
      await service.setSettings({ apiKeyEnv: '' });
      await groundOn(service, { queryId: 'v4', imageId, phrase: 'the man' });
      expect(authOf(server)).toBeUndefined();
      delete env.EGM_SERVICE_TEST_KEY;
    });

    it('only API-key variables may be named: HF_TOKEN, AWS_*, GITHUB_TOKEN are refused in one line through the IPC contract', async () => {
      env.HF_TOKEN = 'hf_secret';
      env.AWS_SECRET_ACCESS_KEY = 'aws-secret';
      const patch = settingsPatchSchema;
      for (const name of ['HF_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN', 'PATH', 'egm_api_key', 'AWS_API_KEY', 'OPENAI_API_KEY']) {
        const parsed = patch.safeParse({ model: { backend: 'server', baseUrl: other.baseUrl }, apiKeyEnv: name });
        expect(parsed.success, name).toBe(false);
        expect(firstIssue(parsed.error!)).toMatch(/^apiKeyEnv: .*(not an API-key variable name|another service's secret)/);
      }
      for (const name of ['EGM_API_KEY', 'EGM_VLLM', 'VLLM_API_KEY', 'MY_SERVER_API_KEY']) {
        expect(patch.safeParse({ model: { backend: 'server', baseUrl: other.baseUrl }, apiKeyEnv: name }).success, name).toBe(true);
      }
      // A settings file from before (a variable inside the model) keeps a good name for its own server only and drops HF_TOKEN.
      const user = join(dir, 'legacy-env-user');
      mkdirSync(user, { recursive: true });
      writeFileSync(groundingSettingsPath(user), JSON.stringify({ model: { backend: 'server', baseUrl: other.baseUrl, apiKeyEnv: 'HF_TOKEN' } }));
      const problems: string[] = [];
      const old = await GroundingService.create({ userDataDir: user, secrets: envSecretStore({}, 'EGM_API_KEY'), getStore: () => store, env, log: (m) => problems.push(m) });
      try {
        await groundOn(old, { queryId: 'h', imageId, phrase: 'the man' });
        expect(other.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
        expect(problems).toEqual([expect.stringContaining(`the API key variable for ${other.url} is ignored ('HF_TOKEN' is not an API-key variable name`)]);
      } finally {
        await old.dispose();
        delete env.HF_TOKEN;
        delete env.AWS_SECRET_ACCESS_KEY;
      }
    });
  });

  it('a dead server is an error (no proposal) with an error model status; a later answer turns it ready again (issue 8, finding 6)', async () => {
    expect((await service.health()).ok).toBe(true);
    await server.down(3_000);
    await expect(groundOn(service, { queryId: 'dead', imageId, phrase: 'the man' })).rejects.toThrow(/^no answer from the model: error: server unreachable: cannot reach .*ECONNREFUSED/);
    expect(service.review.list()).toEqual([]);
    expect(service.modelStatus()).toMatchObject({ state: 'error', backend: 'server' });
    expect(service.modelStatus().message).toMatch(/^the server failed: error: server unreachable/);
    await server.whenUp();
    expect((await service.health()).ok).toBe(true);
    expect(service.modelStatus()).toMatchObject({ state: 'ready', message: null });
    await groundOn(service, { queryId: 'alive', imageId, phrase: 'the man' });
    expect(service.review.list()).toHaveLength(1);
  }, 30_000);
});
