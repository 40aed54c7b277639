// The model panel's view of the bundled catalog: EGM-4B and EGM-8B are
// downloadable (Download builds them here), with their dtypes, default and
// download size, and no export command to run first.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandlerDeps } from '../../electron/handlers/deps';
import { modelsCatalogHandlers } from '../../electron/handlers/models-catalog';

describe('model:catalog with the bundled catalog', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'egm-catalog-info-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('offers EGM-4B and EGM-8B for download (built here), q4f16 by default', async () => {
    const deps = { env: { EGM_MODELS_DIR: dir }, emit: () => undefined } as unknown as HandlerDeps;
    const handlers = modelsCatalogHandlers(deps, () => Promise.reject(new Error('no service needed')));
    const { models, modelsDir } = await handlers['model:catalog']({});
    expect(modelsDir).toBe(dir);
    for (const [id, bytes] of [['nvidia/EGM-4B', 8_900_000_000], ['nvidia/EGM-8B', 17_500_000_000]] as const) {
      expect(models.find((m) => m.id === id)).toMatchObject({
        status: 'build', runnable: true, exportHint: null, installed: null, downloading: false, dtypes: ['q4f16', 'fp16'], defaultDtype: 'q4f16', bytes, egmTuned: true,
      });
    }
  });
});
