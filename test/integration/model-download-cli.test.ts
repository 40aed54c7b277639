// `egm model list` / `egm model download` through the real dispatcher, against the fake hub.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/run-cli';
import { FakeHub } from '../helpers/fake-hub-server';

const REPO = 'test-org/cli-model';
const weights = randomBytes(300_000);
let hub: FakeHub;
let root: string;
let catalogPath: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'egm-cli-model-'));
  hub = await FakeHub.start({ repos: { [REPO]: { 'config.json': Buffer.from('{}'), 'onnx/model_q4f16.onnx': weights } } });
  catalogPath = join(root, 'catalog.json');
  await writeFile(
    catalogPath,
    JSON.stringify({
      version: 1,
      models: [
        {
          id: REPO,
          name: 'cli',
          status: 'ready',
          source: { repo: REPO, revision: 'main' },
          license: 'x',
          egmTuned: false,
          description: 'd',
          defaultDtype: 'q4f16',
          dtypes: { q4f16: { files: [{ path: 'config.json' }, { path: 'onnx/model_q4f16.onnx', approxSize: 300_000 }] } },
        },
      ],
    }),
  );
});
afterEach(async () => {
  await hub.close();
  await rm(root, { recursive: true, force: true });
});

async function egm(args: string[], extraEnv: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    env: { HF_ENDPOINT: hub.url, EGM_MODELS_DIR: join(root, 'models'), EGM_CATALOG: catalogPath, ...extraEnv },
    cwd: root,
  });
  return { code, stdout, stderr };
}

describe('egm model', () => {
  it('lists, downloads with a progress bar on stderr, then lists the model as installed', async () => {
    const before = await egm(['model', 'list']);
    expect(before.code).toBe(0);
    const listed = JSON.parse(before.stdout);
    expect(listed.modelsDir).toBe(join(root, 'models'));
    expect(listed.models).toMatchObject([{ id: REPO, status: 'ready', installed: null }]);

    const dl = await egm(['model', 'download', REPO, '--dtype', 'q4f16'], { EGM_PROGRESS: 'lines' });
    expect(dl.code).toBe(0);
    const result = JSON.parse(dl.stdout);
    expect(result).toMatchObject({ id: REPO, dtype: 'q4f16', dir: join(root, 'models', 'test-org--cli-model'), alreadyInstalled: false });
    const lines = dl.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^\[#+\] 100% .* onnx\/model_q4f16\.onnx \(2\/2\)$/);
    expect(dl.stderr).not.toContain('\r'); // not a terminal: plain lines
    expect(await readFile(join(result.dir, 'onnx/model_q4f16.onnx'))).toEqual(weights);

    const after = JSON.parse((await egm(['model', 'list'])).stdout);
    expect(after.models[0].installed).toMatchObject({ dtypes: ['q4f16'], bytes: weights.length + 2 });
  });

  it('draws one updating line on a terminal', async () => {
    const dl = await egm(['model', 'download', REPO], { EGM_PROGRESS: 'tty' });
    expect(dl.code).toBe(0);
    expect(dl.stderr.startsWith('\r[')).toBe(true);
    expect(dl.stderr.endsWith('\x1b[K\n')).toBe(true);
    expect(dl.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('fails with one line and a non-zero code, printing nothing on stdout', async () => {
    hub.fail(REPO, 'onnx/model_q4f16.onnx', { kind: 'status', status: 500, times: 5 });
    const dl = await egm(['model', 'download', REPO]);
    expect(dl.code).toBe(1);
    expect(dl.stdout).toBe('');
    expect(dl.stderr.trim().split('\n').at(-1)).toMatch(/^egm model: test-org\/cli-model \(q4f16\): onnx\/model_q4f16\.onnx: HTTP 500 from 127\.0\.0\.1:\d+$/);
  });

  it('rejects usage mistakes with exit code 2', async () => {
    expect((await egm(['model', 'download'])).code).toBe(2);
    expect((await egm(['model', 'download', REPO, '--bogus', '1'])).stderr).toContain('unknown option --bogus');
    expect((await egm(['model', 'frobnicate'])).code).toBe(2);
    const unknown = await egm(['model', 'download', 'no/such']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(`egm model: unknown model 'no/such' (known: ${REPO})\n`);
  });
});
