// A COCO import never holds the app's main thread for its whole length
// (issue 16, security second round): a large file is read and parsed in a
// worker_thread, the boxes are written a slice per transaction with the event
// loop served between slices, each stage reports its progress (the app's
// `coco:progress` event), and a slice that fails has the slices before it
// taken back. Real files, a real project, the real handler table.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CocoImportProgress } from '@ipc/contract';
import { importCocoFile } from '../../electron/coco/import';
import { openProjectStore } from '../../electron/store/project-store';
import type { ProjectStore } from '../../electron/store/api';
import { solidJpeg } from '../helpers/make-images';
import { tempDir } from '../helpers/store-temp';
import { makeBench } from './handlers-helpers';

const { workers } = vi.hoisted(() => ({ workers: [] as unknown[] }));
vi.mock('node:worker_threads', async (importOriginal) =>
  (await import('../helpers/recorded-workers')).recordedWorkers(await importOriginal(), (data) => workers.push(data?.file)),
);

const BOXES = 12_000; // two write slices
let tmp: ReturnType<typeof tempDir>;
let store: ProjectStore;
let coco: string;
beforeEach(async () => {
  tmp = tempDir('egm-coco-slices-');
  writeFileSync(join(tmp.dir, 'a.jpg'), await solidJpeg(640, 480));
  writeFileSync(join(tmp.dir, 'b.jpg'), await solidJpeg(640, 480));
  store = openProjectStore(join(tmp.dir, 'p.egm'), { create: true });
  coco = join(tmp.dir, 'many.json');
  writeFileSync(coco, JSON.stringify({
    images: [{ id: 1, file_name: 'a.jpg', width: 640, height: 480 }, { id: 2, file_name: 'b.jpg', width: 640, height: 480 }],
    categories: [{ id: 1, name: 'dot' }],
    annotations: Array.from({ length: BOXES }, (_, i) => ({ id: i + 1, image_id: 1 + (i % 2), category_id: 1, bbox: [i % 600, (i * 7) % 440, 20, 30], phrase: `dot ${i}`, segmentation: [[0, 0, 1, 1, 2, 2]] })),
  }));
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

describe('a COCO import off the main thread', () => {
  it('reads a large file in a worker, writes in slices with the event loop served between them, and reports each stage', async () => {
    const log: string[] = [];
    const stages: CocoImportProgress[] = [];
    // The event loop's turns while the import runs: a chain of setImmediate callbacks.
    let running = true;
    const tick = () => {
      if (!running) return;
      log.push('turn');
      setImmediate(tick);
    };
    setImmediate(tick);
    workers.length = 0;
    const report = await importCocoFile(store, coco, {
      readOffThreadBytes: 0, // this 1 MB file counts as large
      onStage: (p) => {
        stages.push(p);
        log.push(`${p.stage} ${p.done}/${p.total}`);
      },
    });
    running = false;
    expect(report).toMatchObject({ images: 2, annotations: BOXES, duplicates: 0 });
    expect(store.info()).toMatchObject({ imageCount: 2, annotationCount: BOXES });
    expect(workers).toEqual([coco]);
    expect(stages.filter((s) => s.stage !== 'checking images')).toEqual([
      { stage: 'reading', done: 0, total: 1 },
      { stage: 'reading', done: 1, total: 1 },
      { stage: 'writing', done: 0, total: BOXES },
      { stage: 'writing', done: 10_000, total: BOXES },
      { stage: 'writing', done: BOXES, total: BOXES },
    ]);
    expect(stages.filter((s) => s.stage === 'checking images').at(-1)).toEqual({ stage: 'checking images', done: 2, total: 2 });
    // Between two slices the app's other work got a turn.
    const between = log.slice(log.indexOf(`writing 10000/${BOXES}`), log.indexOf(`writing ${BOXES}/${BOXES}`));
    expect(between).toContain('turn');
  });

  it('reads a small file in this thread (copying its structure back from a worker would cost more than its parse)', async () => {
    workers.length = 0;
    const report = await importCocoFile(store, coco);
    expect(report.annotations).toBe(BOXES);
    expect(workers).toEqual([]);
  });

  it('a slice that fails has the slices before it taken back: the project is as it was', async () => {
    // The project already has b.jpg with a box of its own: it must survive the take-back.
    const own = store.addImages([{ absolutePath: join(tmp.dir, 'b.jpg'), width: 640, height: 480, orientation: 1 }]).added[0]!;
    store.createAnnotation({ imageId: own.id, categoryId: null, phrase: 'mine', visible: [1, 1, 50, 50], amodal: null, occluded: false, source: 'manual', model: null, score: null, reviewed: true });
    const before = { info: store.info(), annotations: store.allAnnotations(), categories: store.listCategories(), images: store.listImages() };
    const importAnnotations = store.importAnnotations.bind(store);
    let slices = 0;
    store.importAnnotations = (rows) => {
      if (++slices === 2) throw new Error('disk full (simulated)');
      return importAnnotations(rows);
    };
    await expect(importCocoFile(store, coco)).rejects.toThrow(/^disk full \(simulated\); nothing imported \(what was written before it was taken back\)$/);
    expect(slices).toBe(2);
    const { updatedAt: _u, ...info } = store.info() as typeof before.info & { updatedAt?: unknown };
    const { updatedAt: _v, ...infoBefore } = before.info as typeof before.info & { updatedAt?: unknown };
    expect(info).toEqual(infoBefore);
    expect(store.allAnnotations()).toEqual(before.annotations);
    expect(store.listCategories()).toEqual(before.categories);
    expect(store.listImages()).toEqual(before.images);
  });

  it('the handler table sends each stage as the coco:progress event', async () => {
    const bench = await makeBench();
    try {
      await bench.ok('project:create', { path: join(tmp.dir, 'h.egm') });
      const report = await bench.ok<{ annotations: number }>('coco:import', { path: coco, imagesDir: tmp.dir });
      expect(report.annotations).toBe(BOXES);
      const progress = bench.events.filter((e) => e.event === 'coco:progress').map((e) => e.payload as CocoImportProgress);
      expect(progress[0]).toEqual({ stage: 'reading', done: 0, total: 1 });
      expect(progress.at(-1)).toEqual({ stage: 'writing', done: BOXES, total: BOXES });
      expect(progress.map((p) => p.stage)).toEqual(expect.arrayContaining(['reading', 'checking images', 'writing']));
    } finally {
      await bench.dispose();
    }
  });
});
