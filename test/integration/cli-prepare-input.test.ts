// `egm prepare-input` in-process on the tiny model folder: the .npy it writes
// holds exactly the pixel_values the local engine feeds the encoder, and the
// JSON line agrees with it (grid, image tokens, ids); bad input is one line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../electron/cli/run-cli';
import { readNpy } from '../../electron/engine/local/npy';
import { loadQueryInputs } from '../../electron/engine/local/query-input';
import { REPO_ROOT, tinyModelDir } from '../helpers/tiny-model';

const FRUITS = resolve(REPO_ROOT, 'assets/samples/fruits.jpg');

async function egm(cwd: string, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, env: process.env, cwd });
  return { code, stdout, stderr };
}

describe('egm prepare-input', () => {
  let model: string;
  let dir: string;
  beforeAll(async () => {
    model = await tinyModelDir();
    dir = await mkdtemp(join(tmpdir(), 'egm-prepare-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes the engine pixel_values as .npy and prints grid, image tokens and ids', async () => {
    const out = join(dir, 'pixels.npy');
    const run = await egm(dir, 'prepare-input', FRUITS, '--model', model, '--phrase', 'the lime', '--kind', 'amodal', '--max-pixels', '200000', '--out', out);
    expect(run.code, run.stderr).toBe(0);
    const info = JSON.parse(run.stdout) as { grid: number[]; imageTokens: number; inputIds: number[]; width: number; height: number; resizedWidth: number; resizedHeight: number; prompt: string };
    const [t, h, w] = info.grid as [number, number, number];
    expect(info.imageTokens).toBe((t * h * w) / 4);
    expect(info.resizedWidth * info.resizedHeight).toBeLessThanOrEqual(200_000);
    expect([info.width, info.height]).toEqual([512, 480]);
    expect(info.prompt).toContain('amodally');

    const padId = (JSON.parse(await readFile(join(model, 'config.json'), 'utf8')) as { image_token_id: number }).image_token_id;
    expect(info.inputIds.filter((id) => id === padId)).toHaveLength(info.imageTokens);
    const inputs = await loadQueryInputs(model);
    const npy = readNpy(out);
    expect(npy.shape).toEqual([t * h * w, 3 * 2 * 16 * 16]);
    const direct = await inputs.images.get(FRUITS, 200_000);
    expect(Array.from(npy.data as Float32Array)).toEqual(Array.from(direct.pixelValues.data as Float32Array));
  });

  it('refuses bad input in one line', async () => {
    const noOut = await egm(dir, 'prepare-input', FRUITS, '--model', model, '--phrase', 'x');
    expect(noOut.code).toBe(2);
    expect(noOut.stderr.trim().split('\n')).toHaveLength(1);
    const badPixels = await egm(dir, 'prepare-input', FRUITS, '--model', model, '--phrase', 'x', '--max-pixels', '12', '--out', 'a.npy');
    expect(badPixels.code).toBe(2);
    expect(badPixels.stderr).toContain('--max-pixels');
    const noModel = await egm(dir, 'prepare-input', FRUITS, '--model', join(dir, 'nowhere'), '--phrase', 'x', '--out', 'a.npy');
    expect(noModel.code).toBe(1);
    expect(noModel.stderr.trim().split('\n')).toHaveLength(1);
    expect(noModel.stderr).toContain('nowhere');
  });
});
