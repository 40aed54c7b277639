// `egm ground` and `egm batch` against a misbehaving local server (issue 8):
// a 48 MB answer (the CLI's peak memory, measured in a child process), an
// answer that never ends (keep-alive comments) stopped by --timeout, a batch
// whose server goes away for good (it pauses, exit 75), --retry-failed.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from '../../electron/cli/run-cli';
import { openProjectStore } from '../../electron/store/project-store';
import { listProposals } from '../../electron/store/proposals';
import { startFakeOpenAIServer, type FakeServer } from '../helpers/fake-openai-server';
import { tempDir } from '../helpers/store-temp';

const REPO = resolve(__dirname, '../..');
const SAMPLES = resolve(REPO, 'assets/samples');
const MESSI = join(SAMPLES, 'messi5.jpg');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

let server: FakeServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer({ record: false });
});
afterAll(() => server.close());
afterEach(() => server.configure({ huge: null, keepAlive: null, fail: null, durationMs: null }));

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd: REPO });
  return { code, stdout, stderr };
}

/** egm in a child process that reports its peak memory (test/helpers/cli-rss-child.ts). */
function measuredEgm(args: string[]): Promise<{ code: number; stdoutBytes: number; stderr: string; maxRssMb: number }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', TSX, 'test/helpers/cli-rss-child.ts', ...args], { cwd: REPO, maxBuffer: 256 * 1_048_576 }, (err, stdout, stderr) => {
      const rss = /maxrss_mb=([\d.]+)/.exec(stderr);
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdoutBytes: Buffer.byteLength(stdout), stderr: stderr.replace(/maxrss_mb=.*\n/, ''), maxRssMb: rss ? Number(rss[1]) : NaN });
    });
  });
}

describe('egm ground against a misbehaving server', () => {
  it('a 48 MB answer: one line, a bounded result, and little memory (finding 4)', async () => {
    server.configure({ huge: { bytes: 48 * 1_048_576, shape: 'chunks' } });
    const run = await measuredEgm(['ground', MESSI, '--phrase', 'x', '--server', server.baseUrl]);
    const normal = (server.configure({ huge: null }), await measuredEgm(['ground', MESSI, '--phrase', 'x', '--server', server.baseUrl]));
    console.log(`egm ground, 48 MB answer: peak RSS ${run.maxRssMb} MB (a normal answer: ${normal.maxRssMb} MB), stdout ${run.stdoutBytes} bytes`);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('egm ground: visible query failed: error: truncated: the answer went over 131072 characters\n');
    expect(run.stdoutBytes).toBeLessThan(100_000);
    expect(run.maxRssMb - normal.maxRssMb).toBeLessThan(60);
  });

  it('--timeout ends an answer that only ever sends keep-alive comments (finding 5)', async () => {
    server.configure({ keepAlive: { everyMs: 20 } });
    const started = performance.now();
    const run = await cli(['ground', MESSI, '--phrase', 'x', '--server', server.baseUrl, '--timeout', '0.5']);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ box: null, reason: 'timeout: no answer within the time limit of 0.5 s per answer' });
    expect(run.stderr).toBe('egm ground: visible query failed: timeout: no answer within the time limit of 0.5 s per answer\n');
  });

  it('--timeout must be a positive number of seconds', async () => {
    const run = await cli(['ground', MESSI, '--phrase', 'x', '--server', server.baseUrl, '--timeout', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^egm ground: --timeout must be a number of seconds above 0 and at most 86400, got '0' \(usage: /);
  });
});

describe('egm batch against a misbehaving server (finding 7)', () => {
  let dir: string;
  let cleanup: () => void;
  let file: string;

  beforeEach(() => {
    ({ dir, cleanup } = tempDir('egm-batch-limits-'));
    file = join(dir, 'p.egm');
    const store = openProjectStore(file, { create: true });
    store.addImages(['messi5.jpg', 'fruits.jpg', 'home.jpg', 'stuff.jpg'].map((n) => ({ absolutePath: join(SAMPLES, n), width: 100, height: 100, orientation: 1 })));
    store.close();
  });
  afterEach(() => cleanup());

  it('--retry-failed asks again for the failed items only', async () => {
    server.configure({ fail: { times: 2, status: 400 } });
    const first = await cli(['batch', file, '--phrase', 'the person', '--server', server.baseUrl, '--concurrency', '1']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ state: 'done', done: 3, failed: 1 });
    const before = server.stats.completions;
    const retry = await cli(['batch', file, '--phrase', 'the person', '--server', server.baseUrl, '--retry-failed']);
    expect(retry.code).toBe(0);
    expect(retry.stderr).toMatch(/^retrying the failed items of batch \d+: 1 of 4 items to do/);
    expect(JSON.parse(retry.stdout)).toMatchObject({ state: 'done', done: 4, failed: 0, failures: [] });
    expect(server.stats.completions - before).toBe(2);
    const none = await cli(['batch', file, '--phrase', 'something else', '--server', server.baseUrl, '--retry-failed']);
    expect(none).toMatchObject({ code: 1, stderr: `egm batch: --retry-failed: no batch with these phrases in ${file}\n` });
  });

  it('a server that never answers in time pauses the batch (exit 75) instead of failing its items; the next run finishes it', async () => {
    server.configure({ keepAlive: { everyMs: 20 } });
    const run = await cli(['batch', file, '--phrase', 'the person', '--server', server.baseUrl, '--timeout', '0.3', '--wait-for-server', '1']);
    expect(run.code).toBe(75);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^egm batch: batch \d+ paused: the server failed for \d+ s with no answer \(timeout: no answer within the time limit of 0\.3 s per answer\); resume when it is back \(run the same command again\)$/);
    expect(JSON.parse(run.stdout)).toMatchObject({ state: 'paused', done: 0, failed: 0, pending: 4 });

    server.configure({ keepAlive: null });
    const next = await cli(['batch', file, '--phrase', 'the person', '--server', server.baseUrl]);
    expect(next.code).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({ resumed: true, state: 'done', done: 4, failed: 0 });
    const store = openProjectStore(file);
    expect(listProposals(store)).toHaveLength(4);
    store.close();
  });
});
