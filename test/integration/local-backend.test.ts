// The real local engine (transformers.js + onnxruntime-node) on the tiny
// generated model: load, preprocess a real JPEG, generate, stream, cancel, and
// map the scripted 0–1000 box to pixels of the upright original.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { probeImage } from '../../electron/images/probe';
import { toGrid, toPixelBox } from '@core/egm/coordinates';
import { loadLocalBackend, type LocalBackend } from '../../electron/engine/local/local-backend';
import type { LoadProgress } from '../../electron/engine/local/load-model';
import { REPO_ROOT, SCRIPTED_BOX, SCRIPTED_REASONING, tinyModelDir } from '../helpers/tiny-model';

const MESSI = resolve(REPO_ROOT, 'assets/samples/messi5.jpg');

describe('local backend on the tiny EGM model', () => {
  let backend: LocalBackend;
  const progress: LoadProgress[] = [];

  beforeAll(async () => {
    backend = await loadLocalBackend({ modelDir: await tinyModelDir(), device: 'auto', onProgress: (p) => progress.push(p) });
  });
  afterAll(async () => {
    await backend?.dispose();
  });

  it('reports the device and why, and load progress up to 1', () => {
    const info = backend.info();
    expect(info).toMatchObject({ kind: 'local', model: 'tiny-egm' });
    // No GPU here: auto probes the platform provider for real and falls back to cpu, saying why.
    if (process.platform === 'linux' && info.device === 'cpu') expect(info.deviceReason).toMatch(/^cuda unavailable \(.+\); fell back to cpu$/);
    expect(info.deviceReason).toBeTruthy();
    expect(progress[0]?.stage).toBe('checking');
    expect(progress.at(-1)).toMatchObject({ stage: 'ready', progress: 1 });
  });

  it('grounds a phrase: scripted box mapped to pixels of the upright original', async () => {
    const { width, height } = await probeImage(MESSI);
    const chunks: string[] = [];
    const result = await backend.ground(
      { imagePath: MESSI, phrase: 'the man kicking the ball', kind: 'visible', maxNewTokens: 512 },
      { onToken: (t) => chunks.push(t) },
    );
    expect(result.reason).toBeUndefined();
    expect(result.box).toEqual(toPixelBox(SCRIPTED_BOX, width, height));
    expect(result).toMatchObject({ phrase: 'the man kicking the ball', kind: 'visible', model: 'tiny-egm', reasoning: SCRIPTED_REASONING });
    expect(result.raw).toContain('</think>');
    expect(result.raw).toContain(`"bbox_2d": [${SCRIPTED_BOX.join(', ')}]`);
    expect(result.tokens).toBeGreaterThan(100);
    expect(result.timings.preprocessMs).toBeGreaterThan(0);
    expect(result.timings.modelMs).toBeGreaterThan(0);
    expect(result.timings.totalMs).toBeGreaterThanOrEqual(result.timings.preprocessMs + result.timings.modelMs);
    // Streamed pieces arrive in order and add up to the answer.
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.join('').trim()).toBe(result.raw.trim());
  });

  it('accepts a point hint (pixels) and returns it; amodal queries work the same', async () => {
    const { width, height } = await probeImage(MESSI);
    const result = await backend.ground({ imagePath: MESSI, phrase: 'the ball', kind: 'amodal', point: [100, 200], maxNewTokens: 512 });
    expect(result.kind).toBe('amodal');
    expect(result.point).toEqual([100, 200]);
    expect(toGrid([100, 200], width, height)).toEqual([Math.round((100 * 1000) / width), Math.round((200 * 1000) / height)]);
    expect(result.box).toEqual(toPixelBox(SCRIPTED_BOX, width, height));
  });

  it('samples instead of decoding greedily for self-consistency (samples > 1)', async () => {
    const { width, height } = await probeImage(MESSI);
    const result = await backend.ground({ imagePath: MESSI, phrase: 'the ball', kind: 'visible', samples: 3, maxNewTokens: 512 });
    // The tiny model's logits peak so sharply that sampling picks the scripted token too.
    expect(result.box).toEqual(toPixelBox(SCRIPTED_BOX, width, height));
  });

  it('cancels between tokens, then the next query runs normally', async () => {
    const controller = new AbortController();
    let streamed = 0;
    const cancelled = await backend.ground(
      { imagePath: MESSI, phrase: 'the man', kind: 'visible' },
      {
        signal: controller.signal,
        onToken: () => {
          streamed++;
          controller.abort();
        },
      },
    );
    expect(cancelled).toMatchObject({ box: null, reason: 'cancelled' });
    expect(streamed).toBeGreaterThan(0);
    expect(cancelled.tokens).toBeLessThan(20);
    const again = await backend.ground({ imagePath: MESSI, phrase: 'the man', kind: 'visible' });
    expect(again.box).not.toBeNull();
  });

  it('a query cancelled while queued behind another answers at once', async () => {
    const controller = new AbortController();
    const first = backend.ground({ imagePath: MESSI, phrase: 'the man', kind: 'visible', maxNewTokens: 512 });
    const queued = backend.ground({ imagePath: MESSI, phrase: 'the ball', kind: 'visible' }, { signal: controller.signal });
    let firstDone = false;
    void first.then(() => (firstDone = true));
    controller.abort();
    expect(await queued).toMatchObject({ box: null, reason: 'cancelled', tokens: 0 });
    expect(firstDone).toBe(false);
    expect((await first).box).not.toBeNull();
  });

  it('decodes the next queued image while the current query runs', async () => {
    // Images no earlier test used, so neither is in the cache already.
    const other = resolve(REPO_ROOT, 'assets/samples/rocket.jpg');
    const hits = backend.images.hits;
    const [first, second] = await Promise.all([
      backend.ground({ imagePath: resolve(REPO_ROOT, 'assets/samples/fruits.jpg'), phrase: 'the lime', kind: 'visible', maxNewTokens: 512 }),
      backend.ground({ imagePath: other, phrase: 'the ball', kind: 'visible', maxNewTokens: 512 }),
    ]);
    const size = await probeImage(other);
    expect(second.box).toEqual(toPixelBox(SCRIPTED_BOX, size.width, size.height));
    expect(first.box).not.toBeNull();
    // The second query found its image already loaded (prefetched while the first ran).
    expect(backend.images.hits).toBe(hits + 1);
  });

  it('an aborted signal before start gives cancelled without running', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await backend.ground({ imagePath: MESSI, phrase: 'x', kind: 'visible' }, { signal: controller.signal });
    expect(result).toMatchObject({ box: null, reason: 'cancelled', tokens: 0 });
  });

  it('stops at max new tokens without a box: no-box', async () => {
    const result = await backend.ground({ imagePath: MESSI, phrase: 'the man', kind: 'visible', maxNewTokens: 5 });
    expect(result).toMatchObject({ box: null, reason: 'no-box', tokens: 5 });
  });

  it('an unreadable image gives a one-line error result, not an exception', async () => {
    const result = await backend.ground({ imagePath: resolve(REPO_ROOT, 'package.json'), phrase: 'x', kind: 'visible' });
    expect(result.box).toBeNull();
    expect(result.reason).toMatch(/^error: .*package\.json: cannot decode image/);
    expect(result.reason).not.toContain('\n');
  });
});
