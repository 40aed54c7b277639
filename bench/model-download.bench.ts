// Download throughput over loopback from the fake hub (302 to the CDN path,
// sha256 ETag): downloadModel (resume bookkeeping, sha256, atomic install)
// against a plain fetch-to-file of the same bytes in the same process, so the
// ratio shows what the checks cost, not how fast this machine's loopback is.
//   npx tsx bench/model-download.bench.ts
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCatalog } from '../electron/models/catalog';
import { downloadModel } from '../electron/models/download';
import { FakeHub } from '../test/helpers/fake-hub-server';

const MB = 1_000_000;
const SIZE = 64 * MB;
const ROUNDS = 3;
const REPO = 'bench/model';

async function plainFetch(url: string, path: string): Promise<void> {
  const res = await fetch(url); // follows the 302 itself
  const fh = await open(path, 'w');
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) await fh.write(chunk);
  } finally {
    await fh.close();
  }
}

const hub = await FakeHub.start({ repos: { [REPO]: { 'onnx/model.onnx_data': randomBytes(SIZE) } } });
const catalog = parseCatalog({
  version: 1,
  models: [{ id: REPO, name: 'bench', status: 'ready', source: { repo: REPO, revision: 'main' }, license: 'x', egmTuned: false, description: 'bench', dtypes: { q4f16: { files: [{ path: 'onnx/model.onnx_data' }] } } }],
});
const root = await mkdtemp(join(tmpdir(), 'egm-bench-dl-'));
const best = { plain: Infinity, download: Infinity };
try {
  for (let round = 0; round < ROUNDS; round++) {
    let t = performance.now();
    await plainFetch(`${hub.url}/${REPO}/resolve/main/onnx/model.onnx_data`, join(root, `plain-${round}`));
    best.plain = Math.min(best.plain, performance.now() - t);
    await rm(join(root, `plain-${round}`));

    t = performance.now();
    await downloadModel(REPO, { catalog, destRoot: join(root, `models-${round}`), env: { HF_ENDPOINT: hub.url } });
    best.download = Math.min(best.download, performance.now() - t);
    await rm(join(root, `models-${round}`), { recursive: true });
  }
} finally {
  await hub.close();
  await rm(root, { recursive: true, force: true });
}
const mbps = (ms: number) => SIZE / MB / (ms / 1000);
console.log(`info: ${SIZE / MB} MB file, best of ${ROUNDS}, loopback; plain fetch ${mbps(best.plain).toFixed(1)} MB/s`);
console.log(`bench model_download_throughput=${mbps(best.download).toFixed(1)} MB/s`);
console.log(`bench model_download_vs_plain_fetch=${(best.plain / best.download).toFixed(2)} x`);
