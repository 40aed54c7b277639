// COCO export figures:
//   coco_export_100k_ms       export of 20,000 images / 100,000 annotations from a
//                             real project file to a COCO file (budget < 2000 ms)
//   coco_export_vs_stringify  that time / a bare JSON.stringify of the same final
//                             document in the same run (the floor any export pays)
// Both are medians over several runs after one warm-up.
// Run: npx tsx bench/coco.bench.ts
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportCocoFile, readExportImages, readExportInput } from '../electron/coco/export';
import { buildCocoDocument, cocoTextFromRows, serializeCoco } from '@core/coco';
import type { Box } from '@core/types';
import { openProjectStore } from '../electron/store/project-store';

const IMAGES = 20_000;
const ANNOTATIONS = 100_000;
const RUNS = 3;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
// Fractional pixel boxes, as a model mapped from its 0..1000 grid produces them.
const box = (i: number): Box => {
  const x = (i * 7.31) % 1500;
  const y = (i * 3.77) % 900;
  return [x, y, x + 20 + (i % 300) * 1.13, y + 30 + (i % 150) * 0.97];
};

const dir = mkdtempSync(join(tmpdir(), 'egm-bench-coco-'));
try {
  const file = join(dir, 'big.egm');
  const build = performance.now();
  let store = openProjectStore(file, { create: true });
  store.transaction(() => {
    const { added } = store.addImages(
      Array.from({ length: IMAGES }, (_, i) => ({ absolutePath: join(dir, 'images', `img-${String(i).padStart(5, '0')}.jpg`), width: 1920, height: 1080, orientation: 1 })),
    );
    const categories = ['person', 'car', 'lime', 'orange', 'cup'].map((name) => store.ensureCategory(name).id);
    for (let i = 0; i < ANNOTATIONS; i++) {
      const model = i % 2 === 0;
      store.createAnnotation({
        imageId: added[i % IMAGES]!.id,
        categoryId: i % 7 === 0 ? null : categories[i % categories.length]!,
        phrase: `the ${['lime', 'car', 'person on the left', 'cup “mug”'][i % 4]} number ${i}`,
        visible: box(i),
        amodal: i % 3 === 0 ? box(i + 11) : null,
        occluded: i % 3 === 0,
        source: model ? 'model' : 'manual',
        model: model ? 'egm-qwen3-vl-2b' : null,
        score: model ? (i % 1000) / 1000 : null,
        reviewed: i % 4 === 0,
      });
    }
  });
  store.close();
  console.log(`info built ${IMAGES} images / ${ANNOTATIONS} annotations in ${(performance.now() - build).toFixed(0)} ms`);

  store = openProjectStore(file);
  const out = join(dir, 'out.json');
  // The same final document the export writes, built once outside the timings.
  const doc = buildCocoDocument(readExportInput(store, dir));
  // Dropped after the first run's check, so the timed runs do not carry 26 MB more heap.
  let reference: string | undefined = serializeCoco(doc);
  const exports: number[] = [];
  const floors: number[] = [];
  const exportCpus: number[] = [];
  const floorCpus: number[] = [];
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  for (let run = 0; run <= RUNS; run++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const report = await exportCocoFile(store, out);
    const ms = performance.now() - started;
    const exportCpu = cpuMs(cpu);
    if (report.annotations !== ANNOTATIONS || report.images !== IMAGES) throw new Error('bench: export wrote wrong counts');
    const floorCpu = process.cpuUsage();
    const floorStarted = performance.now();
    const text = JSON.stringify(doc);
    const floorMs = performance.now() - floorStarted;
    const floorCpuMs = cpuMs(floorCpu);
    if (text.length < statSync(out).size * 0.9) throw new Error('bench: the floor stringified a different document');
    // The streamed writer must give the reference path's bytes (checked once; reading 26 MB back is not timed).
    if (reference !== undefined && readFileSync(out, 'utf8') !== reference) throw new Error('bench: export differs from serializeCoco(buildCocoDocument(...))');
    reference = undefined;
    const t = report.timings;
    // CPU time beside wall time: on a shared, overloaded machine the wall figure mostly measures the neighbours.
    console.log(
      `info run ${run}${run === 0 ? ' (warm-up)' : ''}: export ${ms.toFixed(0)} ms wall / ${exportCpu.toFixed(0)} ms CPU ` +
        `(images+categories ${t.readMs.toFixed(0)}, annotation rows to text ${t.textMs.toFixed(0)}, write ${t.writeMs.toFixed(0)}), ` +
        `bare JSON.stringify ${floorMs.toFixed(0)} ms wall / ${floorCpuMs.toFixed(0)} ms CPU`,
    );
    if (run === 0) continue;
    exports.push(ms);
    floors.push(floorMs);
    exportCpus.push(exportCpu);
    floorCpus.push(floorCpuMs);
  }
  // Where the export's CPU goes: the store's reads versus this module's own work,
  // beside the object path it replaced (Annotation objects → COCO objects → stringify).
  const part = (fn: () => unknown) => {
    const since = process.cpuUsage();
    fn();
    return cpuMs(since).toFixed(0);
  };
  const images = readExportImages(store, dir);
  const categories = store.listCategories();
  console.log(
    `info CPU ms: images ${part(() => readExportImages(store, dir))}, annotation rows streamed ${part(() => {
      for (const _row of store.exportAnnotationRows());
    })}, rows to text ${part(() => cocoTextFromRows({ images, categories, annotations: store.exportAnnotationRows() }))}; ` +
      `old path: store.allAnnotations ${part(() => store.allAnnotations())}, objects+serialize ${part(() => serializeCoco(buildCocoDocument(readExportInput(store, dir))))}, ` +
      `bare stringify ${part(() => JSON.stringify(doc))}`,
  );
  console.log(`info load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs`);
  store.close();
  console.log(`info file ${(statSync(out).size / 1e6).toFixed(1)} MB`);
  const exportMs = median(exports);
  // CPU medians: what the export itself costs, whatever the neighbours do to the wall figures.
  console.log(
    `info CPU medians: export ${median(exportCpus).toFixed(0)} ms, bare JSON.stringify ${median(floorCpus).toFixed(0)} ms, ` +
      `ratio ${(median(exportCpus) / median(floorCpus)).toFixed(2)} x`,
  );
  console.log(`bench coco_export_100k_ms=${exportMs.toFixed(0)} ms`);
  console.log(`bench coco_export_vs_stringify=${(exportMs / median(floors)).toFixed(2)} x`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
