// Issue 8, finding 10: an install survives a power cut. Each downloaded file is
// fsynced before the rename that makes it count, the folder that gains the
// name is fsynced after, and the manifest is written, fsynced and renamed the
// same way. Recorded by wrapping node:fs/promises' open (sync calls on the
// handles it returns) and rename.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const events = vi.hoisted(() => [] as string[]);
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    open: async (...args: Parameters<typeof real.open>) => {
      const handle = await real.open(...args);
      const path = String(args[0]);
      const sync = handle.sync.bind(handle);
      const datasync = handle.datasync.bind(handle);
      handle.sync = async () => {
        events.push(`sync ${path}`);
        return sync();
      };
      handle.datasync = async () => {
        events.push(`sync ${path}`);
        return datasync();
      };
      return handle;
    },
    rename: async (from: string, to: string) => {
      events.push(`rename ${from} -> ${to}`);
      return real.rename(from, to);
    },
  };
});

const { mkdtemp, rm } = await import('node:fs/promises');
const { parseCatalog } = await import('../../electron/models/catalog');
const { downloadModel } = await import('../../electron/models/download');
const { FakeHub } = await import('../helpers/fake-hub-server');

const REPO = 'test-org/tiny-vl-onnx';
const BIG = 'onnx/decoder_model_merged_q4f16.onnx';
const catalog = parseCatalog({
  version: 1,
  models: [
    {
      id: REPO, name: 'tiny', status: 'ready', source: { repo: REPO, revision: 'main' }, license: 'Apache-2.0', egmTuned: false, description: 'test', defaultDtype: 'q4f16',
      dtypes: { q4f16: { files: [{ path: 'config.json' }, { path: BIG }] }, fp16: { files: [{ path: 'config.json' }, { path: 'onnx/decoder_fp16.onnx' }] } },
    },
  ],
});

let hub: Awaited<ReturnType<typeof FakeHub.start>>;
let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'egm-dl-fsync-'));
  hub = await FakeHub.start({ repos: { [REPO]: { 'config.json': Buffer.from('{"model_type":"qwen3_vl"}'), [BIG]: randomBytes(300_000), 'onnx/decoder_fp16.onnx': randomBytes(50_000) } } });
  events.length = 0;
});
afterEach(async () => {
  await hub.close();
  await rm(root, { recursive: true, force: true });
});

/** Index of the first event matching, after `from`; -1 when none. */
const find = (pattern: RegExp, from = 0) => events.findIndex((event, i) => i >= from && pattern.test(event));
const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('model install durability', () => {
  it('fsyncs every file before its rename and each folder after, manifest included', async () => {
    await downloadModel(REPO, { catalog, destRoot: root, env: { HF_ENDPOINT: hub.url } });
    const staging = join(root, '.staging', 'test-org--tiny-vl-onnx');
    const finalDir = join(root, 'test-org--tiny-vl-onnx');
    for (const file of ['config.json', BIG]) {
      const part = join(staging, '.partial', `${file}.part`);
      const renamed = find(new RegExp(`^rename ${esc(part)} -> ${esc(join(staging, file))}$`));
      expect(renamed, file).toBeGreaterThan(-1);
      expect(find(new RegExp(`^sync ${esc(part)}$`)), `${file}: fsync before rename`).toBeGreaterThan(-1);
      expect(find(new RegExp(`^sync ${esc(part)}$`))).toBeLessThan(renamed);
      expect(find(new RegExp(`^sync ${esc(dirname(join(staging, file)))}$`), renamed), `${file}: folder fsync after rename`).toBeGreaterThan(renamed);
    }
    const manifestRename = find(new RegExp(`^rename ${esc(join(staging, 'egm-model.json'))}\\.tmp-\\d+ -> ${esc(join(staging, 'egm-model.json'))}$`));
    expect(manifestRename).toBeGreaterThan(-1);
    expect(find(new RegExp(`^sync ${esc(join(staging, 'egm-model.json'))}\\.tmp-\\d+$`))).toBeLessThan(manifestRename);
    const install = find(new RegExp(`^rename ${esc(staging)} -> ${esc(finalDir)}$`));
    expect(install).toBeGreaterThan(manifestRename);
    expect(find(new RegExp(`^sync ${esc(root)}$`), install)).toBeGreaterThan(install);

    // A second dtype moves files into the installed folder: each move and the manifest are fsynced too.
    events.length = 0;
    await downloadModel(REPO, { catalog, dtype: 'fp16', destRoot: root, env: { HF_ENDPOINT: hub.url } });
    const moved = find(new RegExp(`^rename ${esc(join(staging, 'onnx/decoder_fp16.onnx'))} -> ${esc(join(finalDir, 'onnx/decoder_fp16.onnx'))}$`));
    expect(moved).toBeGreaterThan(-1);
    expect(find(new RegExp(`^sync ${esc(join(finalDir, 'onnx'))}$`), moved)).toBeGreaterThan(moved);
    const manifest = find(new RegExp(`^rename ${esc(join(finalDir, 'egm-model.json'))}\\.tmp-\\d+ -> ${esc(join(finalDir, 'egm-model.json'))}$`));
    expect(find(new RegExp(`^sync ${esc(join(finalDir, 'egm-model.json'))}\\.tmp-\\d+$`))).toBeLessThan(manifest);
    expect(find(new RegExp(`^sync ${esc(finalDir)}$`), manifest)).toBeGreaterThan(manifest);
  });
});
