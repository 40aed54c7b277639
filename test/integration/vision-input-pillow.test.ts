// The local engine's pixel_values against the reference itself: Hugging Face
// transformers 5.24's Qwen2VLImageProcessorPil reading the same files by path
// (scripts/parity/hf_pixels.py in the .venv-parity venv). Every parity image
// (test/helpers/parity-images.ts) and a few hand-made PNGs (tRNS colour keys,
// 2-bit and 16-bit samples) must give the same grid and pixels within one
// grey level; today they are bit for bit equal. Pillow's resize is also
// checked on random sizes. Without the venv the file is skipped, saying so.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy } from '../../electron/engine/local/npy';
import { loadVisionInput, visionConfigFrom } from '../../electron/engine/local/vision-input';
import { DEFAULT_MAX_PIXELS } from '../../electron/images/model-input';
import { resizeBicubic } from '../../electron/images/pil-resize';
import { writeParityImages } from '../helpers/parity-images';
import { pngBytes, pngChunk, u16be } from '../helpers/png-bytes';
import { REPO_ROOT } from '../helpers/tiny-model';
import { preprocessorConfig } from '../../electron/models/onnx-builder/support-files';

const PYTHON = [resolve(REPO_ROOT, '.venv-parity/bin/python'), resolve(REPO_ROOT, '.venv-parity/Scripts/python.exe')].find((p) => existsSync(p));
if (!PYTHON) {
  console.warn('vision-input-pillow: SKIPPED, no Python reference venv (.venv-parity); create it with `bash scripts/setup-python.sh` to compare with Hugging Face');
}

/** Qwen3-VL's preprocessor_config.json (what the model builder writes for a real checkpoint). */
const PREPROCESSOR = preprocessorConfig();

/** 40×30 test card: a few grey levels or colours in blocks, so a colour key hits some pixels and not others. */
function card(channels: number, values: number[][]): Uint8Array[] {
  return Array.from({ length: 30 }, (_, y) => Uint8Array.from(Array.from({ length: 40 }, (_, x) => values[(Math.floor(x / 8) + Math.floor(y / 6)) % values.length]!).flat().slice(0, 40 * channels)));
}

/** PNGs no encoder writes on request: what Pillow's tRNS handling and 16/2-bit reads do to them is the point. */
const HAND_MADE: [string, Buffer][] = [
  ['trns-grey-key.png', pngBytes({ width: 40, height: 30, depth: 8, colourType: 0, rows: card(1, [[10], [120], [200], [60]]), extra: [pngChunk('tRNS', u16be([120]))] })],
  ['trns-rgb-key.png', pngBytes({ width: 40, height: 30, depth: 8, colourType: 2, rows: card(3, [[1, 2, 3], [200, 30, 40], [9, 90, 190]]), extra: [pngChunk('tRNS', u16be([200, 30, 40]))] })],
  [
    'trns-palette-one.png',
    pngBytes({
      width: 40,
      height: 30,
      depth: 8,
      colourType: 3,
      rows: card(1, [[0], [1], [2], [3]]),
      extra: [pngChunk('PLTE', [250, 20, 20, 20, 160, 20, 20, 20, 250, 250, 20, 20]), pngChunk('tRNS', [0xff, 0xff, 0xff, 0x00])],
    }),
  ],
  ['trns-grey2bit.png', pngBytes({ width: 40, height: 30, depth: 2, colourType: 0, rows: card(1, [[0b00011011]]).map((r) => r.subarray(0, 10)), extra: [pngChunk('tRNS', u16be([0]))] })],
  ['grey16-key0.png', pngBytes({ width: 40, height: 30, depth: 16, colourType: 0, rows: card(2, [[0, 0], [0, 200], [1, 44], [3, 232]]), extra: [pngChunk('tRNS', u16be([0]))] })],
  ['rgb16-key.png', pngBytes({ width: 40, height: 30, depth: 16, colourType: 2, rows: card(6, [[1, 0, 2, 0, 3, 0], [1, 99, 2, 99, 3, 99], [40, 1, 80, 2, 120, 3]]), extra: [pngChunk('tRNS', u16be([1, 2, 3]))] })],
];

interface Reference {
  file: string;
  grid?: number[];
  error?: string;
}

describe.skipIf(!PYTHON)('vision input vs Hugging Face (Qwen2VLImageProcessorPil, Pillow)', () => {
  let work: string;
  let images: { name: string; file: string; note: string }[];
  let reference: Reference[];
  const cfg = visionConfigFrom(PREPROCESSOR);

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'egm-pillow-'));
    images = await writeParityImages(join(work, 'images'));
    for (const [name, bytes] of HAND_MADE) {
      const file = join(work, 'images', name);
      await writeFile(file, bytes);
      images.push({ name, file, note: 'hand-made PNG' });
    }
    // Aspect ratio 201: Hugging Face refuses it, so must the app.
    const file = join(work, 'images', 'too-wide-4020x20.png');
    await sharp(resolve(REPO_ROOT, 'assets/samples/home.jpg')).resize(4020, 20, { fit: 'fill' }).png().toFile(file);
    images.push({ name: 'too-wide-4020x20.png', file, note: 'aspect ratio over 200' });
    await writeFile(join(work, 'preprocessor_config.json'), JSON.stringify(PREPROCESSOR));
    const out = join(work, 'reference');
    const args = ['scripts/parity/hf_pixels.py', '--model', join(work, 'preprocessor_config.json'), '--max-pixels', String(DEFAULT_MAX_PIXELS), '--out', out, ...images.map((i) => i.file)];
    const ran = spawnSync(PYTHON!, args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 110_000 });
    if (ran.status !== 0) throw new Error(`hf_pixels.py failed (${ran.status}): ${ran.stderr}`);
    reference = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as Reference[];
  });
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('gives every image the same grid and pixels within one grey level (bit-exact today)', async () => {
    expect(images.length).toBeGreaterThanOrEqual(20);
    const rows: string[] = [];
    for (const [i, image] of images.entries()) {
      const ref = reference[i]!;
      if (ref.error) {
        await expect(loadVisionInput(image.file, cfg, DEFAULT_MAX_PIXELS), image.name).rejects.toThrow(/aspect ratio/);
        rows.push(`${image.name}: refused by both (${ref.error})`);
        continue;
      }
      const ours = await loadVisionInput(image.file, cfg, DEFAULT_MAX_PIXELS);
      const grid = (ours.imageGridThw.tolist() as bigint[][])[0]!.map(Number);
      expect(grid, image.name).toEqual(ref.grid);
      const theirs = decodeNpy(readFileSync(join(work, 'reference', `${i}.npy`))).data as Float32Array;
      const mine = ours.pixelValues.data as Float32Array;
      expect(mine.length, image.name).toBe(theirs.length);
      let worst = 0;
      let differing = 0;
      for (let j = 0; j < mine.length; j++) {
        const d = Math.abs(mine[j]! - theirs[j]!);
        if (d > 0) differing++;
        if (d > worst) worst = d;
      }
      // Normalised with mean = std = 0.5: one grey level is 1/127.5.
      const grey = worst * 127.5;
      rows.push(`${image.name}: grid ${grid.join('x')}, max ${grey.toFixed(3)} grey levels, ${differing} values differ`);
      expect(grey, `${image.name} (${image.note})`).toBeLessThanOrEqual(1);
    }
    console.log(`vision-input-pillow:\n  ${rows.join('\n  ')}`);
  });

  it('resizes like Pillow on random sizes, up and down, both pass orders, 1/3/4 channels', () => {
    const script = `
import sys, json, base64, numpy as np
from PIL import Image
rng = np.random.default_rng(20261130)
cases = []
for i in range(160):
    w, h = (int(v) for v in rng.integers(1, 70, 2))
    ow, oh = (int(v) for v in rng.integers(1, 90, 2))
    if i % 4 == 0: ow = w
    ch = (1, 3, 4)[i % 3]
    a = rng.integers(0, 256, (h, w, ch), dtype=np.uint8)
    if i % 2: a = np.where(a > 127, 255, 0).astype(np.uint8)
    im = Image.frombytes({1: "L", 3: "RGB", 4: "RGBX"}[ch], (w, h), a.tobytes())
    out = im.resize((ow, oh), Image.Resampling.BICUBIC)
    cases.append([w, h, ch, ow, oh, base64.b64encode(a.tobytes()).decode(), base64.b64encode(out.tobytes()).decode()])
json.dump(cases, sys.stdout)
`;
    const ran = spawnSync(PYTHON!, ['-c', script], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(ran.status, ran.stderr).toBe(0);
    const cases = JSON.parse(ran.stdout) as [number, number, number, number, number, string, string][];
    const failed = cases.filter(([w, h, ch, ow, oh, input, expected]) => !Buffer.from(resizeBicubic(Buffer.from(input, 'base64'), w, h, ch, ow, oh)).equals(Buffer.from(expected, 'base64')));
    expect(failed.map(([w, h, ch, ow, oh]) => `${w}x${h}x${ch} -> ${ow}x${oh}`)).toEqual([]);
  });
});
