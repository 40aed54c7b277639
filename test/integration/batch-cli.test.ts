// `egm batch` against the fake OpenAI server: a whole run in-process (JSON
// summary on stdout, progress on stderr), and the real process interrupted
// with SIGINT mid-way, then run again: it resumes the same batch and asks only
// for the items that were not answered.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
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
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

let server: FakeServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer({ record: false });
});
afterAll(() => server.close());

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd: REPO });
  return { code, stdout, stderr };
}

describe('egm batch', () => {
  let dir: string;
  let cleanup: () => void;
  let file: string;

  beforeEach(() => {
    ({ dir, cleanup } = tempDir('egm-batch-cli-'));
    file = join(dir, 'p.egm');
    const store = openProjectStore(file, { create: true });
    store.addImages(['messi5.jpg', 'fruits.jpg', 'home.jpg', 'stuff.jpg'].map((n) => ({ absolutePath: join(SAMPLES, n), width: 100, height: 100, orientation: 1 })));
    store.close();
    server.configure({ durationMs: null });
  });
  afterEach(() => cleanup());

  it('labels every image with every phrase and prints a JSON summary', async () => {
    const run = await cli(['batch', file, '--phrase', 'the person', '--phrase', 'the fruit', '--server', server.baseUrl, '--concurrency', '4']);
    expect(run.stderr).toContain('started batch');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ resumed: false, state: 'done', total: 8, done: 8, failed: 0, pending: 0, noBox: 0, skipped: 0, model: 'nvidia/EGM-8B', failures: [] });
    const store = openProjectStore(file);
    expect(listProposals(store)).toHaveLength(8);
    store.close();
  });

  it('refuses bad arguments with a one-line usage error', async () => {
    expect((await cli(['batch', file, '--server', server.baseUrl])).stderr).toMatch(/^egm batch: give at least one non-empty --phrase \(usage: /);
    expect((await cli(['batch', file, '--phrase', 'x', '--server', server.baseUrl, '--concurrency', '0'])).code).toBe(2);
    expect((await cli(['batch', join(dir, 'nope.egm'), '--phrase', 'x', '--server', server.baseUrl])).stderr).toContain('project not found');
  });

  it('stops on SIGINT leaving the batch resumable, and the next run finishes only the rest', async () => {
    server.configure({ durationMs: 300 });
    const child = spawn(process.execPath, ['--import', TSX, 'electron/cli/egm.ts', 'batch', file, '--phrase', 'the person', '--server', server.baseUrl, '--concurrency', '1'], { cwd: REPO });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const before = server.stats.completions;
    // Interrupt after the first item (two requests) has been answered.
    await server.whenCompletions(before + 3);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('run the same command again to resume');
    const first = JSON.parse(stdout);
    expect(first).toMatchObject({ resumed: false, state: 'paused', total: 4 });
    expect(first.done).toBeGreaterThanOrEqual(1);
    expect(first.pending).toBeGreaterThan(0);

    server.configure({ durationMs: null });
    // A request the interrupt cancelled may reach the server after the exit: count once none can.
    await server.whenIdle();
    const afterInterrupt = server.stats.completions;
    const second = await cli(['batch', file, '--phrase', 'the person', '--server', server.baseUrl]);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ batchId: first.batchId, resumed: true, state: 'done', total: 4, done: 4 });
    expect(server.stats.completions - afterInterrupt).toBe(first.pending * 2);
    const store = openProjectStore(file);
    expect(listProposals(store)).toHaveLength(4);
    store.close();
  }, 90_000);
});
