// Reads what the page actually shows, in pixels: the image list's thumbnails
// and the canvas's image layer. A test that only compared URLs would pass
// while Chromium showed a picture it decoded for another project (issue 16).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';

export type Rgb = [number, number, number];

/** Writes one PNG per colour (width x height, solid) into dir; returns their paths. */
export async function solidPngs(dir: string, files: Record<string, Rgb>, width = 96, height = 64): Promise<Record<string, string>> {
  const paths: Record<string, string> = {};
  for (const [name, [r, g, b]] of Object.entries(files)) {
    const path = join(dir, name);
    await writeFile(path, await sharp({ create: { width, height, channels: 3, background: { r, g, b } } }).png().toBuffer());
    paths[name] = path;
  }
  return paths;
}

/** Whether two colours are the same within a JPEG thumbnail's error. */
export function near(a: Rgb | null, b: Rgb, tolerance = 12): boolean {
  return a !== null && a.every((v, i) => Math.abs(v - b[i]!) <= tolerance);
}

/** The centre pixel of each row's thumbnail, top to bottom (null: not loaded). */
export async function thumbColours(page: Page): Promise<(Rgb | null)[]> {
  return page.getByTestId('image-row').evaluateAll((rows) =>
    rows.map((row) => {
      const img = (row as unknown as { querySelector(s: string): unknown }).querySelector('img[data-testid="image-thumb"]') as
        | { complete: boolean; naturalWidth: number; naturalHeight: number }
        | null;
      if (!img || !img.complete || img.naturalWidth === 0) return null;
      const doc = (globalThis as unknown as { document: { createElement(t: 'canvas'): PageCanvas } }).document;
      const canvas = doc.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(img.naturalWidth >> 1, img.naturalHeight >> 1, 1, 1).data;
      return [d[0]!, d[1]!, d[2]!] as Rgb;
    }),
  );
}

/** The centre pixel of the canvas's image layer (Konva's first canvas), or null when nothing is drawn there. */
export async function canvasCentre(page: Page): Promise<Rgb | null> {
  return page.getByTestId('canvas').evaluate((host) => {
    const canvas = (host as unknown as { querySelector(s: string): PageCanvas | null }).querySelector('canvas');
    if (!canvas) return null;
    const d = canvas.getContext('2d')!.getImageData(canvas.width >> 1, canvas.height >> 1, 1, 1).data;
    return d[3] === 0 ? null : ([d[0]!, d[1]!, d[2]!] as Rgb);
  });
}

/** The canvas element as the functions above use it in the page (the node-side tsconfig has no DOM). */
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    drawImage(img: unknown, x: number, y: number): void;
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  } | null;
}
