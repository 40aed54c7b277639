// A project at the scale issue 18 names (20,000 images / 100,000 boxes),
// written in seconds through the store directly: one bulk transaction for the
// images (their files written beforehand, so thumbnails are real) and one for
// the boxes. Used by the image list's e2e test and bench/image-list.bench.ts.
// File names are predictable (bigImageName), so a test can say which rows a
// search or a scroll position must show.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { ImportedAnnotation } from '../../electron/store/api';
import { openProjectStore } from '../../electron/store/project-store';
import { addProposal } from '../../electron/store/proposals';
import { annotationInput } from './store-temp';

export const BIG_SCENES = ['street', 'beach', 'kitchen', 'forest', 'office'] as const;
export const BIG_CATEGORIES = ['person', 'car', 'lime', 'dog', 'cup'] as const;

/** The file name of image i (0-based): its scene, then its number, e.g. "kitchen-00012.jpg". */
export function bigImageName(i: number): string {
  return `${BIG_SCENES[i % BIG_SCENES.length]}-${String(i).padStart(5, '0')}.jpg`;
}

export interface BigProjectOptions {
  images?: number;
  boxes?: number;
  /** Proposals waiting for review, on images 0, 1, 2, … in turn ("the thing N", score falling with N). */
  proposals?: number;
  /** Distinct pictures the files cycle through (each file is its own copy, so each thumbnail is made). */
  pictures?: number;
  width?: number;
  height?: number;
}

export interface BigProject {
  /** The .egm file. */
  path: string;
  /** The folder the image files are in. */
  imagesDir: string;
  images: number;
  boxes: number;
  proposals: number;
}

/** Distinct small JPEGs: a colour per picture with a darker block at a place of its own. */
async function pictures(n: number, width: number, height: number): Promise<Buffer[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, k) => {
      const hue = (k * 360) / n;
      const [r, g, b] = [0, 120, 240].map((shift) => Math.round(128 + 100 * Math.cos(((hue + shift) * Math.PI) / 180)));
      const block = await sharp({ create: { width: width >> 2, height: height >> 2, channels: 3, background: { r: r! >> 1, g: g! >> 1, b: b! >> 1 } } }).png().toBuffer();
      return sharp({ create: { width, height, channels: 3, background: { r: r!, g: g!, b: b! } } })
        .composite([{ input: block, left: (k * 37) % (width - (width >> 2)), top: (k * 23) % (height - (height >> 2)) }])
        .jpeg({ quality: 70 })
        .toBuffer();
    }),
  );
}

/** Writes the image files and the project under `dir`; every box is reviewed, categories cycle through BIG_CATEGORIES. */
export async function makeBigProject(dir: string, options: BigProjectOptions = {}): Promise<BigProject> {
  const images = options.images ?? 20_000;
  const boxes = options.boxes ?? 100_000;
  const proposals = options.proposals ?? 0;
  const width = options.width ?? 320;
  const height = options.height ?? 240;
  const imagesDir = join(dir, 'images');
  await mkdir(imagesDir, { recursive: true });
  const bytes = await pictures(options.pictures ?? 48, width, height);
  const CHUNK = 500; // files written at once
  for (let start = 0; start < images; start += CHUNK) {
    await Promise.all(
      Array.from({ length: Math.min(CHUNK, images - start) }, (_, k) => writeFile(join(imagesDir, bigImageName(start + k)), bytes[(start + k) % bytes.length]!)),
    );
  }
  const path = join(dir, 'big.egm');
  const store = openProjectStore(path, { create: true, synchronous: 'NORMAL', who: 'big-project' });
  try {
    store.bulkTransaction(() => {
      const added = store.addImages(
        Array.from({ length: images }, (_, i) => ({ absolutePath: join(imagesDir, bigImageName(i)), width, height, orientation: 1, present: true })),
      ).added;
      const categoryIds = BIG_CATEGORIES.map((name) => store.ensureCategory(name).id);
      const rows: ImportedAnnotation[] = Array.from({ length: boxes }, (_, k) => {
        const x = (k * 7.31) % (width - 60);
        const y = (k * 3.77) % (height - 60);
        return annotationInput(added[k % added.length]!.id, {
          categoryId: categoryIds[k % categoryIds.length]!,
          phrase: `the ${BIG_CATEGORIES[k % BIG_CATEGORIES.length]} number ${k}`,
          visible: [x, y, x + 10 + (k % 40), y + 12 + (k % 45)],
          amodal: null,
          occluded: false,
          reviewed: true,
        });
      });
      store.importAnnotations(rows);
      for (let k = 0; k < proposals; k++) {
        const x = (k * 5.3) % (width - 80);
        addProposal(store, {
          imageId: added[k % added.length]!.id, phrase: `the thing ${k}`, visible: [x, 20, x + 60, 90], amodal: null,
          reasoningVisible: '', reasoningAmodal: '', model: 'big-project', score: 1 - k / (proposals + 1), point: null, pointHit: null,
          reason: null, latencyMs: 10, batchId: null, createdAt: 1_700_000_000_000 + k,
        });
      }
    });
    store.setImagesRoot(imagesDir);
  } finally {
    store.close();
  }
  return { path, imagesDir, images, boxes, proposals };
}
