// downloadModel against a real local HTTP server in the hub's layout.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCatalog, type Catalog } from '../../electron/models/catalog';
import { downloadModel } from '../../electron/models/download';
import { listInstalled, readManifest } from '../../electron/models/manifest';
import type { DownloadProgress } from '../../electron/models/progress';
import { FakeHub } from '../helpers/fake-hub-server';

const REPO = 'test-org/tiny-vl-onnx';
const ID = REPO;
const BIG = 'onnx/decoder_model_merged_q4f16.onnx';
const config = Buffer.from(JSON.stringify({ model_type: 'qwen3_vl' }));
const tokenizer = randomBytes(40_000);
const decoder = randomBytes(600_000);
const decoderFp16 = randomBytes(90_000);

function makeCatalog(overrides: { configSize?: number } = {}): Catalog {
  return parseCatalog({
    version: 1,
    models: [
      {
        id: ID,
        name: 'tiny',
        status: 'ready',
        source: { repo: REPO, revision: 'main' },
        license: 'Apache-2.0',
        egmTuned: false,
        description: 'test model',
        defaultDtype: 'q4f16',
        dtypes: {
          q4f16: {
            files: [
              { path: 'config.json', ...(overrides.configSize !== undefined ? { size: overrides.configSize } : {}) },
              { path: 'tokenizer.json', approxSize: 40_000 },
              { path: BIG, approxSize: 500_000 },
              { path: `${BIG}_data`, optional: true },
            ],
          },
          fp16: { files: [{ path: 'config.json' }, { path: 'tokenizer.json' }, { path: 'onnx/decoder_model_merged_fp16.onnx' }] },
        },
      },
      { id: 'nvidia/EGM-8B', name: 'EGM-8B', status: 'needs export', source: { repo: 'nvidia/EGM-8B', revision: 'main' }, license: 'Apache-2.0', egmTuned: true, description: 'x', exportCommand: 'npx egm model build <EGM-8B checkpoint> --out <dir>' },
    ],
  });
}

const repos = { [REPO]: { 'config.json': config, 'tokenizer.json': tokenizer, [BIG]: decoder, 'onnx/decoder_model_merged_fp16.onnx': decoderFp16 } };

let hub: FakeHub;
let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'egm-dl-'));
});
afterEach(async () => {
  await hub?.close();
  await rm(root, { recursive: true, force: true });
});

const finalDir = () => join(root, 'test-org--tiny-vl-onnx');

describe('downloadModel', () => {
  it('downloads every file through HF_ENDPOINT, verifies hub ETags and installs with a manifest', async () => {
    hub = await FakeHub.start({ repos });
    const seen: DownloadProgress[] = [];
    const result = await downloadModel(ID, { catalog: makeCatalog(), destRoot: root, env: { HF_ENDPOINT: hub.url }, onProgress: (p) => seen.push(p) });

    expect(result.dir).toBe(finalDir());
    expect(await readFile(join(finalDir(), BIG))).toEqual(decoder);
    expect(await readFile(join(finalDir(), 'tokenizer.json'))).toEqual(tokenizer);
    expect(result.absent).toEqual([`${BIG}_data`]);
    const byPath = Object.fromEntries(result.files.map((f) => [f.path, f]));
    expect(byPath[BIG]).toMatchObject({ size: decoder.length, sha256: hub.sha256Of(REPO, BIG), verifiedBy: 'hub-etag' });
    expect(byPath['config.json']!.verifiedBy).toBe('hub-git-sha1'); // small git file: checked against its ETag, the git blob sha1
    // LFS files went through the hub's 302 to the CDN path.
    expect(hub.requests.some((r) => r.route === 'resolve' && r.file === BIG && r.status === 302)).toBe(true);
    expect(hub.bodyRequests(BIG).map((r) => r.route)).toEqual(['cdn']);
    const last = seen.at(-1)!;
    expect(last.doneBytes).toBe(config.length + tokenizer.length + decoder.length);
    expect(last.totalBytes).toBe(last.doneBytes);
    expect(existsSync(join(root, '.staging', 'test-org--tiny-vl-onnx'))).toBe(false);
    expect((await listInstalled(root)).models).toMatchObject([{ id: ID, dtypes: ['q4f16'], dir: finalDir() }]);

    const before = hub.requests.length;
    const again = await downloadModel(ID, { catalog: makeCatalog(), destRoot: root, env: { HF_ENDPOINT: hub.url } });
    expect(again.alreadyInstalled).toBe(true);
    expect(hub.requests.length).toBe(before);
  });

  it('resumes a dropped connection with Range and fetches only the rest', async () => {
    hub = await FakeHub.start({ repos });
    hub.fail(REPO, BIG, { kind: 'drop', afterBytes: 200_000 });
    const result = await downloadModel(ID, { catalog: makeCatalog(), destRoot: root, env: { HF_ENDPOINT: hub.url } });

    expect(await readFile(join(finalDir(), BIG))).toEqual(decoder);
    const bodies = hub.bodyRequests(BIG);
    expect(bodies.map((r) => [r.range, r.bytesSent])).toEqual([
      [undefined, 200_000],
      ['bytes=200000-', decoder.length - 200_000],
    ]);
    expect(result.fetchedBytes).toBe(config.length + tokenizer.length + decoder.length);
  });

  it('keeps the partial file when a run fails, and the next run resumes it', async () => {
    hub = await FakeHub.start({ repos });
    hub.fail(REPO, BIG, { kind: 'drop', afterBytes: 250_000 });
    const err = await downloadModel(ID, { catalog: makeCatalog(), destRoot: root, env: { HF_ENDPOINT: hub.url }, retries: 0 }).catch((e: Error) => e);

    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^test-org\/tiny-vl-onnx \(q4f16\): onnx\/decoder_model_merged_q4f16\.onnx: connection failed .*run again to resume$/);
    expect((err as Error).message).not.toContain('\n');
    expect(existsSync(finalDir())).toBe(false);
    const part = join(root, '.staging', 'test-org--tiny-vl-onnx', '.partial', `${BIG}.part`);
    expect((await stat(part)).size).toBe(250_000);

    const tokenizerFetches = hub.bodyRequests('tokenizer.json').length;
    await downloadModel(ID, { catalog: makeCatalog(), destRoot: root, env: { HF_ENDPOINT: hub.url } });
    expect(await readFile(join(finalDir(), BIG))).toEqual(decoder);
    expect(hub.bodyRequests(BIG).at(-1)).toMatchObject({ range: 'bytes=250000-', bytesSent: decoder.length - 250_000 });
    expect(hub.bodyRequests('tokenizer.json').length).toBe(tokenizerFetches); // verified in the first run, not fetched again
  });

  it('refuses a file whose size does not match the catalog: not installed, one-line reason', async () => {
    hub = await FakeHub.start({ repos });
    const err = await downloadModel(ID, { catalog: makeCatalog({ configSize: config.length + 5 }), destRoot: root, env: { HF_ENDPOINT: hub.url } }).catch((e: Error) => e);
    expect((err as Error).message).toBe(`test-org/tiny-vl-onnx (q4f16): config.json: server says ${config.length} bytes, catalog says ${config.length + 5}`);
    expect(existsSync(finalDir())).toBe(false);
    expect((await listInstalled(root)).models).toEqual([]);
  });

  it('refuses a body whose size differs from what the hub says the file is', async () => {
    hub = await FakeHub.start({ repos });
    hub.fail(REPO, BIG, { kind: 'body', content: decoder.subarray(0, 400_000) });
    const err = await downloadModel(ID, { catalog: makeCatalog(), destRoot: root, env: { HF_ENDPOINT: hub.url } }).catch((e: Error) => e);
    expect((err as Error).message).toBe(`test-org/tiny-vl-onnx (q4f16): ${BIG}: server says 400000 bytes, the hub (X-Linked-Size) says ${decoder.length}`);
    expect(existsSync(finalDir())).toBe(false);
  });

  it('refuses a file whose sha256 does not match the hub ETag and deletes the bad bytes', async () => {
    hub = await FakeHub.start({ repos });
    const corrupt = Buffer.from(decoder);
    corrupt[1234] = corrupt[1234]! ^ 0xff;
    hub.fail(REPO, BIG, { kind: 'body', content: corrupt });
    const err = await downloadModel(ID, { catalog: makeCatalog(), destRoot: root, env: { HF_ENDPOINT: hub.url } }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^test-org\/tiny-vl-onnx \(q4f16\): onnx\/decoder_model_merged_q4f16\.onnx: sha256 [0-9a-f]{12}… does not match the hub's ETag [0-9a-f]{12}…$/);
    expect(existsSync(finalDir())).toBe(false);
    expect(existsSync(join(root, '.staging', 'test-org--tiny-vl-onnx', '.partial', `${BIG}.part`))).toBe(false);

    await downloadModel(ID, { catalog: makeCatalog(), destRoot: root, env: { HF_ENDPOINT: hub.url } });
    expect(await readFile(join(finalDir(), BIG))).toEqual(decoder);
  });

  it('a server-side 404 on a required file fails with the file and the status', async () => {
    hub = await FakeHub.start({ repos });
    hub.fail(REPO, 'tokenizer.json', { kind: 'status', status: 404 });
    const err = await downloadModel(ID, { catalog: makeCatalog(), destRoot: root, env: { HF_ENDPOINT: hub.url } }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^test-org\/tiny-vl-onnx \(q4f16\): tokenizer\.json: HTTP 404 from 127\.0\.0\.1:\d+$/);
    expect(existsSync(finalDir())).toBe(false);
  });

  it('sends HF_TOKEN as a Bearer token to the hub but not to a CDN on another origin', async () => {
    hub = await FakeHub.start({ repos, token: 'hf_secret', separateCdn: true });
    const denied = await downloadModel(ID, { catalog: makeCatalog(), destRoot: root, env: { HF_ENDPOINT: hub.url } }).catch((e: Error) => e);
    expect((denied as Error).message).toMatch(/config\.json: HTTP 401 .*set HF_TOKEN/);

    await downloadModel(ID, { catalog: makeCatalog(), destRoot: root, env: { HF_ENDPOINT: hub.url, HF_TOKEN: 'hf_secret' } });
    const resolves = hub.requests.filter((r) => r.route === 'resolve' && r.status !== 401);
    expect(resolves.length).toBeGreaterThan(0);
    expect(resolves.every((r) => r.authorization === 'Bearer hf_secret')).toBe(true);
    const cdn = hub.requests.filter((r) => r.route === 'cdn');
    expect(cdn.length).toBeGreaterThan(0);
    expect(cdn.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('installs atomically: nothing appears before every file checks out; a second dtype joins the same folder', async () => {
    hub = await FakeHub.start({ repos });
    const sawFinalDuring: boolean[] = [];
    await downloadModel(ID, {
      catalog: makeCatalog(),
      destRoot: root,
      env: { HF_ENDPOINT: hub.url },
      onProgress: () => sawFinalDuring.push(existsSync(finalDir())),
    });
    expect(sawFinalDuring.length).toBeGreaterThan(0);
    expect(sawFinalDuring.every((x) => !x)).toBe(true);

    const configFetches = hub.bodyRequests('config.json').length;
    const during: Array<string[] | undefined> = [];
    await downloadModel(ID, {
      catalog: makeCatalog(),
      dtype: 'fp16',
      destRoot: root,
      env: { HF_ENDPOINT: hub.url },
      onProgress: () => void readManifest(finalDir()).then((m) => during.push(m ? Object.keys(m.dtypes) : undefined)),
    });
    expect(hub.bodyRequests('config.json').length).toBe(configFetches); // shared file reused
    const manifest = await readManifest(finalDir());
    expect(Object.keys(manifest!.dtypes).sort()).toEqual(['fp16', 'q4f16']);
    expect(await readFile(join(finalDir(), 'onnx/decoder_model_merged_fp16.onnx'))).toEqual(decoderFp16);
  });

  it('refuses to run beside another live download of the same model, and takes over a stale lock', async () => {
    hub = await FakeHub.start({ repos });
    const lock = join(root, '.staging', 'test-org--tiny-vl-onnx.lock');
    await mkdir(join(root, '.staging'), { recursive: true });
    await writeFile(lock, String(process.ppid)); // a live process that is not us
    const err = await downloadModel(ID, { catalog: makeCatalog(), destRoot: root, env: { HF_ENDPOINT: hub.url } }).catch((e: Error) => e);
    expect((err as Error).message).toBe(`test-org/tiny-vl-onnx (q4f16): another download into this folder is running (pid ${process.ppid}); lock ${lock}`);
    expect(hub.requests).toEqual([]);

    await writeFile(lock, '4194404'); // above Linux's largest possible pid (2^22): no such process
    await downloadModel(ID, { catalog: makeCatalog(), destRoot: root, env: { HF_ENDPOINT: hub.url } });
    expect(existsSync(lock)).toBe(false);
    expect(await readFile(join(finalDir(), BIG))).toEqual(decoder);
  });

  it('explains how to get a model that needs export instead of downloading', async () => {
    await expect(downloadModel('nvidia/EGM-8B', { catalog: makeCatalog(), destRoot: root, env: {} })).rejects.toThrow(
      "nvidia/EGM-8B has no ONNX files to download (needs export); run: npx egm model build <EGM-8B checkpoint> --out <dir>",
    );
  });
});
