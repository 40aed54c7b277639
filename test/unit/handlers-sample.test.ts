// project:sample: created under userData on first use from copies of the
// bundled images, reopened (not duplicated) afterwards, bundled files untouched.
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageRecord, ProjectInfo } from '@core/types';
import { sampleProjectPath } from '../../electron/handlers/sample';
import { makeBench, SAMPLES_DIR, type Bench } from './handlers-helpers';

let bench: Bench;
beforeEach(async () => {
  bench = await makeBench();
});
afterEach(async () => {
  await bench.dispose();
});

async function digest(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) out[name] = createHash('sha256').update(await readFile(join(dir, name))).digest('hex');
  return out;
}

describe('project:sample', () => {
  it('creates the sample project with the 9 bundled images, copied under userData', async () => {
    const before = await digest(SAMPLES_DIR);
    const info = await bench.ok<ProjectInfo>('project:sample', {});
    const userData = join(bench.dir, 'userData');
    expect(info.path).toBe(sampleProjectPath(userData));
    expect(info.imageCount).toBe(9);
    const images = await bench.ok<ImageRecord[]>('images:list', {});
    expect(images.map((image) => image.fileName).sort()).toEqual(Object.keys(before).filter((name) => name !== 'SOURCES.md'));
    for (const image of images) {
      const file = bench.session.current!.imageFilePath(image.id)!;
      expect(file.startsWith(join(userData, 'sample', 'images'))).toBe(true);
      expect(image.width).toBeGreaterThan(0);
      expect(image.missing).toBe(false);
    }
    expect(await digest(SAMPLES_DIR)).toEqual(before);
    const progress = bench.events.filter((e) => e.event === 'images:progress');
    expect(progress.at(-1)?.payload).toMatchObject({ done: 9, total: 9 });
    expect(bench.events.at(-1)).toMatchObject({ event: 'project:changed', payload: { imageCount: 9 } });
  });

  it('reopens the existing sample project without adding images twice, keeping its edits', async () => {
    const first = await bench.ok<ProjectInfo>('project:sample', {});
    const [image] = await bench.ok<ImageRecord[]>('images:list', {});
    await bench.ok('annotations:create', {
      imageId: image!.id, categoryId: null, phrase: 'the cup', visible: [1, 2, 30, 40], amodal: null,
      occluded: false, source: 'manual', model: null, score: null, reviewed: true,
    });
    await bench.ok('project:create', { path: join(bench.dir, 'other.egm') });
    const again = await bench.ok<ProjectInfo>('project:sample', {});
    expect(again).toMatchObject({ path: first.path, imageCount: 9, annotationCount: 1 });
  });

  it('repairs a sample copy whose image files were deleted', async () => {
    await bench.ok('project:sample', {});
    bench.session.close();
    const imagesDir = join(bench.dir, 'userData', 'sample', 'images');
    await rm(join(imagesDir, 'coffee.png'));
    const info = await bench.ok<ProjectInfo>('project:sample', {});
    expect(info).toMatchObject({ imageCount: 9, missingCount: 0 });
    expect((await readdir(imagesDir)).length).toBe(9);
  });
});
