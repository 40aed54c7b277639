// The grounding service with the tiny generated model: the model loads in the
// model host child process (never in this process), the status reports load
// progress and the device with its reason, a phrase on a sample photo streams
// the scripted reasoning and stores a proposal with both boxes, and a short
// batch runs through the same host.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { GroundingService } from '../../electron/grounding/service';
import { envSecretStore } from '../../electron/grounding/secrets';
import { openProjectStore } from '../../electron/store/project-store';
import type { ProjectStore } from '../../electron/store/api';
import { toPixelBox } from '@core/egm/coordinates';
import type { BatchStatus, ModelStatus } from '@core/types';
import { REPO_ROOT, SCRIPTED_BOX, SCRIPTED_REASONING, tinyModelDir } from '../helpers/tiny-model';
import { tempDir } from '../helpers/store-temp';

const MESSI = resolve(REPO_ROOT, 'assets/samples/messi5.jpg'); // 548×342

describe('grounding service with the tiny local model (model host process)', () => {
  let cleanup: () => void;
  let store: ProjectStore;
  let service: GroundingService;
  let imageIds: number[];
  const statuses: ModelStatus[] = [];
  const tokens: string[] = [];
  const progress: BatchStatus[] = [];
  /** Resolves with the batch's final progress report (done, paused or cancelled). */
  let batchOver: (status: BatchStatus) => void = () => {};

  beforeAll(async () => {
    const temp = tempDir('egm-grounding-local-');
    cleanup = temp.cleanup;
    store = openProjectStore(join(temp.dir, 'p.egm'), { create: true });
    imageIds = store
      .addImages([
        { absolutePath: MESSI, width: 548, height: 342, orientation: 1 },
        { absolutePath: resolve(REPO_ROOT, 'assets/samples/fruits.jpg'), width: 512, height: 480, orientation: 1 },
      ])
      .added.map((i) => i.id);
    service = await GroundingService.create({
      userDataDir: join(temp.dir, 'user'),
      secrets: envSecretStore({}, 'NONE'),
      getStore: () => store,
      events: { modelStatus: (s) => statuses.push(s), token: (t) => tokens.push(`${t.kind}:${t.text}`), batchProgress: (s) => (progress.push(s), s.state !== 'running' && batchOver(s)) },
    });
    const modelDir = await tinyModelDir();
    await service.setSettings({ model: { backend: 'local', modelDir, device: 'cpu' }, grounding: { maxNewTokens: 1000 } });
  }, 120_000);

  afterAll(async () => {
    await service?.dispose();
    store?.close();
    cleanup?.();
  });

  it('loads in the host with progress, grounds a phrase with both boxes, and runs a batch', async () => {
    const answer = await service.queries.ground({ queryId: 'local-1', imageId: imageIds[0]!, phrase: 'the man kicking the ball', point: [200, 150] });
    if (!('proposal' in answer)) throw new Error('the query was cancelled');
    const { proposal } = answer;
    const ready = statuses.find((s) => s.state === 'ready');
    expect(statuses[0]).toMatchObject({ state: 'none' });
    expect(statuses.some((s) => s.state === 'loading' && s.progress !== null)).toBe(true);
    expect(ready).toMatchObject({ backend: 'local', model: 'tiny-egm', device: 'cpu', progress: null });
    expect(ready!.deviceReason).toEqual(expect.any(String));

    const expected = toPixelBox(SCRIPTED_BOX, 548, 342);
    expect(proposal).toMatchObject({ visible: expected, amodal: expected, model: 'tiny-egm', reasoningVisible: SCRIPTED_REASONING, reasoningAmodal: SCRIPTED_REASONING, point: [200, 150], reason: null, score: null });
    expect(proposal.pointHit).toBe(expected[0] <= 200 && 200 <= expected[2] && expected[1] <= 150 && 150 <= expected[3]);
    expect(tokens.filter((t) => t.startsWith('visible:')).length).toBeGreaterThan(10);
    expect(tokens.filter((t) => t.startsWith('amodal:')).length).toBeGreaterThan(10);
    expect((await service.health()).ok).toBe(true);

    const over = new Promise<BatchStatus>((resolve) => (batchOver = resolve));
    const started = await service.batches.start({ phrases: ['the fruit'], imageIds: null, concurrency: 4 });
    expect(started).toMatchObject({ state: 'running', total: 2 });
    expect(await over).toMatchObject({ state: 'done', done: 2, failed: 0 });
    expect(service.batches.status()).toMatchObject({ state: 'done', done: 2, failed: 0 });
    expect(progress.at(-1)).toMatchObject({ state: 'done' });
    expect(service.review.list()).toHaveLength(3);
  }, 180_000);
});
