// A downloaded model's preprocessor config cannot blow an image up (issue 16,
// security second round): a min_pixels of 1.5e8 upscaled an image to 4 GB of
// memory. A lower bound above the largest image any model is given is refused
// in one line, and no image is upscaled past the pixel cap it runs under.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVisionInput, visionConfigFrom } from '../../electron/engine/local/vision-input';
import { solidJpeg } from '../helpers/make-images';

const QWEN = { patch_size: 16, merge_size: 2, temporal_patch_size: 2, do_normalize: true, image_mean: [0.5, 0.5, 0.5], image_std: [0.5, 0.5, 0.5] };

describe('preprocessor pixel bounds', () => {
  let dir: string;
  let small: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'egm-pixel-bounds-'));
    small = join(dir, 'small.jpg');
    writeFileSync(small, await solidJpeg(64, 48));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a min_pixels (or size.shortest_edge) above 16,777,216 in one line', () => {
    expect(() => visionConfigFrom({ ...QWEN, min_pixels: 1.5e8 })).toThrow(
      /^preprocessor_config\.json: min_pixels 150000000 is more pixels than any image is given \(at most 16777216\); the model folder's preprocessor config is not usable$/,
    );
    expect(() => visionConfigFrom({ ...QWEN, size: { shortest_edge: 1e9, longest_edge: 2e9 } })).toThrow(/^preprocessor_config\.json: size\.shortest_edge 1000000000 is more pixels/);
    // Qwen3-VL's own bounds are fine.
    expect(visionConfigFrom({ ...QWEN, size: { shortest_edge: 65_536, longest_edge: 16_777_216 } })).toMatchObject({ minPixels: 65_536, maxPixels: 16_777_216 });
  });

  it('a model lower bound above the pixel cap does not upscale past the cap', async () => {
    const cfg = visionConfigFrom({ ...QWEN, min_pixels: 4_000_000 });
    const input = await loadVisionInput(small, cfg, 65_536);
    // As if the model's lower bound were the cap itself (smart_resize rounds up to whole 32-px patches: 224×320).
    const atCap = await loadVisionInput(small, visionConfigFrom({ ...QWEN, min_pixels: 65_536 }), 65_536);
    expect([input.width, input.height]).toEqual([atCap.width, atCap.height]);
    expect(input.width * input.height).toBeLessThan(65_536 * 1.1);
  });
});
