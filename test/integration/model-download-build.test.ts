// Download + build of a model published as safetensors only (catalog status
// 'build', as nvidia/EGM-4B): a tiny random Qwen3-VL saved by Hugging Face's
// code, split into two shards with an index, served by the local fake hub.
// The checkpoint comes down (a cut shard resumes, finished shards are not
// fetched again), is built in a worker thread with its own progress phase,
// and installed; a cancel during the build and every kind of bad input leave
// one line, nothing half-installed and the installed model as it was.
// Without the Python venv the file is skipped, saying why.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/run-cli';
import { parseCatalog } from '../../electron/models/catalog';
import { downloadModel, type DownloadOptions } from '../../electron/models/download';
import { listInstalled } from '../../electron/models/manifest';
import type { DownloadProgress } from '../../electron/models/progress';
import { FakeHub } from '../helpers/fake-hub-server';
import { filesOf, makeTinyCheckpoint, NO_VENV, PYTHON } from '../helpers/tiny-checkpoint';

if (!PYTHON) console.warn(`model-download-build: SKIPPED, ${NO_VENV}`);

const REPO = 'test-org/tiny-egm';
const LLAMA = 'test-org/llama';
const entry = (id: string) => ({
  id, name: id, status: 'build', source: { repo: id, revision: 'main' }, license: 'Apache-2.0', egmTuned: true, description: 'tiny',
  defaultDtype: 'q4f16', build: { dtypes: ['q4f16', 'fp16', 'fp32'] }, approxSourceSize: 60_000_000,
});
const catalog = parseCatalog({ version: 1, models: [entry(REPO), entry(LLAMA)] });

describe.skipIf(!PYTHON)('download + build of a safetensors-only model', () => {
  let dir: string;
  let root: string;
  let hub: FakeHub;
  let shards: string[];
  const finalDir = () => join(root, 'test-org--tiny-egm');
  const sources = () => join(root, '.sources', 'test-org--tiny-egm');
  const run = (options: DownloadOptions & { id?: string } = {}) =>
    downloadModel(options.id ?? REPO, { catalog, destRoot: root, env: { HF_ENDPOINT: hub.url }, retries: 0, ...options }).catch((err: Error) => err);
  const manifestText = () => readFile(join(finalDir(), 'egm-model.json'), 'utf8');
  /** Nothing of a failed run may look installed: no build folders in .staging, the model folders as they were. */
  const noLeftovers = async () => expect((await readdir(join(root, '.staging')).catch(() => [])).filter((n) => n.includes('.build'))).toEqual([]);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'egm-dlbuild-'));
    root = join(dir, 'models');
    const checkpoint = join(dir, 'checkpoint');
    shards = await makeTinyCheckpoint(checkpoint, { shards: 2 });
    const files = await filesOf(checkpoint);
    // Only its config: the CDN serves by sha256, so identical shards in two repos would be one file.
    const llama = { 'config.json': Buffer.from(JSON.stringify({ ...JSON.parse(files['config.json']!.toString()), model_type: 'llama', architectures: ['LlamaForCausalLM'] })) };
    hub = await FakeHub.start({ repos: { [REPO]: files, [LLAMA]: llama } });
  }, 120_000);
  afterAll(async () => {
    await hub?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('downloads the shards (a cut shard resumes), then builds with its own progress phase and installs', async () => {
    hub.fail(REPO, shards[1]!, { kind: 'drop', afterBytes: 1_000_000 });
    const cut = await run();
    expect((cut as Error).message).toMatch(new RegExp(`^test-org/tiny-egm \\(q4f16\\): ${shards[1]}: connection failed after 1 attempts \\(.*\\); run again to resume$`));
    expect(existsSync(finalDir())).toBe(false);
    expect(existsSync(join(sources(), shards[0]!))).toBe(true); // the finished shard is kept

    const seen: DownloadProgress[] = [];
    const before = hub.requests.length;
    const result = await run({ onProgress: (p) => seen.push(p) });
    if (result instanceof Error) throw result;
    expect(result).toMatchObject({ id: REPO, dtype: 'q4f16', dir: finalDir(), alreadyInstalled: false });
    const again = hub.requests.slice(before).filter((r) => r.route !== 'other');
    expect(again.filter((r) => r.file === shards[0])).toEqual([]); // not fetched twice
    // Resumed from what arrived before the cut (up to the 1,000,000 bytes sent; a reset may lose the last of them).
    const resumedFrom = again.filter((r) => r.file === shards[1]).map((r) => Number(/^bytes=(\d+)-$/.exec(r.range ?? '')?.[1] ?? 0));
    expect(Math.max(...resumedFrom)).toBeGreaterThan(0);
    expect(Math.max(...resumedFrom)).toBeLessThanOrEqual(1_000_000);
    expect(result.fetchedBytes).toBeLessThan((await filesOf(join(dir, 'checkpoint')))[shards[1]!]!.length);

    // Two phases, in order: download, then build bytes up to the whole checkpoint.
    const firstBuild = seen.findIndex((p) => p.phase === 'build');
    expect(firstBuild).toBeGreaterThan(0);
    expect(seen.slice(0, firstBuild).every((p) => p.phase === 'download')).toBe(true);
    expect(seen.slice(firstBuild).every((p) => p.phase === 'build')).toBe(true);
    const last = seen.at(-1)!;
    expect(last.doneBytes).toBe(last.totalBytes);
    expect(last.file).toMatch(/^building \w+ \(q4f16\)$/);

    const manifest = JSON.parse(await manifestText()) as { id: string; source: string; dtypes: Record<string, { files: { path: string }[] }> };
    expect(manifest.id).toBe(REPO);
    expect(manifest.source).toBe(`build:hub:${REPO}@main`);
    expect(manifest.dtypes.q4f16!.files.map((f) => f.path)).toContain('onnx/decoder_model_merged_q4f16.onnx_data');
    expect(existsSync(sources())).toBe(false); // shards deleted once installed
    await noLeftovers();
    expect((await run()) as { alreadyInstalled: boolean }).toMatchObject({ alreadyInstalled: true });
  }, 120_000);

  it('cancels during the build: nothing half-installed, shards kept, the installed dtype untouched; a new run builds again', async () => {
    const installed = await manifestText();
    const controller = new AbortController();
    let buildSeen = false;
    const err = await run({
      dtype: 'fp16',
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'build' && !buildSeen) {
          buildSeen = true;
          controller.abort();
        }
      },
    });
    expect(buildSeen).toBe(true);
    expect((err as Error).message).toBe('test-org/tiny-egm (fp16): build cancelled (the downloaded shards are kept; a new build starts from the beginning and takes minutes)');
    expect(await manifestText()).toBe(installed);
    expect(existsSync(join(finalDir(), 'onnx/decoder_model_merged_fp16.onnx_data'))).toBe(false);
    await noLeftovers();
    for (const s of shards) expect(existsSync(join(sources(), s))).toBe(true);

    const before = hub.requests.length;
    const result = await run({ dtype: 'fp16' });
    if (result instanceof Error) throw result;
    expect(result.fetchedBytes).toBe(0);
    expect(hub.requests.slice(before).filter((r) => r.file?.endsWith('.safetensors'))).toEqual([]);
    const manifest = JSON.parse(await manifestText()) as { dtypes: Record<string, unknown> };
    expect(Object.keys(manifest.dtypes).sort()).toEqual(['fp16', 'q4f16']); // added beside the first dtype
    await noLeftovers();
  }, 120_000);

  it('refuses bad input in one line, installs nothing and keeps the installed model', async () => {
    const installed = await manifestText();
    const unchanged = async () => {
      expect(await manifestText()).toBe(installed);
      expect((await listInstalled(root)).models.map((m) => m.id)).toEqual([REPO]);
      await noLeftovers();
    };
    const oneLine = (err: unknown) => {
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message.split('\n')).toHaveLength(1);
      return (err as Error).message;
    };

    // Hash mismatch: a shard whose bytes are not the ones the hub's LFS sha256 names.
    const body = (await filesOf(join(dir, 'checkpoint')))[shards[0]!]!;
    const corrupt = Buffer.from(body);
    corrupt[corrupt.length - 1] = corrupt[corrupt.length - 1]! ^ 0xff;
    hub.fail(REPO, shards[0]!, { kind: 'body', content: corrupt });
    expect(oneLine(await run({ dtype: 'fp32' }))).toMatch(new RegExp(`^test-org/tiny-egm \\(fp32\\): ${shards[0]}: sha256 [0-9a-f]{12}… does not match the hub's ETag [0-9a-f]{12}…$`));
    await unchanged();

    // A shard the index names but the hub does not have.
    hub.fail(REPO, shards[1]!, { kind: 'status', status: 404 });
    expect(oneLine(await run({ dtype: 'fp32' }))).toMatch(new RegExp(`^test-org/tiny-egm \\(fp32\\): ${shards[1]}: HTTP 404 from 127\\.0\\.0\\.1:\\d+$`));
    await unchanged();

    // A full disk: refused before the shard's first byte.
    const full = await run({ dtype: 'fp32', freeSpace: async () => 1_000_000 });
    expect(oneLine(full)).toMatch(/^test-org\/tiny-egm \(fp32\): model-0000\d-of-00002\.safetensors: needs .* but only .* is free in .*; free some space and run again$/);
    await unchanged();

    // A truncated shard: the body ends short of the size the hub's LFS record gives.
    hub.fail(REPO, shards[1]!, { kind: 'body', content: body.subarray(0, 4096) });
    expect(oneLine(await run({ dtype: 'fp32' }))).toMatch(new RegExp(`^test-org/tiny-egm \\(fp32\\): ${shards[1]}: server says 4096 bytes, the hub \\(X-Linked-Size\\) says \\d+$`));
    await unchanged();

    // Another architecture: stopped at config.json, before any shard is fetched.
    const before = hub.requests.length;
    const llama = oneLine(await run({ id: LLAMA }));
    expect(llama).toMatch(/^test-org\/llama \(q4f16\): .*config\.json: a LlamaForCausalLM model; the builder makes Qwen3-VL \(Qwen3VLForConditionalGeneration\) models only$/);
    expect(hub.requests.slice(before).filter((r) => r.file?.endsWith('.safetensors'))).toEqual([]);
    expect(existsSync(join(root, 'test-org--llama'))).toBe(false);
    await unchanged();
  }, 120_000);

  it('egm model download prints the download bar, then the build bar, and the installed folder as JSON', async () => {
    const catalogPath = join(dir, 'catalog.json');
    await writeFile(catalogPath, JSON.stringify({ version: 1, models: [entry(REPO)] }));
    let stdout = '';
    let stderr = '';
    const io = { stdout: (t: string) => { stdout += t; }, stderr: (t: string) => { stderr += t; }, env: { ...process.env, HF_ENDPOINT: hub.url, EGM_PROGRESS: 'lines' }, cwd: dir };
    const code = await runCli(['model', 'download', REPO, '--catalog', catalogPath, '--dest', 'cli-models', '--dtype', 'fp32', '--keep-source'], io);
    expect(code, stderr).toBe(0);
    const lines = stderr.trim().split('\n');
    const building = lines.findIndex((l) => l.startsWith('model download: checkpoint downloaded; building the ONNX model'));
    expect(building).toBeGreaterThan(0);
    expect(lines[building - 1]).toMatch(/^\[#+\] 100% .* model-00002-of-00002\.safetensors \(10\/10\)$/);
    expect(lines.at(-1)).toMatch(/^\[#+\] 100% .* building \w+ \(fp32\) \(1\/1\)$/);
    expect(JSON.parse(stdout)).toMatchObject({ id: REPO, dtype: 'fp32', dir: join(dir, 'cli-models', 'test-org--tiny-egm'), alreadyInstalled: false });
    expect(existsSync(join(dir, 'cli-models', '.sources', 'test-org--tiny-egm', shards[0]!))).toBe(true); // --keep-source
  }, 120_000);
});

/** A small tmpfs to fill (Linux, root); null with the reason where it cannot be mounted. */
function mountSmallDisk(dir: string, size: string): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (err) {
    return `cannot mount a tmpfs (${(err as Error).message.split('\n')[0]})`;
  }
}

describe.skipIf(!PYTHON)('download + build on a disk that fills up during the build', () => {
  let dir: string;
  let disk: string;
  let hub: FakeHub;
  let skipped: string | null = null;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'egm-dlbuild-full-'));
    const checkpoint = join(dir, 'checkpoint');
    await makeTinyCheckpoint(checkpoint, { shards: 2 });
    hub = await FakeHub.start({ repos: { [REPO]: await filesOf(checkpoint) } });
    disk = join(dir, 'disk');
    await mkdir(disk);
    // Room for the ~74 MB checkpoint, not for the build beside it.
    skipped = mountSmallDisk(disk, '90m');
    if (skipped) console.warn(`model-download-build (full disk): SKIPPED, ${skipped}`);
  }, 120_000);
  afterAll(async () => {
    await hub?.close();
    if (!skipped && disk) execFileSync('umount', [disk]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('fails in one line when the disk fills mid-build, with nothing half-installed and the shards kept', async (ctx) => {
    if (skipped) ctx.skip();
    const root = join(disk, 'models');
    // The download's own free-space check would refuse first (it keeps 256 MB free): pretend there is room.
    const err = await downloadModel(REPO, { catalog, destRoot: root, env: { HF_ENDPOINT: hub.url }, freeSpace: async () => 1e12 }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^test-org\/tiny-egm \(q4f16\): model build: the disk is full \(.*\); nothing was installed$/);
    expect(existsSync(join(root, 'test-org--tiny-egm'))).toBe(false);
    expect((await readdir(join(root, '.staging')).catch(() => [])).filter((n) => n.includes('.build'))).toEqual([]);
    expect((await readdir(join(root, '.sources', 'test-org--tiny-egm'))).filter((n) => n.endsWith('.safetensors'))).toHaveLength(2);
  }, 120_000);
});
