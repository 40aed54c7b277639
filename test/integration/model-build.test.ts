// `egm model build` on a tiny random Qwen3-VL saved by Hugging Face's own code
// (scripts/parity/make_tiny_qwen3vl.py, in the .venv-parity venv): the folder
// it writes loads in the local engine and answers; bad input is one line and
// leaves the previous model in place. Numerical agreement with HF is
// `npm run parity`'s job. Without the venv the file is skipped, saying so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../electron/cli/run-cli';
import { loadLocalBackend } from '../../electron/engine/local/local-backend';
import { REPO_ROOT } from '../helpers/tiny-model';
import { onnxExternalData } from '../helpers/onnx-graph';

const PYTHON = [resolve(REPO_ROOT, '.venv-parity/bin/python'), resolve(REPO_ROOT, '.venv-parity/Scripts/python.exe')].find((p) => existsSync(p));
if (!PYTHON) console.warn('model-build: SKIPPED, no Python reference venv (.venv-parity) to make an HF checkpoint; create it with `bash scripts/setup-python.sh`');

async function egm(cwd: string, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, env: { ...process.env, EGM_PROGRESS: 'lines' }, cwd });
  return { code, stdout, stderr };
}

describe.skipIf(!PYTHON)('egm model build', () => {
  let dir: string;
  let checkpoint: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'egm-build-'));
    checkpoint = join(dir, 'checkpoint');
    // Config b: tied embeddings, three DeepStack layers, head_dim 32.
    execFileSync(PYTHON!, ['scripts/parity/make_tiny_qwen3vl.py', '--out', checkpoint, '--config', 'b'], { cwd: REPO_ROOT, stdio: 'pipe' });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes a folder the local engine loads and runs, manifest last, with a progress bar', async () => {
    const out = join(dir, 'models', 'tiny');
    const run = await egm(dir, 'model', 'build', checkpoint, '--out', out, '--dtype', 'fp32,q4f16', '--id', 'local/tiny-b');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/100%/);
    const report = JSON.parse(run.stdout) as { dtypes: string[]; fp16: { overflow: number; flushed: number } };
    expect(report.dtypes).toEqual(['fp32', 'q4f16']);
    const manifest = JSON.parse(await readFile(join(out, 'egm-model.json'), 'utf8')) as { id: string; dtypes: Record<string, { files: { path: string }[] }> };
    expect(manifest.id).toBe('local/tiny-b');
    expect(manifest.dtypes.q4f16!.files.map((f) => f.path)).toContain('onnx/decoder_model_merged_q4f16.onnx_data');
    expect((await readdir(join(dir, 'models'))).filter((n) => n.startsWith('.'))).toEqual([]); // no staging left
    // Config b ties the LM head to the embedding: the fp32 decoder reads embed_tokens' table where that graph has it, not a second copy.
    const table = 'model.language_model.embed_tokens.weight';
    const inEmbed = onnxExternalData(join(out, 'onnx', 'embed_tokens.onnx')).get(table);
    expect(inEmbed?.location).toBe('embed_tokens.onnx_data');
    expect(onnxExternalData(join(out, 'onnx', 'decoder_model_merged.onnx')).get(table)).toEqual(inEmbed);
    expect([...onnxExternalData(join(out, 'onnx', 'decoder_model_merged.onnx')).values()].filter((s) => s.location === 'embed_tokens.onnx_data')).toHaveLength(1);
    for (const dtype of ['fp32', 'q4f16'] as const) {
      const backend = await loadLocalBackend({ modelDir: out, device: 'cpu', dtype });
      try {
        const result = await backend.ground({ imagePath: join(REPO_ROOT, 'assets/samples/fruits.jpg'), phrase: 'the lime', kind: 'amodal', maxNewTokens: 6 });
        expect(result.tokens).toBe(6);
        expect(result.reason === undefined || result.reason === 'no-box').toBe(true);
      } finally {
        await backend.dispose();
      }
    }
  });

  it('refuses bad input in one line and keeps the previous model', async () => {
    const out = join(dir, 'models', 'kept');
    expect((await egm(dir, 'model', 'build', checkpoint, '--out', out, '--dtype', 'fp32')).code).toBe(0);
    const before = await readFile(join(out, 'egm-model.json'), 'utf8');
    const oneLine = (text: string) => expect(text.trim().split('\n').filter((l) => !l.startsWith('['))).toHaveLength(1);

    const other = join(dir, 'other-arch');
    await cp(checkpoint, other, { recursive: true });
    const config = JSON.parse(await readFile(join(other, 'config.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(other, 'config.json'), JSON.stringify({ ...config, model_type: 'llama', architectures: ['LlamaForCausalLM'] }));
    const arch = await egm(dir, 'model', 'build', other, '--out', out);
    expect(arch.code).toBe(1);
    expect(arch.stderr).toContain('Qwen3-VL');
    oneLine(arch.stderr);

    const cut = join(dir, 'truncated');
    await cp(checkpoint, cut, { recursive: true });
    await truncate(join(cut, 'model.safetensors'), 4096);
    const truncated = await egm(dir, 'model', 'build', cut, '--out', out);
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toContain('truncated');
    oneLine(truncated.stderr);

    const missing = await egm(dir, 'model', 'build', join(dir, 'nowhere'), '--out', out);
    expect(missing.code).toBe(1);
    const dtype = await egm(dir, 'model', 'build', checkpoint, '--out', out, '--dtype', 'q3');
    expect(dtype.code).toBe(2);

    expect(await readFile(join(out, 'egm-model.json'), 'utf8')).toBe(before);
    expect((await readdir(join(dir, 'models'))).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});
