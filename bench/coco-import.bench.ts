// COCO import figures (issue 9):
//   coco_import_100k_ms          `importCocoFile` of 20,000 images / 100,000 boxes
//                                into a fresh project, every image header probed
//   pycocotools_load_100k_ms     pycocotools' COCO(file) (json load + createIndex)
//                                on the same file, run side by side
//   coco_import_vs_pycocotools   the first / the second (budget: 4x)
//   coco_import_vs_pycocotools_cpu
//                                the same ratio in CPU time (process CPU, all
//                                threads), which neighbours on a shared machine
//                                disturb less than wall time
//   coco_import_one_image_per_box_ratio
//                                time per box importing 50,000 boxes on one image
//                                / time per box for 5,000 (about 1 when linear)
// Medians of RUNS, the two tools alternating. pycocotools comes from the Python
// venv of `npm run setup:python` (.venv-parity); the bench's setup installs it
// there when absent (`pip install pycocotools`: PyPI's manylinux wheel, which is
// the project's C source compiled; this machine's package mirror holds no
// sdist to build from). Without Python the ratio is skipped with the reason.
// Run: npx tsx bench/coco-import.bench.ts
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { importCocoFile } from '../electron/coco/import';
import { openProjectStore } from '../electron/store/project-store';

const IMAGES = 20_000;
const ANNOTATIONS = 100_000;
const RUNS = 3;
const PYTHON = join(process.cwd(), '.venv-parity', 'bin', 'python');

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function cocoDocument(images: number, annotations: number, width: number, height: number) {
  return {
    info: { description: 'bench' },
    images: Array.from({ length: images }, (_, i) => ({ id: 1000 + i, file_name: `img-${String(i).padStart(5, '0')}.jpg`, width, height })),
    categories: ['person', 'car', 'lime', 'orange', 'cup'].map((name, i) => ({ id: 3 + i * 4, name })),
    annotations: Array.from({ length: annotations }, (_, i) => {
      const x = (i * 7.31) % (width - 60);
      const y = (i * 3.77) % (height - 60);
      const w = 10 + (i % 40);
      const h = 12 + (i % 45);
      return {
        id: 5000 + i,
        image_id: 1000 + (i % images),
        category_id: 3 + (i % 5) * 4,
        bbox: [x, y, w, h],
        area: w * h,
        iscrowd: 0,
        phrase: `the ${['lime', 'car', 'person on the left', 'cup'][i % 4]} number ${i}`,
      };
    }),
  };
}

/** pycocotools importable from the venv, installing it there once when it is not; else why not. */
function pycocotools(): string | null {
  if (!existsSync(PYTHON)) return `no Python venv at ${PYTHON} (run npm run setup:python)`;
  const check = () => spawnSync(PYTHON, ['-c', 'import pycocotools.coco'], { encoding: 'utf8' }).status === 0;
  if (check()) return null;
  console.error('bench: installing pycocotools into .venv-parity');
  const pip = spawnSync(PYTHON, ['-m', 'pip', 'install', '--quiet', 'pycocotools'], { encoding: 'utf8' });
  if (pip.status !== 0 || !check()) return `pip install pycocotools failed: ${(pip.stderr || pip.stdout).trim().split('\n').at(-1)}`;
  return null;
}

/** pycocotools' own load + index time of `file` (wall, CPU), measured inside Python (interpreter start not counted). */
function pycocotoolsMs(file: string): [number, number] {
  const code = [
    'import sys, time, io, contextlib',
    'from pycocotools.coco import COCO',
    't, cpu = time.perf_counter(), time.process_time()',
    'with contextlib.redirect_stdout(io.StringIO()): c = COCO(sys.argv[1])',
    'ms, cpu_ms = (time.perf_counter() - t) * 1000, (time.process_time() - cpu) * 1000',
    'assert len(c.anns) > 0',
    'print(ms, cpu_ms)',
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', code, file], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`pycocotools run failed: ${run.stderr.trim().split('\n').at(-1)}`);
  const [wall, cpu] = run.stdout.trim().split(' ').map(Number);
  return [wall!, cpu!];
}

/** Wall and CPU milliseconds of one import into a fresh project. */
async function importMs(dir: string, name: string, cocoPath: string, imagesDir: string, expectBoxes: number): Promise<[number, number]> {
  const file = join(dir, `${name}.egm`);
  const store = openProjectStore(file, { create: true });
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const report = await importCocoFile(store, cocoPath, { imagesDir });
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    if (report.annotations !== expectBoxes || report.skipped.length > 0) throw new Error(`bench: import wrote ${report.annotations} boxes, skipped ${report.skipped.length}`);
    return [ms, (used.user + used.system) / 1000];
  } finally {
    store.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }
}

const dir = mkdtempSync(join(tmpdir(), 'egm-bench-coco-import-'));
try {
  const images = join(dir, 'images');
  mkdirSync(images);
  const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 90, g: 140, b: 60 } } }).jpeg({ quality: 70 }).toBuffer();
  for (let i = 0; i < IMAGES; i++) writeFileSync(join(images, `img-${String(i).padStart(5, '0')}.jpg`), jpeg);
  const big = join(dir, 'big.json');
  writeFileSync(big, JSON.stringify(cocoDocument(IMAGES, ANNOTATIONS, 640, 480)));

  const why = pycocotools();
  if (why) console.log(`info pycocotools not measured: ${why}`);
  const ours: number[] = [];
  const theirs: number[] = [];
  const oursCpu: number[] = [];
  const theirsCpu: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const [ms, cpu] = await importMs(dir, `big-${run}`, big, images, ANNOTATIONS);
    const [py, pyCpu] = why ? [NaN, NaN] : pycocotoolsMs(big);
    console.log(
      `info run ${run}${run === 0 ? ' (warm-up)' : ''}: egm import ${ms.toFixed(0)} ms wall / ${cpu.toFixed(0)} ms CPU, ` +
        `pycocotools COCO() ${py.toFixed(0)} ms wall / ${pyCpu.toFixed(0)} ms CPU`,
    );
    if (run === 0) continue;
    ours.push(ms);
    theirs.push(py);
    oursCpu.push(cpu);
    theirsCpu.push(pyCpu);
  }

  // Boxes per image: one image carrying 5,000, then 50,000 boxes.
  const perBox: number[] = [];
  for (const boxes of [5_000, 50_000]) {
    const one = join(dir, `one-${boxes}.json`);
    writeFileSync(one, JSON.stringify(cocoDocument(1, boxes, 640, 480)));
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) times.push((await importMs(dir, `one-${boxes}-${run}`, one, images, boxes))[0]);
    perBox.push(median(times) / boxes);
    console.log(`info ${boxes} boxes on one image: ${median(times).toFixed(0)} ms (${((median(times) / boxes) * 1000).toFixed(1)} µs a box)`);
  }

  console.log(`info load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs`);
  console.log(`bench coco_import_100k_ms=${median(ours).toFixed(0)} ms`);
  if (!why) {
    console.log(`bench pycocotools_load_100k_ms=${median(theirs).toFixed(0)} ms`);
    console.log(`bench coco_import_vs_pycocotools=${(median(ours) / median(theirs)).toFixed(2)} x`);
    console.log(`bench coco_import_vs_pycocotools_cpu=${(median(oursCpu) / median(theirsCpu)).toFixed(2)} x`);
  }
  console.log(`bench coco_import_one_image_per_box_ratio=${(perBox[1]! / perBox[0]!).toFixed(2)} x`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
