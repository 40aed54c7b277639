// Canvas drawing for the boxes, selection and draft layers. Drawn in SCREEN
// pixels (the transform is reset to the device pixel ratio), so strokes and
// dashes keep their width at any zoom (what strokeScaleEnabled=false gives a
// Konva Rect) and stay crisp. Off-screen boxes are culled before any path work;
// nothing clips to the image, so an amodal box past its edge is drawn whole.
// Labels and fill opacity come from the workbench's box view (box-view.ts).
import type { Viewport } from '@core/geometry';
import { smoothAt } from '@core/zoom-steps';
import type { Annotation, Box } from '@core/types';
import { categoryColor } from '@core/category-colors';
import { boxView, type LabelMode } from './box-view';
import { drawHandles } from '../lib/handles';
import { currentScene, selectedShown } from './scene';

// 1 CSS px on half-pixel coordinates: Skia draws these as hairlines, ~10x faster
// than 1.5 px anti-aliased strokes in software rendering (bench/canvas.bench.ts).
export const STROKE = 1;
export const DASH = [6, 4];
/** Above this many boxes on screen, labels would be clutter (and cost frames). */
export const MAX_LABELS = 500;
/** A box smaller than this on screen (CSS px, either side) gets no label: zoomed out that far, text would hide the boxes. */
const MIN_LABELLED_PX = 12;
/** Label text is cut to this many characters. */
const LABEL_CHARS = 32;

/** '#rrggbb' plus an alpha 0..1 as two hex digits. */
export function withAlpha(color: string, alpha: number): string {
  return color + Math.round(Math.min(1, Math.max(0, alpha)) * 255).toString(16).padStart(2, '0');
}

/** Screen rect of an image box, snapped to half pixels for crisp 1-px-ish lines; null when off-screen. */
function screenRect(b: Box, vp: Viewport, w: number, h: number): [number, number, number, number] | null {
  const x1 = b[0] * vp.scale + vp.x;
  const y1 = b[1] * vp.scale + vp.y;
  const x2 = b[2] * vp.scale + vp.x;
  const y2 = b[3] * vp.scale + vp.y;
  if (x2 < -4 || y2 < -4 || x1 > w + 4 || y1 > h + 4) return null;
  return [Math.round(x1) + 0.5, Math.round(y1) + 0.5, Math.max(1, Math.round(x2 - x1)), Math.max(1, Math.round(y2 - y1))];
}

function begin(ctx: CanvasRenderingContext2D, pixelRatio: number): void {
  ctx.save();
  ctx.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
}

/** The image at the viewport: image pixels scaled to the screen (what a Konva Image under the Stage transform drew). */
export function drawImage(ctx: CanvasRenderingContext2D, pixelRatio: number, vp: Viewport): void {
  const scene = currentScene();
  const img = scene.image;
  if (!img) return;
  ctx.save();
  ctx.setTransform(pixelRatio * vp.scale, 0, 0, pixelRatio * vp.scale, pixelRatio * vp.x, pixelRatio * vp.y);
  // Above 200 % each image pixel is a sharp block (nearest neighbour), so the pixel edges a box snaps to show.
  ctx.imageSmoothingEnabled = smoothAt(vp.scale);
  ctx.drawImage(img, 0, 0, scene.imageW, scene.imageH);
  ctx.restore();
}

/** All unselected boxes: per colour one solid path (visible) and one dashed path (amodal). */
export function drawBoxes(ctx: CanvasRenderingContext2D, pixelRatio: number, vp: Viewport, w: number, h: number): number {
  const scene = currentScene();
  begin(ctx, pixelRatio);
  ctx.lineWidth = STROKE;
  const { labels, fillOpacity } = boxView.get();
  let drawn = 0;
  for (const [color, list] of scene.byColor) {
    ctx.strokeStyle = color;
    ctx.setLineDash([]);
    ctx.beginPath();
    for (const a of list) {
      const r = screenRect((scene.preview.get(a.id) ?? a).visible, vp, w, h);
      if (r) {
        ctx.rect(r[0], r[1], r[2], r[3]);
        drawn++;
      }
    }
    // The fill is the same path, one call per colour: opacity costs no per-box work.
    if (fillOpacity > 0) {
      ctx.fillStyle = withAlpha(color, fillOpacity);
      ctx.fill();
    }
    ctx.stroke();
    ctx.setLineDash(DASH);
    ctx.beginPath();
    for (const a of list) {
      const amodal = (scene.preview.get(a.id) ?? a).amodal;
      const r = amodal && screenRect(amodal, vp, w, h);
      if (r) ctx.rect(r[0], r[1], r[2], r[3]);
    }
    ctx.stroke();
  }
  if (drawn <= MAX_LABELS) drawLabels(ctx, vp, w, h, labels);
  ctx.restore();
  return drawn;
}

/** What a box's label says: its list number, then its phrase or category name (L cycles), and whether it is locked. */
export function labelText(a: Annotation, mode: LabelMode, index: number | undefined, categoryNames: Map<number, string>, locked: boolean): string {
  const what = mode === 'phrase' ? a.phrase : mode === 'category' ? (a.categoryId !== null ? (categoryNames.get(a.categoryId) ?? '') : '') : '';
  const cut = what.length > LABEL_CHARS ? `${what.slice(0, LABEL_CHARS - 1)}…` : what;
  return [String(index ?? ''), cut, locked ? '(locked)' : ''].filter(Boolean).join(' ');
}

/** Each box's label in its colour at the top-left corner, outside the box when there is room; none on boxes too small to read. */
function drawLabels(ctx: CanvasRenderingContext2D, vp: Viewport, w: number, h: number, mode: LabelMode): void {
  const scene = currentScene();
  ctx.font = '10px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  for (const [color, list] of scene.byColor) {
    for (const a of list) {
      const r = screenRect((scene.preview.get(a.id) ?? a).visible, vp, w, h);
      if (!r || r[2] < MIN_LABELLED_PX || r[3] < MIN_LABELLED_PX) continue;
      const text = labelText(a, mode, scene.index.get(a.id), scene.categoryNames, scene.locked.has(a.id));
      const tw = ctx.measureText(text).width + 4;
      const y = r[1] >= 12 ? r[1] - 12 : r[1];
      ctx.fillStyle = color;
      ctx.fillRect(r[0] - 0.5, y, tw, 12);
      ctx.fillStyle = '#111';
      ctx.fillText(text, r[0] + 1.5, y + 1);
    }
  }
}

/** Selected boxes: thicker, lightly filled, with 8 handles on each of their boxes. */
export function drawSelection(ctx: CanvasRenderingContext2D, pixelRatio: number, vp: Viewport, w: number, h: number): void {
  begin(ctx, pixelRatio);
  const sel = selectedShown();
  const { labels, fillOpacity } = boxView.get();
  const scene = currentScene();
  for (const a of sel) {
    const v = screenRect(a.visible, vp, w, h);
    const color = categoryColor(a.categoryId);
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    if (v) {
      ctx.setLineDash([]);
      ctx.fillStyle = withAlpha(color, Math.max(0.15, fillOpacity)); // at least a ~15% tint: shows the object without hiding it
      ctx.fillRect(v[0], v[1], v[2], v[3]);
      ctx.strokeRect(v[0], v[1], v[2], v[3]);
      const text = labelText(a, labels, scene.index.get(a.id), scene.categoryNames, scene.locked.has(a.id));
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      const y = v[1] >= 14 ? v[1] - 14 : v[1];
      ctx.fillStyle = color;
      ctx.fillRect(v[0] - 1, y, ctx.measureText(text).width + 6, 14);
      ctx.fillStyle = '#111';
      ctx.fillText(text, v[0] + 2, y + 1.5);
    }
    const m = a.amodal && screenRect(a.amodal, vp, w, h);
    if (m) {
      ctx.setLineDash(DASH);
      ctx.strokeRect(m[0], m[1], m[2], m[3]);
    }
    if (sel.length === 1 && !scene.locked.has(a.id)) {
      drawHandles(ctx, a.visible, vp, '#111', color);
      if (a.amodal) drawHandles(ctx, a.amodal, vp, '#111', color);
    }
  }
  ctx.restore();
}

export function drawDraft(ctx: CanvasRenderingContext2D, pixelRatio: number, vp: Viewport, w: number, h: number): void {
  const scene = currentScene();
  const d = scene.draft;
  if (!d) return;
  begin(ctx, pixelRatio);
  const r = screenRect(d.box, vp, w + 1e6, h + 1e6);
  if (r) {
    ctx.strokeStyle = d.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(d.kind === 'amodal' ? DASH : []);
    ctx.strokeRect(r[0], r[1], r[2], r[3]);
  }
  ctx.restore();
}
