// The model host as a real child process (host-entry.ts via tsx) driven by the
// client: load with progress, streamed tokens, soft cancel, timeout, a killed
// host failing its request and the next request restarting it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { probeImage } from '../../electron/images/probe';
import { toPixelBox } from '@core/egm/coordinates';
import { createHostClient, type HostClient, type ShutdownReport } from '../../electron/engine/host/host-client';
import { nodeSpawn } from '../../electron/engine/host/node-spawn';
import type { HostPort } from '../../electron/engine/host/protocol';
import type { LoadProgress } from '../../electron/engine/local/load-model';
import { REPO_ROOT, SCRIPTED_BOX, tinyModelDir } from '../helpers/tiny-model';

const MESSI = resolve(REPO_ROOT, 'assets/samples/messi5.jpg');
const request = { imagePath: MESSI, phrase: 'the man kicking the ball', kind: 'visible' as const, maxNewTokens: 512 };

/** A spawn that remembers every port, so a test can kill the host behind the client's back (a crash). */
function recordingSpawn() {
  const ports: HostPort[] = [];
  const base = nodeSpawn();
  return {
    ports,
    spawn: () => {
      const port = base();
      ports.push(port);
      return port;
    },
  };
}

describe('model host client', () => {
  let model: string;
  let expectedBox: number[];
  let client: HostClient;
  const spawned = recordingSpawn();

  beforeAll(async () => {
    model = await tinyModelDir();
    const { width, height } = await probeImage(MESSI);
    expectedBox = toPixelBox(SCRIPTED_BOX, width, height);
    client = createHostClient({ spawn: spawned.spawn, killGraceMs: 2000 });
  });
  afterAll(async () => {
    await client?.dispose();
  });

  it('loads in the host with progress and reports the device', async () => {
    const progress: LoadProgress[] = [];
    const info = await client.load({ modelDir: model, device: 'cpu' }, (p) => progress.push(p));
    expect(info).toMatchObject({ kind: 'local', model: 'tiny-egm', device: 'cpu', deviceReason: 'cpu requested' });
    expect(client.info()).toEqual(info);
    expect(progress.at(-1)).toMatchObject({ stage: 'ready', progress: 1 });
  });

  it('grounds with streamed tokens arriving before the result', async () => {
    const chunks: string[] = [];
    const result = await client.ground(request, { onToken: (t) => chunks.push(t) });
    expect(result.box).toEqual(expectedBox);
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.join('').trim()).toBe(result.raw.trim());
  });

  it('soft cancel stops between tokens and keeps the host', async () => {
    const controller = new AbortController();
    const result = await client.ground(request, { signal: controller.signal, onToken: () => controller.abort() });
    expect(result).toMatchObject({ box: null, reason: 'cancelled' });
    expect(result.tokens).toBeLessThan(100);
    const next = await client.ground(request);
    expect(next.box).toEqual(expectedBox);
    expect(spawned.ports).toHaveLength(1);
  });

  it('a host killed mid-run fails that request in one line; the next request restarts it', async () => {
    let killed = false;
    const crashed = await client.ground(request, {
      onToken: () => {
        if (killed) return;
        killed = true;
        spawned.ports.at(-1)?.kill();
      },
    });
    expect(crashed.box).toBeNull();
    expect(crashed.reason).toBe('error: model host killed by SIGKILL during the request');
    const next = await client.ground(request);
    expect(next.box).toEqual(expectedBox);
    expect(spawned.ports).toHaveLength(2);
  });

  it('dispose asks the host to shut down and returns when it has exited by itself, not killed after the grace', async () => {
    const other = recordingSpawn();
    const reports: ShutdownReport[] = [];
    // A grace no test waits out: a host that did not exit by itself would hang this test, not pass it.
    const short = createHostClient({ spawn: other.spawn, killGraceMs: 3_600_000, onShutdown: (r) => reports.push(r) });
    await short.load({ modelDir: model, device: 'cpu' });
    const exits: string[] = [];
    other.ports[0]!.onExit((detail) => exits.push(detail));
    await short.dispose();
    expect(exits).toEqual(['exited with code 0']); // it exited by itself: not killed by a signal
    expect(reports).toEqual([{ killed: false, detail: 'exited with code 0' }]);
  });

  it('a host that does not exit when told is killed after the grace, and says so', async () => {
    const other = recordingSpawn();
    const reports: ShutdownReport[] = [];
    const stuck = createHostClient({ spawn: other.spawn, killGraceMs: 50, onShutdown: (r) => reports.push(r) });
    await stuck.load({ modelDir: model, device: 'cpu' });
    const port = other.ports[0]!;
    const send = port.send.bind(port);
    port.send = (message) => (message.type === 'shutdown' ? undefined : send(message)); // the host never hears it
    await stuck.dispose();
    expect(reports).toEqual([{ killed: true, detail: expect.stringMatching(/^killed by SIGKILL/) }]);
  });

  it('hard cancel kills the host and answers cancelled', async () => {
    const result = await client.ground(request, { onToken: () => client.kill() });
    expect(result).toMatchObject({ box: null, reason: 'cancelled' });
    expect((await client.ground(request)).box).toEqual(expectedBox);
  });
});

describe('model host client failures', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'egm-host-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('a request over its time limit resolves timeout, naming the limit', async () => {
    const client = createHostClient({ spawn: nodeSpawn(), timeoutMs: 20, killGraceMs: 1000 });
    try {
      await client.load({ modelDir: await tinyModelDir(), device: 'cpu' });
      const result = await client.ground(request);
      expect(result).toMatchObject({ box: null, reason: 'timeout: no answer within the time limit of 20 ms per answer' });
    } finally {
      await client.dispose();
    }
  });

  it('load errors are one line; queries without a model say so', async () => {
    const client = createHostClient({ spawn: nodeSpawn() });
    try {
      expect((await client.ground(request)).reason).toBe('error: no model loaded');
      const partial = join(work, 'partial');
      await cp(await tinyModelDir(), partial, { recursive: true });
      await rm(join(partial, 'onnx', 'vision_encoder.onnx'));
      await expect(client.load({ modelDir: partial })).rejects.toThrow(`model folder ${partial}: missing onnx/vision_encoder[_<dtype>].onnx`);
      const other = join(work, 'other');
      await cp(await tinyModelDir(), other, { recursive: true });
      const config = JSON.parse(await readFile(join(other, 'config.json'), 'utf8'));
      await writeFile(join(other, 'config.json'), JSON.stringify({ ...config, model_type: 'qwen2_vl' }));
      await expect(client.load({ modelDir: other })).rejects.toThrow(/model_type is 'qwen2_vl' \(Qwen3VLForConditionalGeneration\), expected 'qwen3_vl'/);
      const result = await client.ground(request);
      expect(result.reason).toMatch(/^error: model folder .*other: model_type is 'qwen2_vl'/);
    } finally {
      await client.dispose();
    }
  });
});
