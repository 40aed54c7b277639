// Project store figures:
//   store_edit_p95_ms  p95 of one acknowledged annotation update, synchronous=FULL (budget < 5 ms)
//   store_open_ms      open + listImages of 20,000 images / 100,000 boxes (budget < 1500 ms)
//   images_list_filtered_ms  median listImages with issue 11's filters at once (search, status, unreviewed)
// Run: npx tsx bench/store.bench.ts
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Box } from '@core/types';
import { openProjectStore } from '../electron/store/project-store';

const IMAGES = 20_000;
const BOXES = 100_000;
const EDITS = 1_000;

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const timed = <T>(fn: () => T): [T, number] => {
  const started = performance.now();
  const result = fn();
  return [result, performance.now() - started];
};
const box = (i: number): Box => [i % 500, i % 300, (i % 500) + 40, (i % 300) + 60];

const dir = mkdtempSync(join(tmpdir(), 'egm-bench-store-'));
try {
  // The image files exist (empty) so the open-time existence check does real work.
  const imagesDir = join(dir, 'images');
  mkdirSync(imagesDir);
  const [, filesMs] = timed(() => {
    for (let i = 0; i < IMAGES; i++) writeFileSync(join(imagesDir, `img-${String(i).padStart(5, '0')}.jpg`), '');
  });
  const file = join(dir, 'big.egm');
  let store = openProjectStore(file, { create: true });
  const [, buildMs] = timed(() =>
    store.transaction(() => {
      const { added } = store.addImages(
        Array.from({ length: IMAGES }, (_, i) => ({ absolutePath: join(imagesDir, `img-${String(i).padStart(5, '0')}.jpg`), width: 1920, height: 1080, orientation: 1 })),
      );
      for (let i = 0; i < BOXES; i++) {
        store.createAnnotation({
          imageId: added[i % IMAGES]!.id, categoryId: null, phrase: `object ${i}`, visible: box(i), amodal: i % 3 ? null : box(i + 7),
          occluded: i % 3 === 0, source: i % 2 ? 'model' : 'manual', model: null, score: null, reviewed: i % 4 === 0,
        });
      }
    }),
  );
  store.close();
  console.log(`info built ${IMAGES} images / ${BOXES} boxes in ${buildMs.toFixed(0)} ms (one transaction; ${filesMs.toFixed(0)} ms to write the empty image files)`);

  // Open + list, three times: the first is closest to a cold start, the median is the figure.
  const opens: number[] = [];
  for (let run = 0; run < 3; run++) {
    const [listed, ms] = timed(() => {
      const s = openProjectStore(file);
      const list = s.listImages();
      s.close();
      return list;
    });
    if (listed.length !== IMAGES || listed.reduce((n, image) => n + image.annotationCount, 0) !== BOXES) throw new Error('bench: listImages returned wrong counts');
    opens.push(ms);
  }
  console.log(`info open+listImages runs: ${opens.map((ms) => ms.toFixed(0)).join(', ')} ms`);

  store = openProjectStore(file);
  const [, refreshMs] = timed(() => store.refreshMissing());
  const [, listMs] = timed(() => store.listImages());
  const [, unreviewedMs] = timed(() => store.listImages({ unreviewed: true }));
  console.log(`info refreshMissing (${IMAGES} existsSync) ${refreshMs.toFixed(1)} ms, listImages ${listMs.toFixed(1)} ms, unreviewed filter ${unreviewedMs.toFixed(1)} ms`);
  // Issue 11's filters at once, each scanning every image (the bench's boxes have no category); the first call prepares the statement, so the median of several.
  const filtered = Array.from({ length: 9 }, () => timed(() => store.listImages({ unreviewed: true, search: 'IMG-1', status: 'todo' }))[1]);
  const [, foldedMs] = timed(() => store.listImages({ search: 'ïmg' }));
  console.log(`info listImages filtered runs: ${filtered.map((ms) => ms.toFixed(1)).join(', ')} ms; a non-ASCII search (folded in JS per row) ${foldedMs.toFixed(1)} ms`);

  const ids = store.allAnnotations().map((a) => a.id);
  store.close();
  // One acknowledged update = BEGIN IMMEDIATE, writer note, read, check,
  // UPDATE, COMMIT (an fsync of the WAL). The store's default
  // (synchronous=FULL) gives the figure; NORMAL is measured beside it to show
  // what the fsync costs.
  const editTimes = (synchronous: 'NORMAL' | 'FULL'): number[] => {
    const s = openProjectStore(file, { synchronous });
    const times: number[] = [];
    for (let i = 0; i < EDITS + 50; i++) {
      const id = ids[(i * 7919) % ids.length]!;
      const [, ms] = timed(() => s.updateAnnotation(id, { visible: box(i + 3), reviewed: true }));
      if (i >= 50) times.push(ms); // the first calls warm the page cache
    }
    s.close();
    console.log(`info updateAnnotation synchronous=${synchronous}: p50 ${percentile(times, 50).toFixed(3)} ms, p95 ${percentile(times, 95).toFixed(3)} ms, max ${percentile(times, 100).toFixed(3)} ms`);
    return times;
  };
  editTimes('NORMAL');
  const edits = editTimes('FULL');

  const raw = new Database(file, { readonly: true });
  // The list query's alternative: two correlated counts per image instead of one GROUP BY.
  const [, correlatedMs] = timed(() =>
    raw.prepare(`SELECT i.*, (SELECT COUNT(*) FROM annotations a WHERE a.image_id = i.id) AS n,
      (SELECT COUNT(*) FROM annotations a WHERE a.image_id = i.id AND a.reviewed = 0) AS u FROM images i ORDER BY i.id`).all(),
  );
  console.log(`info list counts via correlated sub-queries instead: ${correlatedMs.toFixed(1)} ms`);
  raw.close();

  console.log(`bench store_edit_p95_ms=${percentile(edits, 95).toFixed(3)} ms`);
  console.log(`bench store_open_ms=${percentile(opens, 50).toFixed(1)} ms`);
  console.log(`bench images_list_filtered_ms=${percentile(filtered, 50).toFixed(1)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
