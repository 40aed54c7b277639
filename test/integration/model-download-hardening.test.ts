// Downloads that a server cannot abuse (issue 8, finding 10): every file is
// verified (small files against the hub's git sha1 ETag), a body is cut off
// the moment it passes its size, a size the disk cannot hold is refused before
// the first byte, and a resumed file sends If-Range so a file that changed on
// the hub is fetched whole instead of spliced onto old bytes.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCatalog, type Catalog } from '../../electron/models/catalog';
import { downloadModel } from '../../electron/models/download';
import { listInstalled } from '../../electron/models/manifest';
import { FakeHub, type FakeHubFile } from '../helpers/fake-hub-server';

const REPO = 'test-org/tiny-vl-onnx';
const BIG = 'onnx/decoder_model_merged_q4f16.onnx';
const config = Buffer.from(JSON.stringify({ model_type: 'qwen3_vl', hidden_size: 64 }));
const decoder = randomBytes(600_000);

function catalog(files: { path: string; size?: number }[] = [{ path: 'config.json' }, { path: BIG }]): Catalog {
  return parseCatalog({
    version: 1,
    models: [
      { id: REPO, name: 'tiny', status: 'ready', source: { repo: REPO, revision: 'main' }, license: 'Apache-2.0', egmTuned: false, description: 'test', defaultDtype: 'q4f16', dtypes: { q4f16: { files } } },
    ],
  });
}

let hub: FakeHub;
let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'egm-dl-hard-'));
});
afterEach(async () => {
  await hub?.close();
  await rm(root, { recursive: true, force: true });
});

const finalDir = () => join(root, 'test-org--tiny-vl-onnx');
const partOf = (path: string) => join(root, '.staging', 'test-org--tiny-vl-onnx', '.partial', `${path}.part`);
const start = (files: Record<string, Buffer | FakeHubFile> = { 'config.json': config, [BIG]: decoder }) => FakeHub.start({ repos: { [REPO]: files } });
const download = (options: Parameters<typeof downloadModel>[1] = {}) =>
  downloadModel(REPO, { catalog: catalog(), destRoot: root, env: { HF_ENDPOINT: hub.url }, ...options }).catch((err: Error) => err);

describe('downloads: every file verified', () => {
  it('checks a small (non-LFS) file against the hub\'s git sha1 ETag and refuses a corrupt one', async () => {
    hub = await start();
    const corrupt = Buffer.from(config);
    corrupt[3] = corrupt[3]! ^ 0x20;
    hub.fail(REPO, 'config.json', { kind: 'body', content: corrupt });
    const err = await download();
    expect((err as Error).message).toMatch(/^test-org\/tiny-vl-onnx \(q4f16\): config\.json: git sha1 [0-9a-f]{12}… does not match the hub's ETag [0-9a-f]{12}…$/);
    expect(existsSync(finalDir())).toBe(false);
    expect(existsSync(partOf('config.json'))).toBe(false);

    const ok = await download();
    expect(ok).not.toBeInstanceOf(Error);
    expect(await readFile(join(finalDir(), 'config.json'))).toEqual(config);
  });

  it('refuses a file that nothing can verify (no catalog sha256, no checksum ETag)', async () => {
    hub = await start({ 'config.json': { content: config, etag: false }, [BIG]: decoder });
    const err = await download();
    expect((err as Error).message).toBe('test-org/tiny-vl-onnx (q4f16): config.json: cannot be verified (no sha256 in the catalog and no checksum ETag from the server); not installed');
    expect((await listInstalled(root)).models).toEqual([]);
  });
});

describe('downloads: size caps', () => {
  it('cuts off a body that runs past the catalog size while it streams, and deletes it', async () => {
    hub = await start();
    hub.fail(REPO, 'config.json', { kind: 'flood', bytes: 256 * 2 ** 20 });
    const err = await download({ catalog: catalog([{ path: 'config.json', size: config.length }, { path: BIG }]) });
    expect((err as Error).message).toBe(`test-org/tiny-vl-onnx (q4f16): config.json: server sent more than ${config.length} bytes, the size catalog gives; stopped and deleted the partial file`);
    expect(existsSync(partOf('config.json'))).toBe(false);
    // Stopped early: nowhere near the 256 MiB the server had to send.
    const sent = hub.requests.find((r) => r.file === 'config.json')!.bytesSent;
    expect(sent).toBeLessThan(32 * 2 ** 20);
  });

  it('cuts off a body of unknown size at maxFileBytes', async () => {
    hub = await start();
    hub.fail(REPO, 'config.json', { kind: 'flood', bytes: 256 * 2 ** 20 });
    const err = await download({ maxFileBytes: 1_000_000 });
    expect((err as Error).message).toBe('test-org/tiny-vl-onnx (q4f16): config.json: server sent more than 1000000 bytes, the 1.00 MB limit for a file of unknown size; stopped and deleted the partial file');
    expect(existsSync(partOf('config.json'))).toBe(false);
  });

  it('refuses a file the disk cannot hold before writing a byte', async () => {
    hub = await start();
    // Room for config.json, not for the decoder above the 256 MiB kept free.
    const err = await download({ freeSpace: async () => 256 * 2 ** 20 + 100_000 });
    expect((err as Error).message).toMatch(/^test-org\/tiny-vl-onnx \(q4f16\): onnx\/decoder_model_merged_q4f16\.onnx: needs 600\.0 KB but only 268\.5 MB is free in .*\.partial\/onnx \(268\.4 MB is kept free\); free some space and run again$/);
    expect(existsSync(partOf(BIG))).toBe(false);
  });
});

describe('downloads: resume with If-Range', () => {
  it('resumes an unchanged file with Range + If-Range, and fetches a changed one whole instead of splicing it', async () => {
    hub = await start();
    hub.fail(REPO, BIG, { kind: 'drop', afterBytes: 250_000 });
    const first = await download({ retries: 0 });
    expect((first as Error).message).toMatch(/run again to resume$/);
    expect((await stat(partOf(BIG))).size).toBe(250_000);

    // A new commit on the hub changes the file before the second run.
    const oldSha = hub.sha256Of(REPO, BIG);
    const changed = randomBytes(600_000);
    hub.replace(REPO, BIG, changed);
    const second = await download();
    expect(second).not.toBeInstanceOf(Error);
    expect(await readFile(join(finalDir(), BIG))).toEqual(changed);
    const last = hub.bodyRequests(BIG).at(-1)!;
    // The old version's ETag no longer matches: the whole new file came back (200), not the rest of it.
    expect(last).toMatchObject({ range: 'bytes=250000-', ifRange: `"${oldSha}"`, status: 200, bytesSent: changed.length });
  });

  it('an unchanged file resumes as a range', async () => {
    hub = await start();
    hub.fail(REPO, BIG, { kind: 'drop', afterBytes: 250_000 });
    await download({ retries: 0 });
    await download();
    expect(await readFile(join(finalDir(), BIG))).toEqual(decoder);
    expect(hub.bodyRequests(BIG).at(-1)).toMatchObject({ range: 'bytes=250000-', ifRange: `"${hub.sha256Of(REPO, BIG)}"`, status: 206, bytesSent: decoder.length - 250_000 });
  });
});
